package org.openswanj.pluto.conn;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.openswanj.conf.ConnConfig;
import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.conf.alg.EspAlgorithm;
import org.openswanj.conf.alg.IkeAlgorithm;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

/**
 * The algorithm combinations a conn allows, in preference order, from {@code ike=} and {@code esp=} /
 * {@code phase2alg=} or, when absent, the defaults: AES-GCM and AES-CBC with SHA2, DH groups Curve25519,
 * ECP-256/384 and MODP-2048/3072/4096.
 */
public record ProposalPolicy(List<IkeChoice> ike, List<EspChoice> esp, boolean pfs) {

  /** One fully specified IKE SA algorithm set; integrity is null for AEAD. */
  public record IkeChoice(Encryption enc, int keyBits, Integrity integ, Prf prf, DhGroup dh) {
    public String describe() {
      return "cipher=" + enc.configName() + "_" + keyBits + (integ == null ? "" : " integ=" + integ.configName())
          + " prf=" + prf.configName() + " group=" + dh.configName();
    }
  }

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

  static final List<DhGroup> DEFAULT_GROUPS = List.of(DhGroup.CURVE25519, DhGroup.ECP256, DhGroup.ECP384,
      DhGroup.MODP2048, DhGroup.MODP3072, DhGroup.MODP4096);
  static final List<Prf> DEFAULT_PRFS = List.of(Prf.HMAC_SHA2_256, Prf.HMAC_SHA2_384, Prf.HMAC_SHA2_512);
  static final List<Integrity> DEFAULT_INTEGS =
      List.of(Integrity.HMAC_SHA2_256_128, Integrity.HMAC_SHA2_384_192, Integrity.HMAC_SHA2_512_256);
  /** When ike= names no group (Openswan syntax "aes128-sha1"): the groups Openswan proposes. */
  static final List<DhGroup> LEGACY_GROUPS = List.of(DhGroup.MODP2048, DhGroup.MODP1536);

  public static ProposalPolicy of(ConnConfig c) {
    return new ProposalPolicy(ikeChoices(c.ike()), espChoices(c.esp()), c.pfs());
  }

  static List<IkeChoice> ikeChoices(List<IkeAlgorithm> algs) {
    Set<IkeChoice> out = new LinkedHashSet<>();
    if (algs.isEmpty()) {
      for (int bits : new int[] {128, 256}) {
        for (Prf p : DEFAULT_PRFS) {
          for (DhGroup g : DEFAULT_GROUPS) {
            out.add(new IkeChoice(Encryption.AES_GCM_16, bits, null, p, g));
          }
        }
      }
      for (int bits : new int[] {128, 256}) {
        for (Integrity i : DEFAULT_INTEGS) {
          for (Prf p : DEFAULT_PRFS) {
            for (DhGroup g : DEFAULT_GROUPS) {
              out.add(new IkeChoice(Encryption.AES_CBC, bits, i, p, g));
            }
          }
        }
      }
      return List.copyOf(out);
    }
    for (IkeAlgorithm a : algs) {
      Integrity integ = a.encryption().aead() ? null : a.integrity();
      List<Prf> prfs = a.prf() != null ? List.of(a.prf())
          : integ != null ? List.of(integ.matchingPrf().orElse(Prf.HMAC_SHA2_256)) : DEFAULT_PRFS;
      List<DhGroup> groups = a.dhGroup() != null ? List.of(a.dhGroup()) : LEGACY_GROUPS;
      for (Prf p : prfs) {
        for (DhGroup g : groups) {
          out.add(new IkeChoice(a.encryption(), a.effectiveKeyLength(), integ, p, g));
        }
      }
    }
    return List.copyOf(out);
  }

  static List<EspChoice> espChoices(List<EspAlgorithm> algs) {
    List<EspChoice> out = new ArrayList<>();
    if (algs.isEmpty()) {
      for (int bits : new int[] {128, 256}) {
        out.add(new EspChoice(Encryption.AES_GCM_16, bits, null, null));
      }
      for (int bits : new int[] {128, 256}) {
        for (Integrity i : List.of(Integrity.HMAC_SHA2_256_128, Integrity.HMAC_SHA2_384_192,
            Integrity.HMAC_SHA2_512_256, Integrity.HMAC_SHA1_96)) {
          out.add(new EspChoice(Encryption.AES_CBC, bits, i, null));
        }
      }
      return List.copyOf(out);
    }
    for (EspAlgorithm a : algs) {
      Integrity integ = a.encryption().aead() ? null : a.integrity();
      out.add(new EspChoice(a.encryption(), a.effectiveKeyLength(), integ, a.pfsGroup()));
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
