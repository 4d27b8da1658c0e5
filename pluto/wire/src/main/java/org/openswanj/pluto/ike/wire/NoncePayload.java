package org.openswanj.pluto.ike.wire;

/** IKEv2 Nonce payload (RFC 7296 §3.9): 16..256 bytes. */
public record NoncePayload(byte[] nonce) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.NONCE;
  }
}
