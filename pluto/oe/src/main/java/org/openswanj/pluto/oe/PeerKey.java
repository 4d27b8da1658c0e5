package org.openswanj.pluto.oe;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.openswanj.pluto.crypto.RsaAuth;

/** A peer's public key as published in DNS: its algorithm, the key for the JDK, and the bytes as published. */
public final class PeerKey {
  /** DER SubjectPublicKeyInfo prefixes (RFC 8410 §4) in front of a raw Ed25519 / Ed448 key. */
  private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");
  private static final byte[] ED448_SPKI = HexFormat.of().parseHex("3043300506032b6571033a00");

  private final OeKeyAlgorithm algorithm;
  private final PublicKey publicKey;
  private final byte[] encoded;

  private PeerKey(OeKeyAlgorithm algorithm, PublicKey publicKey, byte[] encoded) {
    this.algorithm = algorithm;
    this.publicKey = publicKey;
    this.encoded = encoded.clone();
  }

  /** Decodes a key in the format its algorithm's registry entry names. */
  public static PeerKey decode(OeKeyAlgorithm algorithm, byte[] data) throws OeRecordException {
    if (data == null || data.length == 0) {
      throw new OeRecordException(algorithm + " public key is empty"); // a KEY record of RDLENGTH 4, say
    }
    try {
      return new PeerKey(algorithm, switch (algorithm) {
        case RSA -> RsaAuth.fromRfc3110(data);
        case ECDSA -> ecdsa(data);
        case EDDSA -> eddsa(data);
      }, data);
    } catch (InvalidKeyException e) {
      throw new OeRecordException(e.getMessage());
    }
  }

  private static PublicKey ecdsa(byte[] xy) throws InvalidKeyException {
    String curve = switch (xy.length) {
      case 64 -> "secp256r1";
      case 96 -> "secp384r1";
      default -> throw new InvalidKeyException("ECDSA key of " + xy.length
          + " bytes is neither P-256 (64) nor P-384 (96)");
    };
    int half = xy.length / 2;
    try {
      AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
      ap.init(new ECGenParameterSpec(curve));
      ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOf(xy, half)),
          new BigInteger(1, Arrays.copyOfRange(xy, half, xy.length)));
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, ap.getParameterSpec(ECParameterSpec.class)));
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("ECDSA key rejected: " + e.getMessage(), e);
    }
  }

  private static PublicKey eddsa(byte[] raw) throws InvalidKeyException {
    byte[] prefix = switch (raw.length) {
      case 32 -> ED25519_SPKI;
      case 57 -> ED448_SPKI;
      default -> throw new InvalidKeyException("EdDSA key of " + raw.length
          + " bytes is neither Ed25519 (32) nor Ed448 (57)");
    };
    byte[] spki = Arrays.copyOf(prefix, prefix.length + raw.length);
    System.arraycopy(raw, 0, spki, prefix.length, raw.length);
    try {
      return KeyFactory.getInstance("EdDSA").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("EdDSA key rejected: " + e.getMessage(), e);
    }
  }

  public OeKeyAlgorithm algorithm() {
    return algorithm;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The key bytes as published (RFC 3110 blob for RSA). */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** Openswan's key id: the first nine base64 digits of the published key (e.g. "AwEAAcppS"). */
  public String keyId() {
    String b = Base64.getEncoder().encodeToString(encoded);
    return b.substring(0, Math.min(9, b.length()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerKey k && k.algorithm == algorithm && Arrays.equals(k.encoded, encoded);
  }

  @Override
  public int hashCode() {
    return 31 * algorithm.hashCode() + Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return algorithm + " key " + keyId();
  }
}
