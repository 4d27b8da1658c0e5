package org.openswanj.pluto.ikev2;

import java.security.InvalidKeyException;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;
import org.openswanj.conf.AuthBy;
import org.openswanj.conf.RsaSigKey;
import org.openswanj.conf.id.Identity;
import org.openswanj.conf.secrets.Psk;
import org.openswanj.conf.secrets.RsaPrivateKey;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.crypto.HashAlg;
import org.openswanj.pluto.crypto.PskAuth;
import org.openswanj.pluto.crypto.RsaAuth;
import org.openswanj.pluto.ike.wire.AuthMethod;
import org.openswanj.pluto.ike.wire.AuthPayload;

/**
 * The AUTH payload for a conn's {@code authby=}: a pre-shared key MAC (RFC 7296 §2.15) or an RSA signature
 * with PKCS#1 v1.5 over SHA-1 (RFC 7296 §3.8, method 1; what Openswan 2.6 sends) using the raw keys of
 * {@code leftrsasigkey=} / {@code rightrsasigkey=} and the private key in ipsec.secrets, or NULL authentication
 * (RFC 7619 §2.1, method 13): the pre-shared key MAC of RFC 7296 §2.15 with the signer's SK_pi or SK_pr as the
 * key, so the exchange is still bound to the keys while neither peer proves who it is.
 */
final class Authenticator {
  private Authenticator() {}

  /**
   * Our AUTH payload over {@code octets}, or a reason why we cannot make one; {@code ourSkP} is our SK_pi (as
   * initiator) or SK_pr, the key of a NULL AUTH, used when authby= allows nothing better we hold a secret for.
   */
  static Result<AuthPayload> sign(Connection c, Secrets secrets, Identity localId, Identity remoteId,
      org.openswanj.alg.Prf prf, byte[] octets, byte[] ourSkP) {
    if (c.config().authby().equals(java.util.Set.of(AuthBy.NULL))) {
      return Result.ok(nullAuth(prf, ourSkP, octets));
    }
    if (c.config().authby().contains(AuthBy.SECRET)) {
      Optional<Psk> psk = secrets.findPsk(localId, remoteId);
      if (psk.isPresent()) {
        return Result.ok(new AuthPayload(AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE,
            PskAuth.authData(prf, psk.get().bytes(), octets)));
      }
      if (!c.config().authby().contains(AuthBy.RSASIG)) {
        return Result.fail("no pre-shared key found for " + localId + " to " + remoteId + " in ipsec.secrets");
      }
    }
    if (c.config().authby().contains(AuthBy.RSASIG)) {
      RSAPublicKey hint = publicKey(c.local().rsaSigKey()).orElse(null);
      Optional<RsaPrivateKey> key = secrets.findRsaKey(localId, hint);
      if (key.isEmpty() && c.config().authby().contains(AuthBy.NULL)) {
        return Result.ok(nullAuth(prf, ourSkP, octets));
      }
      if (key.isEmpty()) {
        return Result.fail("no RSA private key for " + localId + " in ipsec.secrets");
      }
      return Result.ok(new AuthPayload(AuthMethod.RSA_DIGITAL_SIGNATURE,
          RsaAuth.sign(key.get().privateKey(), octets, HashAlg.SHA1)));
    }
    return Result.fail("authby=" + c.config().authby() + " is not supported with IKEv2 here");
  }

  /**
   * Checks the peer's AUTH; a method the conn does not allow fails. {@code peerSkP}: the peer's SK_pi or SK_pr,
   * the key of its NULL AUTH (RFC 7619 §2.1: still verified, it binds the exchange to the IKE SA's keys).
   */
  static Result<Boolean> verify(Connection c, Secrets secrets, Identity localId, Identity peerId,
      org.openswanj.alg.Prf prf, AuthPayload auth, byte[] octets, byte[] peerSkP) {
    if (auth.method() == AuthMethod.NULL_AUTHENTICATION && c.config().authby().contains(AuthBy.NULL)) {
      return PskAuth.verify(prf, peerSkP, octets, auth.data()) ? Result.ok(true)
          : Result.fail("NULL authentication AUTH payload does not verify");
    }
    if (auth.method() == AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE && c.config().authby().contains(AuthBy.SECRET)) {
      Optional<Psk> psk = secrets.findPsk(localId, peerId);
      if (psk.isEmpty()) {
        return Result.fail("no pre-shared key for " + peerId);
      }
      return PskAuth.verify(prf, psk.get().bytes(), octets, auth.data()) ? Result.ok(true)
          : Result.fail("pre-shared key AUTH payload does not verify");
    }
    if (auth.method() == AuthMethod.RSA_DIGITAL_SIGNATURE && c.config().authby().contains(AuthBy.RSASIG)) {
      Optional<RSAPublicKey> key = publicKey(c.remote().rsaSigKey());
      if (key.isEmpty()) {
        return Result.fail("no raw RSA public key for the peer (rightrsasigkey=)");
      }
      // RFC 8247 §3.2: RSA keys under 2048 bits are refused (a 512-bit rightrsasigkey= used to pass)
      Optional<String> weak = org.openswanj.pluto.crypto.sig.KeyPolicy.DEFAULT.refusal(key.get());
      if (weak.isPresent()) {
        return Result.fail("the peer's raw RSA key (rightrsasigkey=) is refused: " + weak.get());
      }
      return RsaAuth.verify(key.get(), octets, auth.data(), HashAlg.SHA1) ? Result.ok(true)
          : Result.fail("RSA signature does not verify with the peer's key " + RsaAuth.keyId(key.get()));
    }
    return Result.fail("AUTH method " + auth.rawMethod() + " is not allowed by authby=" + c.config().authby());
  }

  /** RFC 7619 §2.1: AUTH = prf(prf(SK_px, "Key Pad for IKEv2"), <signed octets>), method 13. */
  private static AuthPayload nullAuth(org.openswanj.alg.Prf prf, byte[] skP, byte[] octets) {
    return new AuthPayload(AuthMethod.NULL_AUTHENTICATION, PskAuth.authData(prf, skP, octets));
  }

  static Optional<RSAPublicKey> publicKey(RsaSigKey k) {
    if (k instanceof RsaSigKey.Raw raw) {
      try {
        return Optional.of(RsaAuth.fromRfc3110(raw.rfc3110()));
      } catch (InvalidKeyException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A value or the reason there is none. */
  record Result<T>(T value, String error) {
    static <T> Result<T> ok(T v) {
      return new Result<>(v, null);
    }

    static <T> Result<T> fail(String why) {
      return new Result<>(null, why);
    }

    boolean ok() {
      return error == null;
    }
  }
}
