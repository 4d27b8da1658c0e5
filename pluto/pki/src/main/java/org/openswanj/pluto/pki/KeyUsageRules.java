package org.openswanj.pluto.pki;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Key usage and extended key usage of a peer's end certificate, as strongSwan and Libreswan treat them:
 * <ul>
 *   <li>keyUsage, if present, must include digitalSignature or nonRepudiation (RFC 4945 §5.1.3.2; strongSwan's
 *       X509_IKE_COMPLIANT flag and pubkey_authenticator.c "rejecting certificate without digitalSignature or
 *       nonRepudiation keyUsage flags"; Libreswan test x509-profile-01-key-usage);</li>
 *   <li>extendedKeyUsage, if present, must include one purpose IKE accepts: id-kp-ipsecIKE or
 *       anyExtendedKeyUsage (RFC 4945 §5.1.3.12), and — as Libreswan establishes with them in test
 *       x509-profile-02-extended-key-usage, and strongSwan, which ignores EKU, does too — serverAuth, clientAuth
 *       (what Windows and most CAs issue), iKEIntermediate and the old ipsecEndSystem/Tunnel/User. A
 *       certificate whose EKU lists only other purposes (codeSigning alone) is refused, as Libreswan does.</li>
 * </ul>
 */
final class KeyUsageRules {
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int NON_REPUDIATION = 1;
  private static final Map<String, String> IKE_PURPOSES = Map.of(
      "2.5.29.37.0", "anyExtendedKeyUsage",
      "1.3.6.1.5.5.7.3.17", "ipsecIKE",
      "1.3.6.1.5.5.7.3.1", "serverAuth",
      "1.3.6.1.5.5.7.3.2", "clientAuth",
      "1.3.6.1.5.5.8.2.2", "iKEIntermediate",
      "1.3.6.1.5.5.7.3.5", "ipsecEndSystem",
      "1.3.6.1.5.5.7.3.6", "ipsecTunnel",
      "1.3.6.1.5.5.7.3.7", "ipsecUser");
  private static final Map<String, String> OTHER_NAMES = Map.of(
      "1.3.6.1.5.5.7.3.3", "codeSigning",
      "1.3.6.1.5.5.7.3.4", "emailProtection",
      "1.3.6.1.5.5.7.3.8", "timeStamping",
      "1.3.6.1.5.5.7.3.9", "OCSPSigning");

  private KeyUsageRules() {}

  /** Empty if the certificate may authenticate IKE; else why not, for the refusal line. */
  static Optional<String> problem(X509Certificate cert) {
    boolean[] ku = cert.getKeyUsage();
    if (ku != null && !(bit(ku, DIGITAL_SIGNATURE) || bit(ku, NON_REPUDIATION))) {
      return Optional.of("keyUsage has neither digitalSignature nor nonRepudiation (RFC 4945 §5.1.3.2)");
    }
    List<String> eku;
    try {
      eku = cert.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return Optional.of("extendedKeyUsage cannot be parsed");
    }
    if (eku == null || eku.stream().anyMatch(IKE_PURPOSES::containsKey)) {
      return Optional.empty();
    }
    List<String> names = eku.stream().map(o -> OTHER_NAMES.getOrDefault(o, o)).toList();
    return Optional.of("extendedKeyUsage " + String.join(", ", names) + " allows no IKE use (need ipsecIKE, "
        + "anyExtendedKeyUsage, serverAuth or clientAuth; RFC 4945 §5.1.3.12)");
  }

  private static boolean bit(boolean[] ku, int i) {
    return ku.length > i && ku[i];
  }
}
