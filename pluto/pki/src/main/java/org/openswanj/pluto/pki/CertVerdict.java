package org.openswanj.pluto.pki;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** The outcome of checking a peer's certificate: trusted (with its key for the AUTH check), or refused. */
public sealed interface CertVerdict {
  /**
   * The certificate chains to a trusted CA and passed every check.
   *
   * @param certificate the peer's end certificate
   * @param caPath the CAs above it, issuer first, the trust anchor last
   * @param warnings lines to log (revocation unknown under strictcrlpolicy=no, ...)
   */
  record Trusted(X509Certificate certificate, List<X509Certificate> caPath, List<String> warnings)
      implements CertVerdict {
    public Trusted {
      caPath = List.copyOf(caPath);
      warnings = List.copyOf(warnings);
    }

    /** The key that must verify the peer's AUTH payload. */
    public PublicKey publicKey() {
      return certificate.getPublicKey();
    }

    /** For status lines: "'subject' issued by 'issuer'". */
    public String describe() {
      return "'" + Dn.subject(certificate) + "' issued by '" + Dn.issuer(certificate) + "'";
    }
  }

  /**
   * Refused.
   *
   * @param refusal the reason, typed
   * @param line one log line saying which certificate and why
   */
  record Refused(Refusal refusal, String line) implements CertVerdict {}
}
