package org.openswanj.conf.secrets;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.id.Identity;

/**
 * The secrets of ipsec.secrets, in file order (includes expanded in place), with Openswan's "best
 * match" look-up (osw_find_secret_by_id in Openswan 2.6's secrets.c). Each entry of the wanted kind is
 * scored from its indices:
 *
 * <ul>
 *   <li>an index that is %any, %any6, 0.0.0.0, :: or %none adds ANY (2); an index equal to our ID adds
 *       ME (8), one equal to the peer's ID adds HIM (4); DN indices may use "*" RDN values;
 *   <li>an entry with no index at all counts as ANY (Openswan gives it two %any indices);
 *   <li>a single index that matches ME also gets DEFAULT (1): "one index matches any peer";
 *   <li>an RSA entry whose public key is the hint scores PUBKEY (16), whatever its indices.
 * </ul>
 *
 * Only these scores are usable: ANY (2), HIM|ANY (6), ME|DEFAULT (9), ME|ANY (10), ME|HIM (12), and for
 * asymmetric keys (RSA, ECDSA) also ME (8) and PUBKEY (16). Note that, as in Openswan, an entry whose indices
 * hit ME, HIM and ANY together (14) is not usable, and that an entry with a %any index scores ANY even
 * when its other indices name neither end ({@code 192.0.2.1 %any} is then as good as a bare
 * {@code : PSK}). The highest usable score wins; between entries with
 * the same score the first one in the file wins (Openswan keeps its list in reverse file order and, on a
 * tie between distinct secrets, takes the later one of that list, which is the earlier in the file, and
 * logs "multiple ipsec.secrets entries with distinct secrets match endpoints: first secret used").
 */
public final class Secrets {
  static final int DEFAULT = 0x1;
  static final int ANY = 0x2;
  static final int HIM = 0x4;
  static final int ME = 0x8;
  static final int PUBKEY = 0x10;

  private final List<SecretEntry> entries;

  public Secrets(List<SecretEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static Secrets empty() {
    return new Secrets(List.of());
  }

  public List<SecretEntry> entries() {
    return entries;
  }

  /** The pre-shared key for our ID {@code local} and the peer's ID {@code remote} (may be null). */
  public Optional<Psk> findPsk(Identity local, Identity remote) {
    return bestMatch(SecretKind.PSK, local, remote, null).map(e -> (Psk) e.secret());
  }

  /**
   * Our RSA private key: the one whose public half is {@code publicKeyHint}, else the best by ID. Empty
   * also when the best entry is a key file still locked ({@code %prompt}): see {@link #bestMatch}.
   */
  public Optional<RsaPrivateKey> findRsaKey(Identity local, PublicKey publicKeyHint) {
    return bestMatch(SecretKind.RSA, local, null, publicKeyHint)
        .filter(e -> e.secret() instanceof RsaPrivateKey)
        .map(e -> (RsaPrivateKey) e.secret());
  }

  /**
   * Our private key for a certificate: the RSA or ECDSA entry whose public half is the certificate's key (score
   * PUBKEY), else the best entry of the key's kind by ID.
   */
  public Optional<PrivateKey> findPrivateKey(Identity local, PublicKey certKey) {
    if (certKey instanceof java.security.interfaces.ECPublicKey) {
      return bestMatch(SecretKind.ECDSA, local, null, certKey)
          .map(e -> (PrivateKey) ((EcdsaPrivateKey) e.secret()).privateKey());
    }
    return findRsaKey(local, certKey).map(k -> (PrivateKey) k.privateKey());
  }

  /** True if an RSA or ECDSA entry holds the private half of {@code key} (for --listcerts "has private key"). */
  public boolean hasPrivateKeyFor(PublicKey key) {
    return entries.stream().anyMatch(e -> e.secret() instanceof RsaPrivateKey k && k.hasPublicKey(key)
        || e.secret() instanceof EcdsaPrivateKey k2 && k2.hasPublicKey(key));
  }

  /** The XAUTH password of {@code user} (as written in the file: {@code @user : XAUTH "..."}). */
  public Optional<XauthPassword> findXauth(Identity user) {
    return bestMatch(SecretKind.XAUTH, user, null, null).map(e -> (XauthPassword) e.secret());
  }

  /** The cluster key entry ({@code : CLUSTER 0x...}, docs/HA.md), the first one in the file; empty if none. */
  public Optional<SecretEntry> clusterKey() {
    return entries.stream().filter(e -> e.kind() == SecretKind.CLUSTER).findFirst();
  }

  /** The winning entry itself (to log its file and line); empty when nothing usable matches. */
  public Optional<SecretEntry> bestMatch(SecretKind kind, Identity local, Identity remote,
      PublicKey publicKeyHint) {
    boolean asym = kind == SecretKind.RSA || kind == SecretKind.ECDSA;
    SecretEntry best = null;
    int bestScore = 0;
    for (SecretEntry e : entries) {
      if (e.kind() != kind) {
        continue;
      }
      int score = score(e, local, remote, publicKeyHint);
      if (usable(score, asym) && score > bestScore) {
        best = e;
        bestScore = score;
      }
    }
    return Optional.ofNullable(best);
  }

  static int score(SecretEntry e, Identity local, Identity remote, PublicKey hint) {
    if (hint != null && (e.secret() instanceof RsaPrivateKey k && k.hasPublicKey(hint)
        || e.secret() instanceof EcdsaPrivateKey ec && ec.hasPublicKey(hint))) {
      return PUBKEY;
    }
    if (e.selectors().isEmpty()) {
      return ANY;
    }
    int match = 0;
    for (Identity sel : e.selectors()) {
      if (isAnyIndex(sel)) {
        match |= ANY;
      } else {
        if (local != null && sel.matches(local)) {
          match |= ME;
        }
        if (remote != null && sel.matches(remote)) {
          match |= HIM;
        }
      }
    }
    if (match == ME && e.selectors().size() == 1) {
      match |= DEFAULT;
    }
    return match;
  }

  static boolean usable(int score, boolean asym) {
    switch (score) {
      case ME:
      case PUBKEY:
        return asym;
      case DEFAULT:
      case ANY:
      case ME | DEFAULT:
      case ME | ANY:
      case HIM | ANY:
      case ME | HIM:
        return true;
      default:
        return false;
    }
  }

  /** Openswan's any_id(): ID_NONE or an all-zeros address. */
  private static boolean isAnyIndex(Identity id) {
    return id.isAny() || id.kind() == Identity.Kind.NONE;
  }

  @Override
  public String toString() {
    return "Secrets[" + entries.size() + " entries]";
  }
}
