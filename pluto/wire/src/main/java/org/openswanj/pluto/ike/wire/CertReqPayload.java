package org.openswanj.pluto.ike.wire;

/** IKEv2 Certificate Request payload (RFC 7296 §3.7); data = concatenated SHA-1 hashes of CA public keys. */
public record CertReqPayload(int encoding, byte[] data) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.CERTREQ;
  }
}
