package org.openswanj.whack.cli;

/** pluto's control socket is missing or refuses us; the message is Openswan's whack wording. */
public final class PlutoUnreachableException extends Exception {
  private static final long serialVersionUID = 1L;

  public PlutoUnreachableException(String message) {
    super(message);
  }
}
