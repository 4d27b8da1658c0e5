package org.openswanj.pluto.x509;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.openswanj.conf.id.Identity;
import org.openswanj.pluto.crypto.sig.KeyPolicy;
import org.openswanj.pluto.pki.CertVerdict;
import org.openswanj.pluto.pki.PeerCertificates;
import org.openswanj.pluto.pki.Refusal;

/** The check of a peer's certificates that both IKE versions run before its signature (pluto-pki's verifier). */
public final class PeerCheck {
  private PeerCheck() {}

  /**
   * Starts the chain check on a worker; the future never fails.
   *
   * @param conn the conn's certificates (rightca=, rightcert=)
   * @param certs what the peer sent (end certificate first), or rightcert= when it sent none
   */
  public static CompletableFuture<CertVerdict> check(Credentials cred, ConnCerts conn, Identity peerId,
      List<byte[]> certs) {
    if (cred == null) {
      return CompletableFuture.completedFuture(new CertVerdict.Refused(Refusal.UNKNOWN_CA,
          "no CA certificates are loaded"));
    }
    return cred.verifier().verify(new PeerCertificates(certs, peerId, conn.peerCa(), KeyPolicy.DEFAULT));
  }

  /** rightcert= as DER, for a peer that sends no CERT payload. */
  public static List<byte[]> configured(ConnCerts conn) {
    try {
      return conn.peer().isPresent() ? List.of(conn.peer().get().getEncoded()) : List.of();
    } catch (java.security.cert.CertificateEncodingException e) {
      return List.of();
    }
  }
}
