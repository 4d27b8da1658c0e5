package org.openswanj.pluto.pki;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * OCSP (RFC 6960) with Bouncy Castle's request and response classes: one request per certificate with a nonce
 * (§4.4.1), POSTed through the {@link Fetcher}; the answer counts only if signed by the issuing CA or by a
 * responder certificate that CA issued for OCSPSigning (§4.2.2.2), names our certificate, is current (§4.2.2.1,
 * with a 5-minute allowance for clock skew) and, if it echoes a nonce, echoes ours.
 */
public final class OcspClient {
  static final Duration SKEW = Duration.ofMinutes(5);
  private final Fetcher fetcher;
  private final Clock clock;
  private final SecureRandom random;

  public OcspClient(Fetcher fetcher, Clock clock, SecureRandom random) {
    this.fetcher = fetcher;
    this.clock = clock;
    this.random = random;
  }

  /** Asks {@code responder} about {@code cert}; every failure is an {@link RevocationStatus.Unknown} with why. */
  public CompletableFuture<RevocationStatus> status(X509Certificate cert, X509Certificate issuer, URI responder) {
    CertificateID id;
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    byte[] request;
    try {
      id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
          new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
      OCSPReqBuilder b = new OCSPReqBuilder().addRequest(id);
      b.setRequestExtensions(new Extensions(
          new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce))));
      OCSPReq req = b.build();
      request = req.getEncoded();
    } catch (OperatorCreationException | OCSPException | IOException | GeneralSecurityException e) {
      return CompletableFuture.completedFuture(new RevocationStatus.Unknown("cannot build an OCSP request: "
          + e.getMessage()));
    }
    String source = "OCSP from " + responder;
    return fetcher.post(responder, "application/ocsp-request", request).handle((bytes, err) -> err != null
        ? new RevocationStatus.Unknown(source + " failed: " + CrlCache.message(err))
        : answer(bytes, id, nonce, issuer, source));
  }

  private RevocationStatus answer(byte[] bytes, CertificateID id, byte[] nonce, X509Certificate issuer,
      String source) {
    try {
      OCSPResp resp = new OCSPResp(bytes);
      if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
        return new RevocationStatus.Unknown(source + ": responder status " + resp.getStatus());
      }
      if (!(resp.getResponseObject() instanceof BasicOCSPResp basic)) {
        return new RevocationStatus.Unknown(source + ": not a basic OCSP response");
      }
      if (!signedByIssuerOrDelegate(basic, issuer)) {
        return new RevocationStatus.Unknown(source + ": response not signed by the CA or its OCSP responder");
      }
      Extension n = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      if (n != null && !Arrays.equals(nonceBytes(n), nonce)) {
        return new RevocationStatus.Unknown(source + ": nonce does not match the request (replayed answer?)");
      }
      for (SingleResp single : basic.getResponses()) {
        if (single.getCertID().equals(id)) {
          return single(single, source);
        }
      }
      return new RevocationStatus.Unknown(source + ": answer is about another certificate");
    } catch (IOException | OCSPException | RuntimeException e) {
      return new RevocationStatus.Unknown(source + ": malformed OCSP response");
    }
  }

  private RevocationStatus single(SingleResp single, String source) {
    Instant now = clock.instant();
    if (single.getThisUpdate().toInstant().isAfter(now.plus(SKEW))) {
      return new RevocationStatus.Unknown(source + ": answer dated in the future");
    }
    if (single.getNextUpdate() != null && single.getNextUpdate().toInstant().isBefore(now.minus(SKEW))) {
      return new RevocationStatus.Unknown(source + ": answer expired at " + single.getNextUpdate().toInstant());
    }
    CertificateStatus st = single.getCertStatus();
    if (st == CertificateStatus.GOOD) {
      return new RevocationStatus.Good(source);
    }
    if (st instanceof RevokedStatus r) {
      return new RevocationStatus.Revoked(r.getRevocationTime().toInstant(), source);
    }
    return new RevocationStatus.Unknown(source + ": responder does not know the certificate");
  }

  /** RFC 6960 §4.2.2.2: the CA itself, or a certificate the CA issued with id-kp-OCSPSigning. */
  private boolean signedByIssuerOrDelegate(BasicOCSPResp basic, X509Certificate issuer) {
    if (verifies(basic, issuer.getPublicKey())) {
      return true;
    }
    JcaX509CertificateHolder ca;
    try {
      ca = new JcaX509CertificateHolder(issuer);
    } catch (GeneralSecurityException e) {
      return false;
    }
    for (X509CertificateHolder h : basic.getCerts()) {
      try {
        boolean delegate = h.getIssuer().equals(ca.getSubject())
            && h.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey()))
            && h.isValidOn(java.util.Date.from(clock.instant()))
            && ocspSigning(h);
        if (delegate && basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(h))) {
          return true;
        }
      } catch (OperatorCreationException | GeneralSecurityException | OCSPException
          | org.bouncycastle.cert.CertException | RuntimeException e) {
        // Not a usable delegate; try the next.
      }
    }
    return false;
  }

  private static boolean ocspSigning(X509CertificateHolder h) {
    org.bouncycastle.asn1.x509.ExtendedKeyUsage eku =
        org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(h.getExtensions());
    return eku != null && eku.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning);
  }

  private static boolean verifies(BasicOCSPResp basic, PublicKey key) {
    try {
      return basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
    } catch (OperatorCreationException | OCSPException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] nonceBytes(Extension n) {
    byte[] v = n.getExtnValue().getOctets();
    try {
      // RFC 8954 §2.1: the nonce is an OCTET STRING inside extnValue; old responders put it there bare.
      return org.bouncycastle.asn1.ASN1OctetString.getInstance(v).getOctets();
    } catch (RuntimeException e) {
      return v;
    }
  }
}
