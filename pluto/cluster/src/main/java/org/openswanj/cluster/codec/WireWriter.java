package org.openswanj.cluster.codec;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.openswanj.kernel.SecretKey;

/** Big-endian writer for the record format (docs/HA.md); lengths are checked on the way in. */
final class WireWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  WireWriter u8(int v) {
    out.write(v);
    return this;
  }

  WireWriter u16(int v) {
    if (v < 0 || v > 0xffff) {
      throw new IllegalArgumentException("value " + v + " does not fit 16 bits");
    }
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  WireWriter u32(long v) {
    for (int s = 24; s >= 0; s -= 8) {
      out.write((int) (v >>> s));
    }
    return this;
  }

  WireWriter u64(long v) {
    u32(v >>> 32);
    return u32(v);
  }

  WireWriter bytes16(byte[] b) {
    u16(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  WireWriter raw(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  WireWriter text(String s) {
    return bytes16(s.getBytes(StandardCharsets.UTF_8));
  }

  WireWriter address(InetAddress a) {
    byte[] b = a.getAddress();
    u8(b.length);
    return raw(b);
  }

  WireWriter key(SecretKey k) {
    byte[] b = k.bytes();
    try {
      return bytes16(b);
    } finally {
      java.util.Arrays.fill(b, (byte) 0);
    }
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
