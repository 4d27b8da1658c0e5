package org.openswanj.pluto.ike.wire;

/** ISAKMP Signature payload (RFC 2408 §3.12). */
public record SigPayload(byte[] signature) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.SIG;
  }
}
