package org.openswanj.pluto.pki;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * The trusted CAs of {@code ipsec.d/cacerts}, immutable (a reread builds a new store). As in Openswan, every CA
 * certificate there is trusted, root or intermediate; a certificate that is not a CA is left out with a problem
 * line (RFC 4945 §5.1.3.9: CA certificates carry basicConstraints cA=TRUE).
 */
public final class CaStore {
  private final List<X509Certificate> cas;

  private CaStore(List<X509Certificate> cas) {
    this.cas = List.copyOf(cas);
  }

  /**
   * A store and what was wrong while reading it.
   *
   * @param store the CAs that could be used
   * @param problems one line per file left out
   */
  public record Loaded(CaStore store, List<PkiProblem> problems) {
    public Loaded {
      problems = List.copyOf(problems);
    }
  }

  public static CaStore of(Collection<X509Certificate> cas) {
    return new CaStore(new ArrayList<>(new LinkedHashSet<>(cas)));
  }

  /** Reads every file of {@code cacertsDir}. */
  public static Loaded load(Path cacertsDir) {
    CertFiles.Loaded<X509Certificate> read = CertFiles.certificateDir(cacertsDir);
    List<PkiProblem> problems = new ArrayList<>(read.problems());
    List<X509Certificate> cas = new ArrayList<>();
    for (X509Certificate c : read.items()) {
      if (c.getBasicConstraints() < 0) {
        problems.add(new PkiProblem(cacertsDir, "certificate '" + Dn.subject(c)
            + "' is not a CA certificate (no basicConstraints cA=TRUE), ignored"));
      } else {
        cas.add(c);
      }
    }
    return new Loaded(of(cas), problems);
  }

  public List<X509Certificate> certificates() {
    return cas;
  }

  public boolean isEmpty() {
    return cas.isEmpty();
  }

  public Set<TrustAnchor> trustAnchors() {
    Set<TrustAnchor> out = new LinkedHashSet<>();
    for (X509Certificate c : cas) {
      out.add(new TrustAnchor(c, null));
    }
    return out;
  }

  /** RFC 7296 §3.7: the SHA-1 hash of each CA's SubjectPublicKeyInfo, in store order. */
  public List<byte[]> keyHashes() {
    List<byte[]> out = new ArrayList<>();
    for (X509Certificate c : cas) {
      out.add(keyHash(c));
    }
    return out;
  }

  public Optional<X509Certificate> byKeyHash(byte[] sha1) {
    return cas.stream().filter(c -> Arrays.equals(keyHash(c), sha1)).findFirst();
  }

  public List<X509Certificate> bySubject(X500Principal subject) {
    return cas.stream().filter(c -> c.getSubjectX500Principal().equals(subject)).toList();
  }

  /** The SHA-1 of a certificate's SubjectPublicKeyInfo (RFC 7296 §3.7, strongSwan's KEYID_PUBKEY_INFO_SHA1). */
  public static byte[] keyHash(X509Certificate c) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(c.getPublicKey().getEncoded());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 missing from the JDK", e);
    }
  }
}
