package org.openswanj.pluto.conn;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.Phase2;
import org.openswanj.alg.Algorithm;
import org.openswanj.alg.DefaultProposals;
import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.conf.alg.EspAlgorithm;
import org.openswanj.conf.alg.IkeAlgorithm;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

/**
 * The algorithm combinations a conn allows, in preference order, from {@code ike=} and {@code esp=} /
 * {@code phase2alg=} or, when absent, IKEv2's {@link DefaultProposals}.
 */
public record ProposalPolicy(List<IkeChoice> ike, List<EspChoice> esp, boolean pfs) {

  /** One fully specified IKE SA algorithm set; integrity is null for AEAD. */
  public record IkeChoice(Encryption enc, int keyBits, Integrity integ, Prf prf, DhGroup dh) {}

  /** One fully specified ESP algorithm set; integrity is null for AEAD; dh is the PFS group or null. */
  public record EspChoice(Encryption enc, int keyBits, Integrity integ, DhGroup dh) {
    public EspChoice withDh(DhGroup g) {
      return new EspChoice(enc, keyBits, integ, g);
    }

    /** Openswan's status form, e.g. AES_GCM_16_128 or AES_CBC_256-HMAC_SHA2_256. */
    public String describe() {
      return enc.name() + "_" + keyBits + (integ == null ? "" : "-" + integ.name());
    }
  }

  /** A conn's choices; a phase2=ah conn has no ESP choices (AH is not implemented: {@link #notNegotiable}). */
  public static ProposalPolicy of(ConnConfig c) {
    return new ProposalPolicy(ikeChoices(c.ike()), c.phase2() == Phase2.AH ? List.of() : espChoices(c.esp()), c.pfs());
  }

  /**
   * Why a conn cannot be added here: the first algorithm it names that nothing here implements (Openswan 2.6
   * parsed twofish, serpent, blowfish, ...; pluto-crypto and the kernel backends do not have them). Empty if none.
   */
  public static Optional<String> unimplemented(ConnConfig c) {
    for (IkeAlgorithm a : c.ike()) {
      Optional<String> n = firstUnimplemented(a.encryption(), a.integrity(), a.prf(), a.dhGroup());
      if (n.isPresent()) {
        return Optional.of(n.get() + " is not implemented (ike=" + c.keywords().get("ike") + ")");
      }
    }
    for (EspAlgorithm a : c.esp()) {
      Optional<String> n = firstUnimplemented(a.encryption(), a.integrity(), a.pfsGroup());
      if (n.isPresent()) {
        return Optional.of(n.get() + " is not implemented (phase2alg=" + c.keywords().get("phase2alg") + ")");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> firstUnimplemented(Algorithm... algs) {
    return Stream.of(algs).filter(a -> a != null && !a.implemented()).map(Algorithm::configName).findFirst();
  }

  /** Why a conn that was added cannot be negotiated (AH, RFC 4302, is parsed but not implemented end to end). */
  public static Optional<String> notNegotiable(ConnConfig c) {
    if (c.phase2() != Phase2.AH) {
      return Optional.empty();
    }
    String algs = c.keywords().getOrDefault("phase2alg", "");
    return Optional.of("phase2=ah is not implemented" + (algs.isEmpty() ? "" : " (AH with " + algs + ")")
        + ": openswanj negotiates ESP only");
  }

  static List<IkeChoice> ikeChoices(List<IkeAlgorithm> algs) {
    Set<IkeChoice> out = new LinkedHashSet<>();
    if (algs.isEmpty()) {
      for (DefaultProposals.Ike d : DefaultProposals.ikev2Ike()) {
        out.add(new IkeChoice(d.cipher().enc(), d.cipher().keyBits(), d.integ(), d.prf(), d.dh()));
      }
    }
    for (IkeAlgorithm a : algs) {
      // the parser has filled in what the proposal left out (DefaultProposals)
      Integrity integ = a.encryption().aead() ? null : a.integrity();
      out.add(new IkeChoice(a.encryption(), a.effectiveKeyLength(), integ, a.prf(), a.dhGroup()));
    }
    return List.copyOf(out);
  }

  static List<EspChoice> espChoices(List<EspAlgorithm> algs) {
    List<EspChoice> out = new ArrayList<>();
    if (algs.isEmpty()) {
      for (DefaultProposals.Esp d : DefaultProposals.ikev2Esp()) {
        out.add(new EspChoice(d.cipher().enc(), d.cipher().keyBits(), d.integ(), null));
      }
    }
    for (EspAlgorithm a : algs) {
      if (!a.ah()) {
        Integrity integ = a.encryption().aead() ? null : a.integrity();
        out.add(new EspChoice(a.encryption(), a.effectiveKeyLength(), integ, a.pfsGroup()));
      }
    }
    return List.copyOf(new LinkedHashSet<>(out));
  }

  /** The DH group to put in the first KE payload: the first one we prefer. */
  public DhGroup preferredGroup() {
    return ike.get(0).dh();
  }

  public boolean allowsIke(IkeChoice c) {
    return ike.contains(c);
  }

  /** ESP choices match without their PFS group; the group is checked separately. */
  public boolean allowsEsp(EspChoice c) {
    for (EspChoice e : esp) {
      if (e.enc() == c.enc() && e.keyBits() == c.keyBits() && e.integ() == c.integ()) {
        return true;
      }
    }
    return false;
  }

  public boolean allowsGroup(DhGroup g) {
    return ike.stream().anyMatch(c -> c.dh() == g);
  }
}
