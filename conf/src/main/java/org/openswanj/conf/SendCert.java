package org.openswanj.conf;

/** {@code leftsendcert=}: when to send our certificate. */
public enum SendCert {
  ALWAYS,
  IFASKED,
  NEVER
}
