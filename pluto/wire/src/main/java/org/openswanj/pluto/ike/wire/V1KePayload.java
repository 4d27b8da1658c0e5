package org.openswanj.pluto.ike.wire;

/** ISAKMP Key Exchange payload (RFC 2408 §3.7). */
public record V1KePayload(byte[] keyData) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.KE_V1;
  }
}
