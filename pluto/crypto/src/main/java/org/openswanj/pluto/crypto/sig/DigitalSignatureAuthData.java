package org.openswanj.pluto.crypto.sig;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * RFC 7427 §3: the Authentication Data of method 14 is the ASN.1 Length (one octet: the size of the
 * AlgorithmIdentifier) ‖ the DER AlgorithmIdentifier ‖ the signature.
 *
 * @param algorithmIdentifier the DER AlgorithmIdentifier, 2..255 bytes
 * @param signature the signature value, non-empty
 */
public record DigitalSignatureAuthData(byte[] algorithmIdentifier, byte[] signature) {
  public DigitalSignatureAuthData {
    if (algorithmIdentifier.length < 2 || algorithmIdentifier.length > 255) {
      throw new IllegalArgumentException("AlgorithmIdentifier of " + algorithmIdentifier.length
          + " bytes does not fit the one-octet ASN.1 Length (RFC 7427 §3)");
    }
    algorithmIdentifier = algorithmIdentifier.clone();
    signature = signature.clone();
  }

  @Override
  public byte[] algorithmIdentifier() {
    return algorithmIdentifier.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  public byte[] encode() {
    byte[] out = new byte[1 + algorithmIdentifier.length + signature.length];
    out[0] = (byte) algorithmIdentifier.length;
    System.arraycopy(algorithmIdentifier, 0, out, 1, algorithmIdentifier.length);
    System.arraycopy(signature, 0, out, 1 + algorithmIdentifier.length, signature.length);
    return out;
  }

  /**
   * Splits a peer's method-14 Authentication Data; empty if it is too short, the length octet runs past the data,
   * the AlgorithmIdentifier is not exactly one DER SEQUENCE, or no signature follows. Never throws.
   */
  public static Optional<DigitalSignatureAuthData> decode(byte[] authData) {
    if (authData == null || authData.length < 3) {
      return Optional.empty();
    }
    int len = authData[0] & 0xff;
    if (len < 2 || 1 + len >= authData.length) {
      return Optional.empty();
    }
    byte[] algId = Arrays.copyOfRange(authData, 1, 1 + len);
    try {
      // fromByteArray refuses trailing bytes, so the length octet and the DER length must agree.
      if (!(ASN1Primitive.fromByteArray(algId) instanceof ASN1Sequence)) {
        return Optional.empty();
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.of(new DigitalSignatureAuthData(algId, Arrays.copyOfRange(authData, 1 + len, authData.length)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DigitalSignatureAuthData d && Arrays.equals(algorithmIdentifier, d.algorithmIdentifier)
        && Arrays.equals(signature, d.signature);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(algorithmIdentifier) + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "DigitalSignatureAuthData[" + algorithmIdentifier.length + "-byte AlgorithmIdentifier, "
        + signature.length + "-byte signature]";
  }
}
