package org.openswanj.pluto.ikev2;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * Stateless cookies (RFC 7296 §2.6): Cookie = VersionIDofSecret | Hash(Ni | IPi | SPIi | secret). The secret
 * is replaced every {@code lifetime}; a cookie made with the previous secret is still accepted (an initiator
 * answering a COOKIE just before the change must not be turned away), older ones are not.
 */
final class Cookies {
  private final SecureRandom random;
  private final Duration lifetime;
  private byte[] secret = new byte[32];
  private byte[] previous;
  private byte version;
  private Instant made;

  Cookies(SecureRandom random, Duration lifetime, Instant now) {
    this.random = random;
    this.lifetime = lifetime;
    random.nextBytes(secret);
    made = now;
  }

  byte[] make(byte[] ni, InetAddress ipI, long spiI, Instant now) {
    rotate(now);
    return hash(version, secret, ni, ipI, spiI);
  }

  boolean valid(byte[] cookie, byte[] ni, InetAddress ipI, long spiI, Instant now) {
    rotate(now);
    if (cookie == null || cookie.length != 33) {
      return false;
    }
    if (cookie[0] == version) {
      return MessageDigest.isEqual(cookie, hash(version, secret, ni, ipI, spiI));
    }
    byte older = (byte) (version - 1);
    return previous != null && cookie[0] == older
        && MessageDigest.isEqual(cookie, hash(older, previous, ni, ipI, spiI));
  }

  private void rotate(Instant now) {
    if (Duration.between(made, now).compareTo(lifetime) < 0) {
      return;
    }
    // a gap of two lifetimes or more retires both secrets
    previous = Duration.between(made, now).compareTo(lifetime.multipliedBy(2)) < 0 ? secret : null;
    secret = new byte[32];
    random.nextBytes(secret);
    version++;
    made = now;
  }

  private static byte[] hash(byte version, byte[] secret, byte[] ni, InetAddress ipI, long spiI) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(ni);
      d.update(ipI.getAddress());
      d.update(ByteBuffer.allocate(8).putLong(spiI).array());
      d.update(secret);
      byte[] h = d.digest();
      byte[] out = new byte[1 + h.length];
      out[0] = version;
      System.arraycopy(h, 0, out, 1, h.length);
      return out;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
