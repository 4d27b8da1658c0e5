package org.openswanj.pluto.ike.wire;

/** IKEv2 Encrypted payload (RFC 7296 §3.14): {@code body} is IV ‖ ciphertext ‖ ICV as on the wire. */
public record SkPayload(int firstInnerPayload, byte[] body) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.SK;
  }
}
