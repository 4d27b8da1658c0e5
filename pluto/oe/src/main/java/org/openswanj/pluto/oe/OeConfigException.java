package org.openswanj.pluto.oe;

/** A DNSSEC or resolver setting that cannot be used; the message names the setting or file and the problem. */
public final class OeConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public OeConfigException(String message) {
    super(message);
  }
}
