package org.openswanj.kernel;

/** RFC 4301 §4.1. */
public enum IpsecMode {
  TUNNEL,
  TRANSPORT
}
