package org.openswanj.pluto.ike.wire;

/** ISAKMP Hash payload (RFC 2408 §3.11). */
public record HashPayload(byte[] hash) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.HASH;
  }
}
