package org.openswanj.conf.secrets;

/** The kinds of secret ipsec.secrets holds (Openswan's PPK_PSK, PPK_RSA, PPK_XAUTH). */
public enum SecretKind {
  PSK,
  RSA,
  XAUTH
}
