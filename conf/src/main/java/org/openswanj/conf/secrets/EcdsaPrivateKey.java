package org.openswanj.conf.secrets;

import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;

/**
 * An EC private key from ipsec.secrets ({@code : ECDSA file.pem}, SEC1 or PKCS#8 PEM), with its public half so a
 * certificate's key can find it. Not in Openswan 2.6 (its keys are RSA only); Libreswan and strongSwan read the
 * same {@code : ECDSA} form.
 */
public final class EcdsaPrivateKey implements Secret {
  private final ECPrivateKey privateKey;
  private final ECPublicKey publicKey;

  public EcdsaPrivateKey(ECPrivateKey privateKey, ECPublicKey publicKey) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
  }

  public ECPrivateKey privateKey() {
    return privateKey;
  }

  public ECPublicKey publicKey() {
    return publicKey;
  }

  /** The size of the curve's field in bits (256 for P-256). */
  public int fieldBits() {
    return publicKey.getParams().getCurve().getField().getFieldSize();
  }

  /** True if {@code key} is this key's public half (same point on the same curve). */
  public boolean hasPublicKey(PublicKey key) {
    return key instanceof ECPublicKey e && e.getW().equals(publicKey.getW())
        && e.getParams().getCurve().equals(publicKey.getParams().getCurve());
  }

  @Override
  public SecretKind kind() {
    return SecretKind.ECDSA;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EcdsaPrivateKey k && hasPublicKey(k.publicKey) && k.privateKey.getS().equals(privateKey.getS());
  }

  @Override
  public int hashCode() {
    return publicKey.getW().hashCode();
  }

  @Override
  public String toString() {
    return "[ECDSA private key, " + fieldBits() + " bits]";
  }
}
