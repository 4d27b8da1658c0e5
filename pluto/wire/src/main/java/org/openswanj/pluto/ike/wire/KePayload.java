package org.openswanj.pluto.ike.wire;

/** IKEv2 Key Exchange payload (RFC 7296 §3.4). */
public record KePayload(int dhGroup, byte[] keyData) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.KE;
  }
}
