package org.openswanj.cluster.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.openswanj.cluster.codec.RecordException.Reason;
import org.openswanj.kernel.SecretKey;

/** Bounds-checked reader: every short or bad field is a {@link RecordException} naming the field and offset. */
final class WireReader {
  private final byte[] buf;
  private final String what;
  private int pos;

  WireReader(byte[] buf, int start, String what) {
    this.buf = buf;
    this.pos = start;
    this.what = what;
  }

  int position() {
    return pos;
  }

  private void need(int n, String field) throws RecordException {
    if (n > buf.length - pos) {
      throw new RecordException(Reason.TRUNCATED, what + ": " + field + " at offset " + pos + ": needs " + n
          + " bytes, " + (buf.length - pos) + " left");
    }
  }

  RecordException bad(String field, String why) {
    return new RecordException(Reason.BAD_VALUE, what + ": " + field + " before offset " + pos + ": " + why);
  }

  int u8(String field) throws RecordException {
    need(1, field);
    return buf[pos++] & 0xff;
  }

  int u16(String field) throws RecordException {
    need(2, field);
    int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  long u32(String field) throws RecordException {
    need(4, field);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (buf[pos++] & 0xff);
    }
    return v;
  }

  long u64(String field) throws RecordException {
    return (u32(field) << 32) | u32(field);
  }

  byte[] raw(int n, String field) throws RecordException {
    need(n, field);
    byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return b;
  }

  byte[] bytes16(String field) throws RecordException {
    return raw(u16(field), field);
  }

  String text(String field) throws RecordException {
    byte[] b = bytes16(field);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw bad(field, "not UTF-8");
    }
  }

  InetAddress address(String field) throws RecordException {
    int len = u8(field);
    if (len != 4 && len != 16) {
      throw bad(field, "address length " + len + " (4 or 16)");
    }
    try {
      return InetAddress.getByAddress(raw(len, field));
    } catch (UnknownHostException e) {
      throw bad(field, "not an address");
    }
  }

  SecretKey key(String field) throws RecordException {
    byte[] b = bytes16(field);
    try {
      return new SecretKey(b);
    } finally {
      java.util.Arrays.fill(b, (byte) 0);
    }
  }

  void end() throws RecordException {
    if (pos != buf.length) {
      throw new RecordException(Reason.TRAILING_BYTES, what + ": " + (buf.length - pos)
          + " bytes after the end at offset " + pos);
    }
  }
}
