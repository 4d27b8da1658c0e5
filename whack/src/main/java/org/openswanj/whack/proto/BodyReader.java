package org.openswanj.whack.proto;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Bounds-checked reads from one request body; every failure names the request type and the field. */
final class BodyReader {
  private final RequestType type;
  private final ByteBuffer buf;

  BodyReader(RequestType type, byte[] body) {
    this.type = type;
    this.buf = ByteBuffer.wrap(body);
  }

  String string(String field) throws WhackProtocolException {
    need(4, field + " length");
    int length = buf.getInt();
    if (length < 0 || length > WhackCodec.MAX_STRING) {
      throw fail(field + " claims " + Integer.toUnsignedString(length) + " bytes (limit "
          + WhackCodec.MAX_STRING + ")");
    }
    need(length, field);
    ByteBuffer slice = buf.slice();
    slice.limit(length);
    buf.position(buf.position() + length);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice).toString();
    } catch (CharacterCodingException e) {
      throw fail(field + " is not valid UTF-8");
    }
  }

  /** A connection name: non-empty, no control characters (it is echoed in log lines). */
  String name() throws WhackProtocolException {
    String name = string("connection name");
    if (name.isEmpty()) {
      throw fail("empty connection name");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw fail("connection name contains a control character");
    }
    return name;
  }

  boolean bool(String field) throws WhackProtocolException {
    need(1, field);
    byte b = buf.get();
    if (b != 0 && b != 1) {
      throw fail(field + " is " + (b & 0xFF) + ", not 0 or 1");
    }
    return b == 1;
  }

  long longValue(String field) throws WhackProtocolException {
    need(8, field);
    return buf.getLong();
  }

  int count(String field) throws WhackProtocolException {
    need(2, field + " count");
    int count = buf.getShort() & 0xFFFF;
    if (count > WhackCodec.MAX_ITEMS) {
      throw fail(count + " " + field + " exceed the limit of " + WhackCodec.MAX_ITEMS);
    }
    return count;
  }

  void expectEnd() throws WhackProtocolException {
    if (buf.hasRemaining()) {
      throw fail(buf.remaining() + " unexpected bytes after the last field");
    }
  }

  private void need(int bytes, String field) throws WhackProtocolException {
    if (buf.remaining() < bytes) {
      throw fail("truncated at " + field + " (offset " + buf.position() + ": needs " + bytes
          + " bytes, " + buf.remaining() + " left)");
    }
  }

  private WhackProtocolException fail(String what) {
    return new WhackProtocolException(type + " request: " + what);
  }
}
