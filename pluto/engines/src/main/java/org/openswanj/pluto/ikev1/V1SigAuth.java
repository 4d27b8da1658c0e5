package org.openswanj.pluto.ikev1;

import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.conf.RsaSigKey;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.crypto.RsaAuth;
import org.openswanj.pluto.crypto.sig.Ikev1RsaSignature;
import org.openswanj.pluto.crypto.sig.KeyPolicy;
import org.openswanj.pluto.crypto.sig.SigVerdict;
import org.openswanj.pluto.crypto.sig.SigningException;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.SigPayload;
import org.openswanj.pluto.ike.wire.V1CertPayload;
import org.openswanj.pluto.pki.CertRequests;

/**
 * Phase 1 signatures (RFC 2409 §5.1): SIG_I/SIG_R are HASH_I/HASH_R signed with our private key by the negotiated
 * method (RSA, or ECDSA by RFC 4754; the schemes are pluto-crypto's, shared with IKEv2), checked with the peer's
 * raw RSA key ({@code rightrsasigkey=}) or its certificate. Pure helpers; {@link V1PeerAuth} decides when they run.
 */
final class V1SigAuth {
  private V1SigAuth() {}

  static boolean uses(Connection c) {
    return V1Proposals.authMethod(c).signature();
  }

  /** Our private key: the half of leftcert='s key or of leftrsasigkey=, else the best by ID; or why not. */
  static Optional<PrivateKey> ourKey(Connection c, Secrets secrets) {
    if (c.certs().local().isPresent()) {
      java.security.PublicKey pub = c.certs().local().get().certificate().getPublicKey();
      return secrets.findPrivateKey(c.localId(), pub).filter(k -> k.getAlgorithm().equals(pub.getAlgorithm()));
    }
    return secrets.findRsaKey(c.localId(), rawKey(c.local().rsaSigKey()).orElse(null))
        .map(k -> (PrivateKey) k.privateKey());
  }

  static Optional<RSAPublicKey> rawKey(RsaSigKey k) {
    if (k instanceof RsaSigKey.Raw raw) {
      try {
        return Optional.of(RsaAuth.fromRfc3110(raw.rfc3110()));
      } catch (InvalidKeyException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** ID, [CERT], SIG (RFC 2409 §5.1: HDR*, IDii, [CERT,] SIG_I). */
  static List<Payload> authPayloads(IsakmpSa sa, Payload id, byte[] hash) throws SigningException {
    List<Payload> out = new ArrayList<>();
    out.add(id);
    if (sa.conn.certs().local().isPresent()) {
      for (var x : CertRequests.toSend(sa.conn.local().sendCert(), sa.conn.certs().local().get(),
          new CertRequests.Requested(true, List.of(), List.of()))) {
        try {
          out.add(new V1CertPayload(CertRequests.X509_SIGNATURE, x.getEncoded()));
        } catch (CertificateEncodingException e) {
          throw new SigningException("our certificate cannot be encoded");
        }
      }
    }
    out.add(new SigPayload(sa.authMethod.scheme().sign(sa.privateKey, hash, KeyPolicy.DEFAULT)));
    return out;
  }

  /** True if the peer is checked through its certificate: rsasig without a raw rightrsasigkey=. */
  static boolean byCertificate(Connection c) {
    return uses(c) && !(c.remote().rsaSigKey() instanceof RsaSigKey.Raw);
  }

  /** The peer's CERT payloads (X.509 signature, end certificate first), else rightcert=. */
  static List<byte[]> peerCertificates(Connection c, List<Payload> ps) {
    List<byte[]> sent = ps.stream().filter(V1CertPayload.class::isInstance).map(V1CertPayload.class::cast)
        .filter(x -> x.encoding() == CertRequests.X509_SIGNATURE).map(V1CertPayload::data).toList();
    return sent.isEmpty() ? org.openswanj.pluto.x509.PeerCheck.configured(c.certs()) : sent;
  }

  /** Empty if the verdict trusts the certificate and its key verifies SIG; else the one-line reason. */
  static Optional<String> certProblem(IsakmpSa sa, org.openswanj.pluto.pki.CertVerdict v, byte[] hash,
      byte[] sig) {
    if (v instanceof org.openswanj.pluto.pki.CertVerdict.Refused no) {
      return Optional.of("certificate refused: " + no.line());
    }
    var t = (org.openswanj.pluto.pki.CertVerdict.Trusted) v;
    // RFC 4754 §3: the negotiated method fixes the peer's curve too; a key on another curve is refused here
    SigVerdict ok = sa.authMethod.scheme().verify(t.publicKey(), hash, sig, KeyPolicy.DEFAULT);
    if (!ok.isValid()) {
      return Optional.of("signature of " + t.describe() + " does not verify: " + ok.reason());
    }
    t.warnings().forEach(w -> V1Log.sa(sa, Outcome.COMMENT, w));
    sa.peerCert = t.certificate();
    return Optional.empty();
  }

  /**
   * Our CR payloads, one per trusted CA (RFC 2408 §3.10), when we want the peer's certificate; sent with KE in
   * MI2/MR2, where strongSwan and Openswan look for them before they send their CERT.
   */
  static List<Payload> certRequests(Connection c, org.openswanj.pluto.x509.Credentials cred) {
    if (!byCertificate(c) || cred == null || cred.cas().isEmpty()) {
      return List.of();
    }
    List<Payload> out = new ArrayList<>();
    for (byte[] dn : CertRequests.ikev1Data(cred.cas())) {
      out.add(new org.openswanj.pluto.ike.wire.V1CertReqPayload(CertRequests.X509_SIGNATURE, dn));
    }
    return out;
  }

  /** Checks SIG_I/SIG_R with the peer's raw key. */
  static SigVerdict verifyRaw(Connection c, byte[] hash, byte[] sig) {
    Optional<RSAPublicKey> k = rawKey(c.remote().rsaSigKey());
    if (k.isEmpty()) {
      return SigVerdict.unsupported("no RSA public key for the peer (rightrsasigkey= or a certificate)");
    }
    return new Ikev1RsaSignature().verify(k.get(), hash, sig, KeyPolicy.DEFAULT);
  }
}
