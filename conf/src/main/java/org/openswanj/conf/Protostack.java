package org.openswanj.conf;

/** {@code protostack=}: which kernel IPsec stack to drive ("native" is NETKEY, "mast" is KLIPS). */
public enum Protostack {
  NETKEY,
  KLIPS,
  NONE,
  AUTO
}
