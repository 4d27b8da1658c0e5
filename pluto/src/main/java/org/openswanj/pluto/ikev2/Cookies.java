package org.openswanj.pluto.ikev2;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Stateless cookies (RFC 7296 §2.6): Cookie = VersionIDofSecret | Hash(Ni | IPi | SPIi | secret). The
 * secret is made at start-up; one version is enough for a daemon that restarts with a new secret.
 */
final class Cookies {
  private static final byte VERSION = 1;
  private final byte[] secret = new byte[32];

  Cookies(SecureRandom random) {
    random.nextBytes(secret);
  }

  byte[] make(byte[] ni, InetAddress ipI, long spiI) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(ni);
      d.update(ipI.getAddress());
      d.update(ByteBuffer.allocate(8).putLong(spiI).array());
      d.update(secret);
      byte[] h = d.digest();
      byte[] out = new byte[1 + h.length];
      out[0] = VERSION;
      System.arraycopy(h, 0, out, 1, h.length);
      return out;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  boolean valid(byte[] cookie, byte[] ni, InetAddress ipI, long spiI) {
    return cookie != null && MessageDigest.isEqual(cookie, make(ni, ipI, spiI));
  }
}
