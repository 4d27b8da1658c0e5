package org.openswanj.kernel.klips.esp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * ESP packet layout (RFC 4303 §2): SPI, sequence number (low 32 bits), IV, encrypted payload with its
 * padding, pad length and next header, ICV. Pure: no I/O, no state beyond what the caller passes.
 */
public final class EspCodec {
  /** SPI and sequence number. */
  public static final int HEADER = 8;

  private EspCodec() {}

  /** Bytes the ESP wrapping adds to a payload of {@code payload} bytes (for MTU computation). */
  public static int overhead(EspTransform t, int payload) {
    return padded(t, payload) - payload + HEADER + t.ivLength() + t.icvLength();
  }

  private static int padded(EspTransform t, int payload) {
    int align = t.blockSize();
    return (payload + 2 + align - 1) / align * align;
  }

  /**
   * Encapsulates {@code clear}'s bytes from its position to its limit (the payload) into {@code wire} at its position.
   * {@code clear} must have room for up to blockSize + 1 trailer bytes after its limit; they are written.
   *
   * @return the ESP packet's length; {@code wire}'s position is after it
   */
  public static int encode(EspTransform t, int spi, long seq, boolean esn, int nextHeader, ByteBuffer clear,
      ByteBuffer wire) throws GeneralSecurityException {
    int from = clear.position();
    int len = clear.limit() - from;
    int total = padded(t, len);
    int padLen = total - len - 2;
    clear.limit(from + total);
    for (int i = 1; i <= padLen; i++) {
      clear.put(from + len + i - 1, (byte) i); // RFC 4303 §2.4: 1, 2, 3, ...
    }
    clear.put(from + total - 2, (byte) padLen);
    clear.put(from + total - 1, (byte) nextHeader);
    int start = wire.position();
    wire.putInt(spi).putInt((int) seq);
    t.seal(seq, esn, clear, wire, start);
    return wire.position() - start;
  }

  /** The SPI of the ESP packet at {@code wire}'s position. */
  public static int spi(ByteBuffer wire) {
    return wire.getInt(wire.position());
  }

  /** The low 32 bits of the sequence number of the ESP packet at {@code wire}'s position. */
  public static int sequence(ByteBuffer wire) {
    return wire.getInt(wire.position() + 4);
  }

  /**
   * Verifies and decrypts the ESP packet in {@code wire} (position..limit) into {@code clear} from its
   * position on; on return {@code clear}'s position is unchanged and its limit is the end of the payload.
   *
   * @param seq the full sequence number (with the inferred high bits for ESN)
   * @return the next-header value (4 = IPv4, 41 = IPv6 for tunnel mode)
   */
  public static int decode(EspTransform t, long seq, boolean esn, ByteBuffer wire, ByteBuffer clear) throws EspException {
    if (wire.remaining() < HEADER + t.ivLength() + t.icvLength() + 2) {
      throw new EspException(EspException.Reason.MALFORMED, "ESP packet of " + wire.remaining() + " bytes is too short");
    }
    int begin = clear.position();
    clear.limit(clear.capacity());
    t.open(seq, esn, wire, clear);
    int end = clear.position();
    if (end - begin < 2) {
      throw new EspException(EspException.Reason.MALFORMED, "ESP payload shorter than its trailer");
    }
    int padLen = clear.get(end - 2) & 0xff;
    int nextHeader = clear.get(end - 1) & 0xff;
    if (padLen > end - begin - 2) {
      throw new EspException(EspException.Reason.BAD_PADDING,
          "pad length " + padLen + " exceeds the payload of " + (end - begin - 2));
    }
    clear.position(begin).limit(end - 2 - padLen);
    return nextHeader;
  }
}
