package org.openswanj.conf;

/** {@code authby=}: how the two ends authenticate (Openswan accepts several joined by '|'). */
public enum AuthBy {
  SECRET,
  RSASIG,
  NEVER,
  NULL
}
