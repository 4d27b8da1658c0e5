package org.openswanj.conf;

import java.util.regex.Pattern;

/** Regular expressions of the value syntax, compiled once (the parser runs them per line). */
/** Shared with the alg package; each is immutable. */
public final class Patterns {
  private Patterns() {}

  public static final Pattern PREFIX_LEN = Pattern.compile("[0-9]{1,3}");
  public static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]+");
  public static final Pattern PORT_NUMBER = Pattern.compile("[0-9]{1,5}");
  public static final Pattern VHOST_VNET = Pattern.compile("v(host|net):.*");
  public static final Pattern PIPE = Pattern.compile("\\|");
  public static final Pattern HAS_SPACE_OR_QUOTE = Pattern.compile(".*[\\s\"].*");
  public static final Pattern GLOB_CHARS = Pattern.compile(".*[*?\\[].*");
  public static final Pattern HEX_NUMBER = Pattern.compile("0[xX][0-9A-Fa-f]{1,8}");
  public static final Pattern DECIMAL = Pattern.compile("[0-9]{1,10}");
  public static final Pattern PERCENT = Pattern.compile("[0-9]{1,9}%");
  public static final Pattern BITS_HEX = Pattern.compile("0[xX][0-9A-Fa-f_]+");
  public static final Pattern BITS_BASE64 = Pattern.compile("0[sS][A-Za-z0-9+/=_]+");
  public static final Pattern BITS_TEXT = Pattern.compile("0[tT].*");
  public static final Pattern CONN_NAME = Pattern.compile("[A-Za-z0-9%][A-Za-z0-9._%+-]*");
  public static final Pattern LIST_SEPARATOR = Pattern.compile("[\\s,]+");
  public static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,14}");
  public static final Pattern DOTTED_DIGITS = Pattern.compile("[0-9.]+");
  public static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  public static final Pattern DOT = Pattern.compile("\\.");
  public static final Pattern DIGITS = Pattern.compile("\\d+");
  public static final Pattern ALG_SEPARATOR = Pattern.compile("[-;]");
}
