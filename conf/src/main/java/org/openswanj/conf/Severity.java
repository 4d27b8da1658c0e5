package org.openswanj.conf;

/** How bad a configuration problem is: errors refuse the file, warnings only inform. */
public enum Severity {
  ERROR,
  WARNING
}
