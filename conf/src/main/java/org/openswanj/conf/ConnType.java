package org.openswanj.conf;

/** {@code type=}: IPsec mode, or a shunt that needs no keying. */
public enum ConnType {
  TUNNEL,
  TRANSPORT,
  PASSTHROUGH,
  DROP,
  REJECT;

  /** True for the shunt types, which never negotiate. */
  public boolean isShunt() {
    return this == PASSTHROUGH || this == DROP || this == REJECT;
  }
}
