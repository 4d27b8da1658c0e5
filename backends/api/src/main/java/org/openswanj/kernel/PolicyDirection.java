package org.openswanj.kernel;

/** XFRM policy directions. */
public enum PolicyDirection {
  IN,
  OUT,
  FWD
}
