package org.openswanj.pluto.ikev2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;
import org.openswanj.pluto.conn.ProposalPolicy;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;
import org.openswanj.pluto.conn.ProposalPolicy.IkeChoice;
import org.openswanj.pluto.ike.wire.Proposal;
import org.openswanj.pluto.ike.wire.ProtocolId;
import org.openswanj.pluto.ike.wire.SaPayload;
import org.openswanj.pluto.ike.wire.Transform;
import org.openswanj.pluto.ike.wire.TransformType;

/** SA payloads from a conn's policy, and the choice among a peer's proposals (RFC 7296 §2.7, §3.3). */
public final class Proposals {
  /** RFC 7296 §3.3.2 Transform Type 5: extended sequence numbers off. */
  private static final int ESN_NO = 0;

  private Proposals() {}

  /** The proposal a responder accepted, with the peer's SPI. */
  public record Chosen<T>(int number, byte[] peerSpi, T choice) {}

  /** Our IKE proposals: one per (cipher, key length, integrity) with every PRF and group allowed with it. */
  public static SaPayload ikeOffer(ProposalPolicy policy, byte[] spi, DhGroup firstGroup) {
    Map<List<Object>, List<IkeChoice>> groups = new LinkedHashMap<>();
    for (IkeChoice c : policy.ike()) {
      groups.computeIfAbsent(java.util.Arrays.asList(c.enc(), c.keyBits(), c.integ()), k -> new ArrayList<>()).add(c);
    }
    List<Proposal> out = new ArrayList<>();
    for (List<IkeChoice> g : groups.values()) {
      IkeChoice head = g.get(0);
      List<Transform> t = new ArrayList<>();
      t.add(encr(head.enc(), head.keyBits()));
      Set<Prf> prfs = new LinkedHashSet<>();
      Set<DhGroup> dhs = new LinkedHashSet<>();
      if (firstGroup != null && g.stream().anyMatch(c -> c.dh() == firstGroup)) {
        dhs.add(firstGroup); // RFC 7296 §1.2: the KE payload's group first
      }
      for (IkeChoice c : g) {
        prfs.add(c.prf());
        dhs.add(c.dh());
      }
      prfs.forEach(p -> t.add(new Transform(TransformType.PRF, p.ikev2Id(), 0)));
      if (head.integ() != null) {
        t.add(new Transform(TransformType.INTEG, head.integ().ikev2Id(), 0));
      }
      dhs.forEach(d -> t.add(new Transform(TransformType.DH, d.id(), 0)));
      out.add(new Proposal(out.size() + 1, ProtocolId.IKE, spi, t));
    }
    return new SaPayload(out);
  }

  /** Our ESP proposals, with a PFS group when {@code pfsGroup} is not null (CREATE_CHILD_SA). */
  public static SaPayload espOffer(ProposalPolicy policy, byte[] spi, DhGroup pfsGroup) {
    List<Proposal> out = new ArrayList<>();
    for (EspChoice c : policy.esp()) {
      List<Transform> t = new ArrayList<>();
      t.add(encr(c.enc(), c.keyBits()));
      if (c.integ() != null) {
        t.add(new Transform(TransformType.INTEG, c.integ().ikev2Id(), 0));
      }
      DhGroup g = c.dh() != null ? c.dh() : pfsGroup;
      if (pfsGroup != null && g != null) {
        t.add(new Transform(TransformType.DH, g.id(), 0));
      }
      t.add(new Transform(TransformType.ESN, ESN_NO, 0));
      out.add(new Proposal(out.size() + 1, ProtocolId.ESP, spi, t));
    }
    return new SaPayload(out);
  }

  private static Transform encr(Encryption e, int bits) {
    return new Transform(TransformType.ENCR, e.ikev2Id(), e.variableKeyLength() ? bits : 0);
  }

  /** The answer SA payload: the accepted proposal reduced to one transform of each type, with our SPI. */
  public static SaPayload ikeAnswer(Chosen<IkeChoice> c, byte[] ourSpi) {
    IkeChoice x = c.choice();
    List<Transform> t = new ArrayList<>();
    t.add(encr(x.enc(), x.keyBits()));
    t.add(new Transform(TransformType.PRF, x.prf().ikev2Id(), 0));
    if (x.integ() != null) {
      t.add(new Transform(TransformType.INTEG, x.integ().ikev2Id(), 0));
    }
    t.add(new Transform(TransformType.DH, x.dh().id(), 0));
    return new SaPayload(List.of(new Proposal(c.number(), ProtocolId.IKE, ourSpi, t)));
  }

  public static SaPayload espAnswer(Chosen<EspChoice> c, byte[] ourSpi) {
    EspChoice x = c.choice();
    List<Transform> t = new ArrayList<>();
    t.add(encr(x.enc(), x.keyBits()));
    if (x.integ() != null) {
      t.add(new Transform(TransformType.INTEG, x.integ().ikev2Id(), 0));
    }
    if (x.dh() != null) {
      t.add(new Transform(TransformType.DH, x.dh().id(), 0));
    }
    t.add(new Transform(TransformType.ESN, ESN_NO, 0));
    return new SaPayload(List.of(new Proposal(c.number(), ProtocolId.ESP, ourSpi, t)));
  }

  /**
   * Responder: the first of the peer's IKE proposals (its order) that our policy allows, preferring a
   * combination with the group of the peer's KE payload so that no INVALID_KE round trip is needed.
   */
  public static Optional<Chosen<IkeChoice>> chooseIke(SaPayload sa, ProposalPolicy policy, int keGroup) {
    Chosen<IkeChoice> fallback = null;
    for (Proposal p : sa.proposals()) {
      if (p.protocol() != ProtocolId.IKE) {
        continue;
      }
      for (IkeChoice c : ikeCombinations(p)) {
        if (policy.allowsIke(c)) {
          if (c.dh().id() == keGroup) {
            return Optional.of(new Chosen<>(p.number(), p.spi(), c));
          }
          if (fallback == null) {
            fallback = new Chosen<>(p.number(), p.spi(), c);
          }
        }
      }
    }
    return Optional.ofNullable(fallback);
  }

  /**
   * Responder: the first ESP proposal our policy allows. {@code wantDh}: null when no KE was sent (no PFS
   * group may be chosen then), else the KE payload's group, which the proposal must contain.
   */
  public static Optional<Chosen<EspChoice>> chooseEsp(SaPayload sa, ProposalPolicy policy, DhGroup wantDh) {
    for (Proposal p : sa.proposals()) {
      if (p.protocol() != ProtocolId.ESP || p.spi().length != 4) {
        continue;
      }
      if (!offersEsnNo(p)) {
        continue;
      }
      List<DhGroup> dhs = ids(p, TransformType.DH).stream().map(DhGroup::fromId)
          .flatMap(Optional::stream).toList();
      DhGroup dh = null;
      if (wantDh != null) {
        if (!dhs.contains(wantDh) || !policy.allowsGroup(wantDh)) {
          continue;
        }
        dh = wantDh;
      }
      for (EspChoice c : espCombinations(p)) {
        if (policy.allowsEsp(c)) {
          return Optional.of(new Chosen<>(p.number(), p.spi(), c.withDh(dh)));
        }
      }
    }
    return Optional.empty();
  }

  /** Initiator: the responder's answer must be exactly one proposal, one of ours, with one transform per type. */
  public static Optional<IkeChoice> acceptedIke(SaPayload sa, ProposalPolicy policy) {
    if (sa.proposals().size() != 1) {
      return Optional.empty();
    }
    List<IkeChoice> cs = ikeCombinations(sa.proposals().get(0));
    return cs.size() == 1 && policy.allowsIke(cs.get(0)) ? Optional.of(cs.get(0)) : Optional.empty();
  }

  public static Optional<Chosen<EspChoice>> acceptedEsp(SaPayload sa, ProposalPolicy policy) {
    if (sa.proposals().size() != 1) {
      return Optional.empty();
    }
    Proposal p = sa.proposals().get(0);
    List<EspChoice> cs = espCombinations(p);
    List<Integer> dh = ids(p, TransformType.DH);
    if (cs.size() != 1 || !policy.allowsEsp(cs.get(0)) || dh.size() > 1 || p.spi().length != 4) {
      return Optional.empty();
    }
    DhGroup g = dh.isEmpty() ? null : DhGroup.fromId(dh.get(0)).orElse(null);
    return Optional.of(new Chosen<>(p.number(), p.spi(), cs.get(0).withDh(g)));
  }

  private static boolean offersEsnNo(Proposal p) {
    List<Integer> esn = ids(p, TransformType.ESN);
    return esn.isEmpty() || esn.contains(ESN_NO);
  }

  private static List<Integer> ids(Proposal p, TransformType type) {
    List<Integer> out = new ArrayList<>();
    for (Transform t : p.transforms()) {
      if (t.type() == type) {
        out.add(t.id());
      }
    }
    return out;
  }

  private static List<Encryption.Keyed> ciphers(Proposal p) {
    List<Encryption.Keyed> out = new ArrayList<>();
    for (Transform t : p.transforms()) {
      if (t.type() == TransformType.ENCR) {
        Optional<Encryption> e = Encryption.fromIkev2(t.id());
        if (e.isPresent()) {
          int bits = t.keyLength() != 0 ? t.keyLength() : e.get().variableKeyLength() ? -1 : e.get().defaultKeyLength();
          // RFC 7296 §3.3.5: a variable-length cipher without a Key Length attribute is not acceptable
          if (bits > 0 && e.get().acceptsKeyLength(bits)) {
            out.add(new Encryption.Keyed(e.get(), bits));
          }
        }
      }
    }
    return out;
  }

  /** Every (cipher, integ, prf, dh) the proposal offers, in its transform order. */
  static List<IkeChoice> ikeCombinations(Proposal p) {
    List<IkeChoice> out = new ArrayList<>();
    List<Integrity> integs = ids(p, TransformType.INTEG).stream().map(Integrity::fromIkev2).flatMap(Optional::stream).toList();
    List<Prf> prfs = ids(p, TransformType.PRF).stream().map(Prf::fromIkev2).flatMap(Optional::stream).toList();
    List<DhGroup> dhs = ids(p, TransformType.DH).stream().map(DhGroup::fromId).flatMap(Optional::stream).toList();
    for (Encryption.Keyed e : ciphers(p)) {
      List<Integrity> is = e.enc().aead() ? java.util.Collections.singletonList(null) : integs;
      for (Integrity i : is) {
        for (Prf prf : prfs) {
          for (DhGroup d : dhs) {
            out.add(new IkeChoice(e.enc(), e.bits(), i, prf, d));
          }
        }
      }
    }
    return out;
  }

  static List<EspChoice> espCombinations(Proposal p) {
    List<EspChoice> out = new ArrayList<>();
    List<Integer> rawInteg = ids(p, TransformType.INTEG);
    List<Integrity> integs = rawInteg.stream().map(Integrity::fromIkev2).flatMap(Optional::stream).toList();
    for (Encryption.Keyed e : ciphers(p)) {
      if (e.enc().aead()) {
        // RFC 5282 §8: an AEAD proposal carries no integrity transform, or only NONE (0)
        if (rawInteg.stream().allMatch(x -> x == 0)) {
          out.add(new EspChoice(e.enc(), e.bits(), null, null));
        }
        continue;
      }
      for (Integrity i : integs) {
        out.add(new EspChoice(e.enc(), e.bits(), i, null));
      }
    }
    return out;
  }
}
