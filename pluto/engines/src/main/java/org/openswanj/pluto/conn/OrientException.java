package org.openswanj.pluto.conn;

/** A conn that pluto cannot place on this host (Openswan's RC_ORIENT). */
public class OrientException extends Exception {
  private static final long serialVersionUID = 1L;

  public OrientException(String message) {
    super(message);
  }
}
