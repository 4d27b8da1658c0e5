package org.openswanj.pluto.ike.wire;

/** IKEv2 EAP payload (RFC 7296 §3.16): the EAP message. */
public record EapPayload(byte[] data) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.EAP;
  }
}
