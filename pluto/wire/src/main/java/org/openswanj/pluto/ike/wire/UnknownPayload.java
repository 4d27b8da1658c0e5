package org.openswanj.pluto.ike.wire;

/** A payload of a type this codec does not know, without the critical bit (RFC 7296 §2.5): kept, to be skipped. */
public record UnknownPayload(int rawType, boolean critical, byte[] body) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.UNKNOWN;
  }
}
