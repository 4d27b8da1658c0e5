package org.openswanj.conf.secrets;

/** A secret value. Every implementation's {@code toString()} is redacted: it never shows key material. */
public sealed interface Secret permits Psk, RsaPrivateKey, EcdsaPrivateKey, XauthPassword, LockedRsaKey,
    ClusterSecret {
  SecretKind kind();
}
