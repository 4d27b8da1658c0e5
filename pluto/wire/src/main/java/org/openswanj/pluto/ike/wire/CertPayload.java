package org.openswanj.pluto.ike.wire;

/** IKEv2 Certificate payload (RFC 7296 §3.6). */
public record CertPayload(int encoding, byte[] data) implements Payload {
  /** RFC 7296 §3.6 encoding 4. */
  public static final int X509_SIGNATURE = 4;

  @Override
  public PayloadType payloadType() {
    return PayloadType.CERT;
  }
}
