package org.openswanj.pluto.ike.wire;

/**
 * The fixed 28-byte header (RFC 7296 §3.1, RFC 2408 §3.1). SPIs are the IKEv1 cookies in IKEv1. {@code length}
 * is the whole message; {@link IkeCodec#encode} fills it (and {@code nextPayload}) in.
 */
public record IkeHeader(long initiatorSpi, long responderSpi, int nextPayload, int majorVersion, int minorVersion,
    int exchangeType, int flags, int messageId, int length) {

  public static final int SIZE = 28;
  // IKEv2 flags (RFC 7296 §3.1).
  public static final int FLAG_INITIATOR = 0x08;
  public static final int FLAG_VERSION = 0x10;
  public static final int FLAG_RESPONSE = 0x20;
  // IKEv1 flags (RFC 2408 §3.1).
  public static final int FLAG_ENCRYPTION = 0x01;
  public static final int FLAG_COMMIT = 0x02;
  public static final int FLAG_AUTH_ONLY = 0x04;

  /** An IKEv2 header; nextPayload and length are filled in by the encoder. */
  public static IkeHeader v2(long spiI, long spiR, ExchangeType exchange, boolean initiator, boolean response,
      int messageId) {
    int flags = (initiator ? FLAG_INITIATOR : 0) | (response ? FLAG_RESPONSE : 0);
    return new IkeHeader(spiI, spiR, 0, 2, 0, exchange.wireValue(), flags, messageId, 0);
  }

  /** An IKEv1 header (version 1.0); nextPayload and length are filled in by the encoder. */
  public static IkeHeader v1(long cookieI, long cookieR, ExchangeType exchange, int flags, int messageId) {
    return new IkeHeader(cookieI, cookieR, 0, 1, 0, exchange.wireValue(), flags, messageId, 0);
  }

  /** IKEv2 Initiator bit: set by the original initiator of the IKE SA. */
  public boolean initiator() {
    return (flags & FLAG_INITIATOR) != 0;
  }

  /** IKEv2 Response bit. */
  public boolean response() {
    return (flags & FLAG_RESPONSE) != 0;
  }

  /** IKEv1 Encryption bit: the payloads after the header are encrypted. */
  public boolean encrypted() {
    return majorVersion == 1 && (flags & FLAG_ENCRYPTION) != 0;
  }

  public ExchangeType exchange() {
    return ExchangeType.fromWire(exchangeType);
  }

  public boolean isV2() {
    return majorVersion == 2;
  }

  /** The same header with other nextPayload and length fields. */
  public IkeHeader withChain(int next, int totalLength) {
    return new IkeHeader(initiatorSpi, responderSpi, next, majorVersion, minorVersion, exchangeType, flags,
        messageId, totalLength);
  }

  /** The same header with other flags. */
  public IkeHeader withFlags(int newFlags) {
    return new IkeHeader(initiatorSpi, responderSpi, nextPayload, majorVersion, minorVersion, exchangeType,
        newFlags, messageId, length);
  }

  @Override
  public String toString() {
    return String.format("IkeHeader[%016x/%016x v%d.%d %s flags=0x%02x mid=%d np=%d len=%d]", initiatorSpi,
        responderSpi, majorVersion, minorVersion, exchange() == ExchangeType.UNKNOWN ? exchangeType : exchange(),
        flags, Integer.toUnsignedLong(messageId), nextPayload, length);
  }
}
