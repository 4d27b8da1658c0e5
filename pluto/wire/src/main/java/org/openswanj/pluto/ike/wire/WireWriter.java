package org.openswanj.pluto.ike.wire;

import java.io.ByteArrayOutputStream;

/** A growable big-endian buffer for the encoders. */
final class WireWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  WireWriter u8(int v) {
    out.write(v);
    return this;
  }

  WireWriter u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  WireWriter u32(int v) {
    u16(v >>> 16);
    return u16(v);
  }

  WireWriter u64(long v) {
    u32((int) (v >>> 32));
    return u32((int) v);
  }

  WireWriter bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  WireWriter zeros(int n) {
    for (int i = 0; i < n; i++) {
      out.write(0);
    }
    return this;
  }

  int size() {
    return out.size();
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
