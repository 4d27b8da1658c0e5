package org.openswanj.pluto.ike.wire;

import java.util.Arrays;

/**
 * A bounds-checked cursor over part of a byte array. Every read past the end becomes an InvalidSyntaxException
 * naming the context and the offset, so decoders never see IndexOutOfBounds.
 */
final class WireReader {
  private final byte[] buf;
  private final int end;
  private final String where;
  private int pos;

  WireReader(byte[] buf, int off, int len, String where) {
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
    this.where = where;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  String where() {
    return where;
  }

  InvalidSyntaxException error(String what) {
    return new InvalidSyntaxException(where + " at offset " + pos + ": " + what);
  }

  private void need(int n, String field) throws InvalidSyntaxException {
    if (n < 0 || n > remaining()) {
      throw error(field + " needs " + n + " bytes but only " + remaining() + " remain");
    }
  }

  int u8(String field) throws InvalidSyntaxException {
    need(1, field);
    return buf[pos++] & 0xff;
  }

  int u16(String field) throws InvalidSyntaxException {
    need(2, field);
    int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  int u32(String field) throws InvalidSyntaxException {
    need(4, field);
    int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
        | (buf[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  byte[] bytes(int n, String field) throws InvalidSyntaxException {
    need(n, field);
    byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return b;
  }

  void skip(int n, String field) throws InvalidSyntaxException {
    need(n, field);
    pos += n;
  }

  /** All that is left. */
  byte[] rest() {
    byte[] b = Arrays.copyOfRange(buf, pos, end);
    pos = end;
    return b;
  }

  /** A reader over the next {@code n} bytes, which this reader skips. */
  WireReader sub(int n, String subWhere) throws InvalidSyntaxException {
    need(n, subWhere);
    WireReader r = new WireReader(buf, pos, n, subWhere);
    pos += n;
    return r;
  }

  /** Fails if bytes are left over: a length field and the structure inside it disagree. */
  void expectEnd(String what) throws InvalidSyntaxException {
    if (remaining() != 0) {
      throw error(remaining() + " unexpected bytes after " + what);
    }
  }
}
