package org.openswanj.pluto.ike.wire;

/** ISAKMP Nonce payload (RFC 2408 §3.13). */
public record V1NoncePayload(byte[] nonce) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.NONCE_V1;
  }
}
