package org.openswanj.pluto.ikev1;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.openswanj.alg.DefaultProposals;
import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.conf.alg.EspAlgorithm;
import org.openswanj.conf.alg.IkeAlgorithm;
import org.openswanj.alg.Integrity;
import org.openswanj.conf.Phase2;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;
import org.openswanj.pluto.crypto.CryptoRegistry;
import org.openswanj.pluto.ike.wire.DataAttribute;
import org.openswanj.pluto.ike.wire.ProtocolId;
import org.openswanj.pluto.ike.wire.V1Proposal;
import org.openswanj.pluto.ike.wire.V1SaPayload;
import org.openswanj.pluto.ike.wire.V1Transform;

/**
 * IKEv1 SA payloads: phase 1 offers from {@code ike=} (RFC 2409 App. A attributes) and Quick Mode offers from
 * {@code esp=}/{@code phase2alg=} (RFC 2407 §4.5), choosing as responder and checking the answer as initiator.
 */
final class V1Proposals {
  // RFC 2409 App. A phase 1 attribute classes
  static final int OAKLEY_ENCRYPTION = 1;
  static final int OAKLEY_HASH = 2;
  static final int OAKLEY_AUTH = 3;
  static final int OAKLEY_GROUP = 4;
  static final int OAKLEY_LIFE_TYPE = 11;
  static final int OAKLEY_LIFE_DURATION = 12;
  static final int OAKLEY_KEY_LENGTH = 14;
  static final int AUTH_PRESHARED_KEY = 1;
  static final int LIFE_SECONDS = 1;
  static final int KEY_IKE = 1;
  // RFC 2407 §4.5 IPsec attribute classes
  static final int SA_LIFE_TYPE = 1;
  static final int SA_LIFE_DURATION = 2;
  static final int GROUP_DESCRIPTION = 3;
  static final int ENCAPSULATION_MODE = 4;
  static final int AUTH_ALGORITHM = 5;
  static final int KEY_LENGTH = 6;
  // RFC 2407 §4.5 / RFC 3947 §5.1 / draft-ietf-ipsec-nat-t-ike-02 encapsulation modes
  static final int ENCAP_TUNNEL = 1;
  static final int ENCAP_TRANSPORT = 2;
  static final int ENCAP_UDP_TUNNEL = 3;
  static final int ENCAP_UDP_TRANSPORT = 4;
  static final int ENCAP_UDP_TUNNEL_DRAFT = 61443;
  static final int ENCAP_UDP_TRANSPORT_DRAFT = 61444;

  private V1Proposals() {}

  /** What the responder chose: the algorithms and the transform to echo back in the answer. */
  record ChosenIke(V1Algs algs, V1Proposal proposal, V1Transform transform) {}

  record ChosenEsp(EspChoice choice, byte[] peerSpi, int proposalNumber, V1Transform transform, int encap) {}

  /** The conn's phase 1 choices; without {@code ike=}, Openswan 2.6's IKEv1 defaults. */
  static List<V1Algs> ikeChoices(Connection c) {
    Set<V1Algs> out = new LinkedHashSet<>();
    for (IkeAlgorithm a : c.config().ike()) {
      if (CryptoRegistry.supportedIkev1(a.encryption()) && a.integrity() != null && a.integrity().ikev1HashId() >= 0) {
        out.add(new V1Algs(a.encryption(), a.effectiveKeyLength(), a.integrity(), a.dhGroup()));
      }
    }
    if (c.config().ike().isEmpty()) {
      for (DefaultProposals.Ike d : DefaultProposals.ikev1Ike()) {
        out.add(new V1Algs(d.cipher().enc(), d.cipher().keyBits(), d.integ(), d.dh()));
      }
    }
    return List.copyOf(out);
  }

  /** The conn's Quick Mode choices; without {@code esp=}, Openswan 2.6's defaults. */
  static List<EspChoice> espChoices(Connection c) {
    List<EspChoice> out = new ArrayList<>();
    if (c.config().phase2() == Phase2.AH) {
      return List.of(); // AH is not negotiated (ProposalPolicy.notNegotiable)
    }
    for (EspAlgorithm a : c.config().esp()) {
      Integrity integ = a.encryption().aead() ? null : a.integrity();
      if (a.encryption().espV1Id() >= 0 && (integ == null || integ.espV1AuthId() >= 0)) {
        out.add(new EspChoice(a.encryption(), a.effectiveKeyLength(), integ, a.pfsGroup()));
      }
    }
    if (c.config().esp().isEmpty()) {
      for (DefaultProposals.Esp d : DefaultProposals.ikev1Esp()) {
        out.add(new EspChoice(d.cipher().enc(), d.cipher().keyBits(), d.integ(), null));
      }
    }
    return List.copyOf(new LinkedHashSet<>(out));
  }

  // ---- phase 1 ----

  /**
   * The phase 1 authentication method of a conn: for authby=rsasig the one our key signs with (RFC 2409 §5.1
   * RSA; RFC 4754 §3 ECDSA by the curve of leftcert='s key), else PSK. It needs no secret: the certificate's
   * public key tells, so a responder can choose before it loads its private key.
   */
  static V1AuthMethod authMethod(Connection c) {
    if (!c.config().authby().contains(org.openswanj.conf.AuthBy.RSASIG)
        || c.config().authby().contains(org.openswanj.conf.AuthBy.SECRET)) {
      return V1AuthMethod.PRESHARED_KEY;
    }
    return c.certs().local().flatMap(x -> V1AuthMethod.forKey(x.certificate().getPublicKey()))
        .orElse(V1AuthMethod.RSA_SIG);
  }

  /**
   * The authentication method as proposed in phase 1: with XAUTH, the hybrid values of
   * draft-ietf-ipsec-isakmp-xauth-06 §4.4.1 name which side XAUTH authenticates: XAUTHInitPreShared (65001) when
   * the initiator is the XAUTH client, XAUTHRespPreShared (65002) when the responder is (RSA: 65005/65006). The
   * draft has no ECDSA forms, so an ECDSA conn proposes RFC 4754's method as is.
   */
  static int wireAuthMethod(Connection c, boolean initiator) {
    V1AuthMethod base = authMethod(c);
    boolean weAreClient = c.local().xauthClient() && !c.local().xauthServer();
    boolean xauth = weAreClient || c.local().xauthServer();
    if (!xauth || base.ecdsa()) {
      return base.wireValue();
    }
    boolean initiatorIsClient = initiator == weAreClient;
    int offset = base == V1AuthMethod.RSA_SIG ? 4 : 0;
    return (initiatorIsClient ? XAUTH_INIT_PRESHARED : XAUTH_RESP_PRESHARED) + offset;
  }

  /**
   * For a refusal's log line: when the offer failed on the authentication method (RFC 4754 binds ECDSA's to the
   * key's curve, so two ECDSA hosts on different curves never agree), which methods it offered and which the conn
   * uses; "" when the offer includes ours.
   */
  static String methodMismatch(V1SaPayload offer, Connection c, boolean initiator) {
    int ours = wireAuthMethod(c, initiator);
    Set<String> offered = new LinkedHashSet<>();
    for (V1Proposal p : offer.proposals()) {
      for (V1Transform t : p.transforms()) {
        t.attribute(OAKLEY_AUTH).ifPresent(a -> offered.add(methodName(a.value())));
      }
    }
    if (offered.isEmpty() || offered.contains(methodName(ours))) {
      return "";
    }
    return " (it offers authentication " + String.join(", ", offered) + "; this conn uses " + methodName(ours) + ")";
  }

  private static String methodName(int wire) {
    return V1AuthMethod.fromWire(wire).map(V1AuthMethod::plutoName).orElse("method " + wire);
  }

  /** draft-ietf-ipsec-isakmp-xauth-06 §4.4.1: XAUTHInitPreShared, XAUTHRespPreShared (+4: the RSA forms). */
  static final int XAUTH_INIT_PRESHARED = 65001;
  static final int XAUTH_RESP_PRESHARED = 65002;

  static V1SaPayload ikeOffer(List<V1Algs> choices, Duration lifetime) {
    return ikeOffer(choices, lifetime, AUTH_PRESHARED_KEY);
  }

  static V1SaPayload ikeOffer(List<V1Algs> choices, Duration lifetime, int auth) {
    List<V1Transform> ts = new ArrayList<>();
    for (V1Algs a : choices) {
      ts.add(ikeTransform(ts.size() + 1, a, lifetime, auth));
    }
    return new V1SaPayload(V1SaPayload.DOI_IPSEC, V1SaPayload.SIT_IDENTITY_ONLY,
        List.of(new V1Proposal(1, ProtocolId.IKE, new byte[0], ts)));
  }

  private static V1Transform ikeTransform(int number, V1Algs a, Duration lifetime, int auth) {
    List<DataAttribute> at = new ArrayList<>();
    at.add(DataAttribute.tv(OAKLEY_ENCRYPTION, a.enc().ikev1Id()));
    at.add(DataAttribute.tv(OAKLEY_HASH, a.hash().ikev1HashId()));
    at.add(DataAttribute.tv(OAKLEY_AUTH, auth));
    at.add(DataAttribute.tv(OAKLEY_GROUP, a.dh().id()));
    at.add(DataAttribute.tv(OAKLEY_LIFE_TYPE, LIFE_SECONDS));
    at.add(duration(OAKLEY_LIFE_DURATION, lifetime.getSeconds()));
    if (a.enc().variableKeyLength()) {
      at.add(DataAttribute.tv(OAKLEY_KEY_LENGTH, a.keyBits()));
    }
    return new V1Transform(number, KEY_IKE, at);
  }

  /** RFC 2408 §3.3: a duration that does not fit 16 bits goes as a TLV. */
  private static DataAttribute duration(int type, long seconds) {
    if (seconds < 0x10000) {
      return DataAttribute.tv(type, (int) seconds);
    }
    return DataAttribute.tlv(type, ByteBuffer.allocate(4).putInt((int) Math.min(seconds, 0xffffffffL)).array());
  }

  /** Reads a phase 1 transform; empty if it uses anything we do not support (or not PSK). */
  static Optional<V1Algs> parseIke(V1Transform t) {
    return parseIke(t, AUTH_PRESHARED_KEY);
  }

  /** Reads a phase 1 transform that uses authentication method {@code auth}. */
  static Optional<V1Algs> parseIke(V1Transform t, int auth) {
    if (t.id() != KEY_IKE) {
      return Optional.empty();
    }
    Optional<Encryption> enc = t.attribute(OAKLEY_ENCRYPTION).flatMap(x -> Encryption.fromIkev1(x.value()))
        .filter(CryptoRegistry::supportedIkev1);
    Optional<Integrity> hash = t.attribute(OAKLEY_HASH).flatMap(x -> Integrity.fromIkev1Hash(x.value()));
    Optional<DhGroup> group = t.attribute(OAKLEY_GROUP).flatMap(x -> DhGroup.fromId(x.value()));
    boolean psk = t.attribute(OAKLEY_AUTH).map(x -> x.value() == auth).orElse(false);
    if (enc.isEmpty() || hash.isEmpty() || group.isEmpty() || !psk) {
      return Optional.empty();
    }
    int bits = t.attribute(OAKLEY_KEY_LENGTH).map(DataAttribute::value).orElse(enc.get().defaultKeyLength());
    if (!enc.get().acceptsKeyLength(bits)) {
      return Optional.empty();
    }
    return Optional.of(new V1Algs(enc.get(), bits, hash.get(), group.get()));
  }

  /** Responder: the first of the peer's transforms that we allow (RFC 2408 §4.2: the initiator's order). */
  static Optional<ChosenIke> chooseIke(V1SaPayload offer, List<V1Algs> ours, DhGroup requiredGroup) {
    return chooseIke(offer, ours, requiredGroup, AUTH_PRESHARED_KEY);
  }

  static Optional<ChosenIke> chooseIke(V1SaPayload offer, List<V1Algs> ours, DhGroup requiredGroup, int auth) {
    if (offer.doi() != V1SaPayload.DOI_IPSEC) {
      return Optional.empty();
    }
    for (V1Proposal p : offer.proposals()) {
      if (p.protocol() != ProtocolId.IKE) {
        continue;
      }
      for (V1Transform t : p.transforms()) {
        Optional<V1Algs> a = parseIke(t, auth);
        if (a.isPresent() && ours.contains(a.get()) && (requiredGroup == null || a.get().dh() == requiredGroup)) {
          return Optional.of(new ChosenIke(a.get(), p, t));
        }
      }
    }
    return Optional.empty();
  }

  static V1SaPayload ikeAnswer(ChosenIke c) {
    return new V1SaPayload(V1SaPayload.DOI_IPSEC, V1SaPayload.SIT_IDENTITY_ONLY,
        List.of(new V1Proposal(c.proposal().number(), ProtocolId.IKE, new byte[0], List.of(c.transform()))));
  }

  /** Initiator: the answer must be exactly one of our transforms (RFC 2408 §4.2). */
  static Optional<V1Algs> acceptIke(V1SaPayload answer, List<V1Algs> ours) {
    return acceptIke(answer, ours, AUTH_PRESHARED_KEY);
  }

  static Optional<V1Algs> acceptIke(V1SaPayload answer, List<V1Algs> ours, int auth) {
    if (answer.proposals().size() != 1 || answer.proposals().get(0).transforms().size() != 1) {
      return Optional.empty();
    }
    return parseIke(answer.proposals().get(0).transforms().get(0), auth).filter(ours::contains);
  }

  // ---- Quick Mode ----

  static V1SaPayload espOffer(List<EspChoice> choices, int spi, DhGroup pfs, int encap, Duration lifetime) {
    List<V1Transform> ts = new ArrayList<>();
    for (EspChoice c : choices) {
      ts.add(espTransform(ts.size() + 1, c, pfs, encap, lifetime));
    }
    return new V1SaPayload(V1SaPayload.DOI_IPSEC, V1SaPayload.SIT_IDENTITY_ONLY,
        List.of(new V1Proposal(1, ProtocolId.ESP, spiBytes(spi), ts)));
  }

  private static V1Transform espTransform(int number, EspChoice c, DhGroup pfs, int encap, Duration lifetime) {
    List<DataAttribute> at = new ArrayList<>();
    at.add(DataAttribute.tv(SA_LIFE_TYPE, LIFE_SECONDS));
    at.add(duration(SA_LIFE_DURATION, lifetime.getSeconds()));
    if (pfs != null) {
      at.add(DataAttribute.tv(GROUP_DESCRIPTION, pfs.id()));
    }
    at.add(DataAttribute.tv(ENCAPSULATION_MODE, encap));
    if (c.integ() != null) {
      at.add(DataAttribute.tv(AUTH_ALGORITHM, c.integ().espV1AuthId()));
    }
    if (c.enc().variableKeyLength()) {
      at.add(DataAttribute.tv(KEY_LENGTH, c.keyBits()));
    }
    return new V1Transform(number, c.enc().espV1Id(), at);
  }

  /** Reads an ESP transform: the algorithms (dh = its group description or null) and the encapsulation mode. */
  static Optional<EspChoice> parseEsp(V1Transform t) {
    Optional<Encryption> enc = Encryption.fromEspV1(t.id());
    if (enc.isEmpty()) {
      return Optional.empty();
    }
    Integrity integ = null;
    Optional<DataAttribute> auth = t.attribute(AUTH_ALGORITHM);
    if (auth.isPresent()) {
      Optional<Integrity> i = Integrity.fromEspV1(auth.get().value());
      if (i.isEmpty()) {
        return Optional.empty();
      }
      integ = i.get();
    }
    if (integ == null && !enc.get().aead()) {
      return Optional.empty();
    }
    int bits = t.attribute(KEY_LENGTH).map(DataAttribute::value).orElse(enc.get().defaultKeyLength());
    if (!enc.get().acceptsKeyLength(bits)) {
      return Optional.empty();
    }
    DhGroup g = null;
    Optional<DataAttribute> gd = t.attribute(GROUP_DESCRIPTION);
    if (gd.isPresent()) {
      Optional<DhGroup> og = DhGroup.fromId(gd.get().value());
      if (og.isEmpty()) {
        return Optional.empty();
      }
      g = og.get();
    }
    return Optional.of(new EspChoice(enc.get(), bits, integ, g));
  }

  static int encap(V1Transform t) {
    return t.attribute(ENCAPSULATION_MODE).map(DataAttribute::value).orElse(ENCAP_TUNNEL);
  }

  static boolean transportEncap(int mode) {
    return mode == ENCAP_TRANSPORT || mode == ENCAP_UDP_TRANSPORT || mode == ENCAP_UDP_TRANSPORT_DRAFT;
  }

  /**
   * Responder: the first ESP transform we allow that names a PFS group exactly when a KE payload came (RFC
   * 2409 §5.5); the KE's length is checked against that group by the caller.
   */
  static Optional<ChosenEsp> chooseEsp(V1SaPayload offer, List<EspChoice> ours, boolean haveKe, boolean pfsRequired) {
    for (V1Proposal p : offer.proposals()) {
      if (p.protocol() != ProtocolId.ESP || p.spi().length != 4) {
        continue;
      }
      for (V1Transform t : p.transforms()) {
        Optional<EspChoice> c = parseEsp(t);
        if (c.isEmpty() || (c.get().dh() != null) != haveKe || (pfsRequired && !haveKe) || !allowed(ours, c.get())) {
          continue;
        }
        return Optional.of(new ChosenEsp(c.get(), p.spi(), p.number(), t, encap(t)));
      }
    }
    return Optional.empty();
  }

  private static boolean allowed(List<EspChoice> ours, EspChoice c) {
    return ours.stream().anyMatch(e -> e.enc() == c.enc() && e.keyBits() == c.keyBits() && e.integ() == c.integ());
  }

  static V1SaPayload espAnswer(ChosenEsp c, int ourSpi) {
    return new V1SaPayload(V1SaPayload.DOI_IPSEC, V1SaPayload.SIT_IDENTITY_ONLY,
        List.of(new V1Proposal(c.proposalNumber(), ProtocolId.ESP, spiBytes(ourSpi), List.of(c.transform()))));
  }

  /** Initiator: the answer must be one proposal with one of our transforms and the PFS group we sent. */
  static Optional<ChosenEsp> acceptEsp(V1SaPayload answer, List<EspChoice> ours, DhGroup pfs) {
    if (answer.proposals().size() != 1 || answer.proposals().get(0).transforms().size() != 1) {
      return Optional.empty();
    }
    V1Proposal p = answer.proposals().get(0);
    V1Transform t = p.transforms().get(0);
    Optional<EspChoice> c = parseEsp(t);
    if (p.protocol() != ProtocolId.ESP || p.spi().length != 4 || c.isEmpty() || c.get().dh() != pfs
        || !allowed(ours, c.get())) {
      return Optional.empty();
    }
    return Optional.of(new ChosenEsp(c.get(), p.spi(), p.number(), t, encap(t)));
  }

  static byte[] spiBytes(int spi) {
    return ByteBuffer.allocate(4).putInt(spi).array();
  }

  static int spiInt(byte[] spi) {
    return spi.length == 4 ? ByteBuffer.wrap(spi).getInt() : 0;
  }
}
