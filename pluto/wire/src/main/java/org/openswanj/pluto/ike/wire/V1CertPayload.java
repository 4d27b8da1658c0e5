package org.openswanj.pluto.ike.wire;

/** ISAKMP Certificate payload (RFC 2408 §3.9); encoding 4 = X.509 signature. */
public record V1CertPayload(int encoding, byte[] data) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.CERT_V1;
  }
}
