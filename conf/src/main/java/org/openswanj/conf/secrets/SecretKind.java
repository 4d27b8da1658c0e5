package org.openswanj.conf.secrets;

/** The kinds of secret ipsec.secrets holds (Openswan's PPK_PSK, PPK_RSA, PPK_XAUTH; Libreswan's PKK_ECDSA). */
public enum SecretKind {
  PSK,
  RSA,
  ECDSA,
  XAUTH,
  /** The cluster key that seals replicated SA keys (our extension, docs/HA.md). */
  CLUSTER
}
