package org.openswanj.pluto.ike.wire;

/** The encrypted rest of an IKEv1 message (ENCRYPTION flag set, RFC 2408 §3.1): the exchange decrypts it and calls {@link IkeCodec#decodeV1Chain}. {@code firstPayload} is the header's Next Payload. */
public record V1EncryptedBody(int firstPayload, byte[] ciphertext) implements Payload {
  public V1EncryptedBody(byte[] ciphertext) {
    this(0, ciphertext);
  }

  @Override
  public PayloadType payloadType() {
    return PayloadType.NONE;
  }
}
