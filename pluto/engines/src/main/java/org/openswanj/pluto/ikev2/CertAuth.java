package org.openswanj.pluto.ikev2;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.openswanj.conf.AuthBy;
import org.openswanj.conf.RsaSigKey;
import org.openswanj.conf.id.Identity;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.crypto.sig.Ikev2SignatureAuth;
import org.openswanj.pluto.crypto.sig.KeyPolicy;
import org.openswanj.pluto.crypto.sig.SigVerdict;
import org.openswanj.pluto.crypto.sig.SignatureHashAlgorithms;
import org.openswanj.pluto.crypto.sig.SigningException;
import org.openswanj.pluto.ike.wire.AuthMethod;
import org.openswanj.pluto.ike.wire.AuthPayload;
import org.openswanj.pluto.ike.wire.CertPayload;
import org.openswanj.pluto.ike.wire.CertReqPayload;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.pki.CertRequests;
import org.openswanj.pluto.pki.CertVerdict;
import org.openswanj.pluto.pki.LocalCert;
import org.openswanj.pluto.x509.Credentials;
import org.openswanj.pluto.x509.PeerCheck;

/**
 * Certificate authentication for IKEv2 (RFC 7296 §2.15, §3.6, §3.7; RFC 7427): the SIGNATURE_HASH_ALGORITHMS and
 * CERTREQ of IKE_SA_INIT, our CERT payloads and signature, and the check of the peer's certificates before its
 * signature. Pure helpers: the exchange (Auth, SaInit) decides when they run.
 */
final class CertAuth {
  private CertAuth() {}

  /** True if the conn authenticates with signatures (authby=rsasig, Openswan's default). */
  static boolean signatures(Connection c) {
    return c.config().authby().contains(AuthBy.RSASIG);
  }

  /** True if the peer is checked through a certificate rather than a raw key (rightrsasigkey=). */
  static boolean peerByCertificate(Connection c) {
    return signatures(c) && !(c.remote().rsaSigKey() instanceof RsaSigKey.Raw);
  }

  /** RFC 7427 §4: the SIGNATURE_HASH_ALGORITHMS notify we announce. */
  static NotifyPayload hashNotify() {
    return new NotifyPayload(NotifyType.SIGNATURE_HASH_ALGORITHMS,
        SignatureHashAlgorithms.encode(SignatureHashAlgorithms.announced(KeyPolicy.DEFAULT)));
  }

  /** Reads the peer's IKE_SA_INIT: its hash algorithms (RFC 7427 §4) and CERTREQs (RFC 7296 §3.7). */
  static void readInit(IkeSa sa, Ikev2Message m) {
    sa.peerSigHashes = SignatureHashAlgorithms.decode(
        m.notify(NotifyType.SIGNATURE_HASH_ALGORITHMS).map(NotifyPayload::data).orElse(null));
    readCertReq(sa, m);
  }

  static void readCertReq(IkeSa sa, Ikev2Message m) {
    List<byte[]> reqs = m.all(CertReqPayload.class).stream()
        .filter(r -> r.encoding() == CertRequests.X509_SIGNATURE).map(CertReqPayload::data).toList();
    if (!reqs.isEmpty() || !sa.peerCertReq.asked()) {
      sa.peerCertReq = CertRequests.fromIkev2(reqs);
    }
  }

  /** Our CERTREQ (RFC 7296 §3.7: hashes of every CA we trust), if we trust any. */
  static Optional<Payload> certReq(Credentials cred) {
    if (cred == null || cred.cas().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new CertReqPayload(CertRequests.X509_SIGNATURE, CertRequests.ikev2Data(cred.cas())));
  }

  /** Our CERT payloads under leftsendcert= and the peer's CERTREQ; end certificate first (RFC 7296 §3.6). */
  static List<Payload> certs(Connection c, IkeSa sa) {
    List<Payload> out = new ArrayList<>();
    Optional<LocalCert> ours = c.certs().local();
    if (ours.isEmpty()) {
      return out;
    }
    for (X509Certificate x : CertRequests.toSend(c.local().sendCert(), ours.get(), sa.peerCertReq)) {
      try {
        out.add(new CertPayload(CertPayload.X509_SIGNATURE, x.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("our certificate cannot be encoded", e);
      }
    }
    return out;
  }

  /**
   * Our AUTH payload with our certificate's key: RFC 7427 method 14 when the peer announced hashes we share, else
   * the key's classic method (1 for RSA, 9/10/11 for ECDSA).
   */
  static Authenticator.Result<AuthPayload> sign(Connection c, Secrets secrets, IkeSa sa, byte[] octets) {
    LocalCert ours = c.certs().local().orElseThrow();
    PublicKey certKey = ours.certificate().getPublicKey();
    Optional<PrivateKey> key = secrets.findPrivateKey(c.localId(), certKey);
    if (key.isEmpty()) {
      return Authenticator.Result.fail("no private key in ipsec.secrets for the certificate '"
          + ours.subjectId() + "' (" + certKey.getAlgorithm() + ")");
    }
    try {
      Ikev2SignatureAuth.Signed s = Ikev2SignatureAuth.sign(key.get(), octets, sa.peerSigHashes, KeyPolicy.DEFAULT);
      return Authenticator.Result.ok(new AuthPayload(AuthMethod.fromWire(s.authMethod()), s.authMethod(),
          s.authData()));
    } catch (SigningException e) {
      return Authenticator.Result.fail(e.getMessage());
    }
  }

  /** The certificates to check: what the peer sent in CERT payloads, else rightcert=. */
  static List<byte[]> peerCertificates(Connection c, Ikev2Message m) {
    List<byte[]> sent = m.all(CertPayload.class).stream()
        .filter(p -> p.encoding() == CertPayload.X509_SIGNATURE).map(CertPayload::data).toList();
    return sent.isEmpty() ? PeerCheck.configured(c.certs()) : sent;
  }

  /** Starts the chain check (on a worker); the future never fails. */
  static CompletableFuture<CertVerdict> check(Credentials cred, Connection c, Identity peerId, List<byte[]> certs) {
    return PeerCheck.check(cred, c.certs(), peerId, certs);
  }

  /** The peer's AUTH checked with its verified certificate's key. */
  static SigVerdict verify(CertVerdict.Trusted t, AuthPayload auth, byte[] octets) {
    return Ikev2SignatureAuth.verify(auth.rawMethod(), t.publicKey(), octets, auth.data(), KeyPolicy.DEFAULT);
  }
}
