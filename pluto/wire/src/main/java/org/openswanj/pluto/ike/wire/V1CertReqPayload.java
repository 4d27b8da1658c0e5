package org.openswanj.pluto.ike.wire;

/** ISAKMP Certificate Request payload (RFC 2408 §3.10); data = a CA distinguished name, or empty. */
public record V1CertReqPayload(int encoding, byte[] data) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.CR_V1;
  }
}
