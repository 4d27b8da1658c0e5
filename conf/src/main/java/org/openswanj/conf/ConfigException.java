package org.openswanj.conf;

/** A keyword's value is wrong; the message names the keyword and the problem. */
public class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
