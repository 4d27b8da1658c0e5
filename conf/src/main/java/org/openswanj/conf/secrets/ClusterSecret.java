package org.openswanj.conf.secrets;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The cluster key ({@code : CLUSTER 0x<64 hex digits>}, our extension, docs/HA.md): the AES-256 key that seals
 * SA key material replicated through etcd. Identical on every node of a cluster.
 */
public final class ClusterSecret implements Secret {
  /** AES-256. */
  public static final int KEY_BYTES = 32;
  private final byte[] bytes;

  public ClusterSecret(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public SecretKind kind() {
    return SecretKind.CLUSTER;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterSecret c && MessageDigest.isEqual(bytes, c.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "[CLUSTER]";
  }
}
