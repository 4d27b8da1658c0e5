package org.openswanj.pluto.pki;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.openswanj.conf.SendCert;

/**
 * Certificate requests both ways. IKEv2 CERTREQ (RFC 7296 §3.7): encoding 4, data = the SHA-1 hashes of the
 * SubjectPublicKeyInfo of each trusted CA, concatenated. IKEv1 CR (RFC 2408 §3.10): encoding 4, data = one CA's
 * DER distinguished name (one payload per CA), or empty for "any CA". And which of our certificates to send for
 * {@code leftsendcert=always|ifasked|never}.
 */
public final class CertRequests {
  /** RFC 7296 §3.6 / RFC 2408 §3.9: "X.509 Certificate - Signature". */
  public static final int X509_SIGNATURE = 4;
  private static final int SHA1_LEN = 20;

  private CertRequests() {}

  /**
   * What a peer asked for.
   *
   * @param asked whether it sent any CERTREQ/CR at all ({@code ifasked} sends then)
   * @param keyHashes IKEv2: the CA key hashes it named
   * @param names IKEv1: the CA names it named (an empty CR names none: any CA)
   */
  public record Requested(boolean asked, List<byte[]> keyHashes, List<X500Principal> names) {
    public Requested {
      keyHashes = List.copyOf(keyHashes);
      names = List.copyOf(names);
    }

    public static final Requested NONE = new Requested(false, List.of(), List.of());
  }

  /** The data of our IKEv2 CERTREQ payload; empty when we trust no CA (then send no CERTREQ). */
  public static byte[] ikev2Data(CaStore cas) {
    byte[] out = new byte[SHA1_LEN * cas.certificates().size()];
    int off = 0;
    for (byte[] h : cas.keyHashes()) {
      System.arraycopy(h, 0, out, off, SHA1_LEN);
      off += SHA1_LEN;
    }
    return out;
  }

  /** The data of our IKEv1 CR payloads, one per CA. */
  public static List<byte[]> ikev1Data(CaStore cas) {
    return cas.certificates().stream().map(c -> c.getSubjectX500Principal().getEncoded()).toList();
  }

  /** Reads a peer's IKEv2 CERTREQ payloads of encoding 4; a trailing partial hash is ignored. Never throws. */
  public static Requested fromIkev2(List<byte[]> certReqData) {
    List<byte[]> hashes = new ArrayList<>();
    for (byte[] d : certReqData) {
      for (int off = 0; off + SHA1_LEN <= d.length; off += SHA1_LEN) {
        hashes.add(Arrays.copyOfRange(d, off, off + SHA1_LEN));
      }
    }
    return new Requested(!certReqData.isEmpty(), hashes, List.of());
  }

  /** Reads a peer's IKEv1 CR payloads of encoding 4; a DN that does not parse names no CA. Never throws. */
  public static Requested fromIkev1(List<byte[]> crData) {
    List<X500Principal> names = new ArrayList<>();
    for (byte[] d : crData) {
      if (d.length > 0) {
        try {
          names.add(new X500Principal(d));
        } catch (IllegalArgumentException e) {
          // Not a DER name: such a CR still asks for a certificate, from no CA we can tell.
        }
      }
    }
    return new Requested(!crData.isEmpty(), List.of(), names);
  }

  /**
   * Of our certificates, the one to present: the first whose CAs the peer named, else the first (strongSwan and
   * Openswan send theirs even when the peer named other CAs; the peer decides).
   */
  public static Optional<LocalCert> choose(List<LocalCert> ours, Requested req, CaStore cas) {
    return ours.stream().filter(c -> underRequestedCa(c, req, cas)).findFirst().or(() -> ours.stream().findFirst());
  }

  /** The certificates for our CERT payloads under {@code leftsendcert=}. */
  public static List<X509Certificate> toSend(SendCert policy, LocalCert ours, Requested req) {
    boolean send = switch (policy) {
      case ALWAYS -> true;
      case IFASKED -> req.asked();
      case NEVER -> false;
    };
    return send ? ours.toSend() : List.of();
  }

  /** True if one of the CAs above {@code c} is one the peer named. */
  public static boolean underRequestedCa(LocalCert c, Requested req, CaStore cas) {
    List<X509Certificate> above = new ArrayList<>(c.chain());
    X509Certificate top = c.chain().isEmpty() ? c.certificate() : c.chain().get(c.chain().size() - 1);
    above.addAll(cas.bySubject(top.getIssuerX500Principal()));
    for (X509Certificate ca : above) {
      byte[] h = CaStore.keyHash(ca);
      if (req.keyHashes().stream().anyMatch(r -> Arrays.equals(r, h))
          || req.names().contains(ca.getSubjectX500Principal())) {
        return true;
      }
    }
    return false;
  }
}
