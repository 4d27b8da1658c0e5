package org.openswanj.pluto.ikev2;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.openswanj.alg.DhGroup;
import org.openswanj.kernel.KernelException;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;
import org.openswanj.pluto.conn.ProposalPolicy.IkeChoice;
import org.openswanj.pluto.crypto.DhKeyPair;
import org.openswanj.pluto.crypto.DiffieHellman;
import org.openswanj.pluto.crypto.IkeSaKeys;
import org.openswanj.pluto.crypto.Ikev2KeyDerivation;
import org.openswanj.pluto.crypto.InvalidKeException;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.Watcher;
import org.openswanj.pluto.ike.wire.ChildSaNotFoundException;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.InvalidKePayloadException;
import org.openswanj.pluto.ike.wire.InvalidSyntaxException;
import org.openswanj.pluto.ike.wire.KePayload;
import org.openswanj.pluto.ike.wire.NoProposalChosenException;
import org.openswanj.pluto.ike.wire.NoncePayload;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.ProtocolId;
import org.openswanj.pluto.ike.wire.SaPayload;
import org.openswanj.pluto.ike.wire.TemporaryFailureException;
import org.openswanj.pluto.ike.wire.TrafficSelector;
import org.openswanj.pluto.ike.wire.TsPayload;

/** CREATE_CHILD_SA (RFC 7296 §1.3): rekeying Child SAs (with or without PFS) and the IKE SA, both roles. */
final class CreateChild {
  private final Ikev2Engine e;

  CreateChild(Ikev2Engine engine) {
    this.e = engine;
  }

  /** Result of the helper's DH work: our key pair and g^ir. */
  private record Dh(DhKeyPair pair, byte[] gir) {}

  // ---- another conn's Child SA on an established IKE SA, initiator (§1.3.1) ----

  /**
   * {@code conn}'s Child SA on {@code sa}, whose peer and IDs are the same: CREATE_CHILD_SA with SA, Ni, [KEi],
   * TSi, TSr (RFC 7296 §1.3.1); progress goes to {@code watcher}, which ends with "IPsec SA established".
   */
  void initiateChild(IkeSa sa, Connection conn, Watcher watcher) {
    if (!sa.state.established() || sa.deleting) {
      end(conn, watcher, "\"" + conn.name() + "\": IKE SA #" + sa.serial + " went away before its Child SA");
      return;
    }
    int spi;
    try {
      spi = e.children.allocateSpi(sa);
    } catch (KernelException ex) {
      end(conn, watcher, "\"" + conn.name() + "\": cannot allocate an SPI: " + ex.getMessage());
      return;
    }
    byte[] ni = e.saInit.randomBytes(SaInit.NONCE_SIZE);
    DhGroup pfs = conn.proposals().pfs() ? sa.algs.dh() : null;
    List<TrafficSelector> tsi = e.children.localTs(conn);
    List<TrafficSelector> tsr = e.children.remoteTs(conn, sa.remote.getAddress());
    say(watcher, Outcome.COMMENT, "\"" + conn.name() + "\" #" + sa.serial + ": initiating a Child SA on IKE SA #"
        + sa.serial + " of \"" + sa.conn.name() + "\" (CREATE_CHILD_SA" + (pfs != null ? ", PFS group "
        + pfs.configName() : "") + ")");
    e.guard.offload(sa, () -> pfs == null ? null : DiffieHellman.generate(pfs, e.random()), dh -> {
      List<Payload> p = new ArrayList<>();
      if (conn.transportMode()) {
        p.add(new NotifyPayload(NotifyType.USE_TRANSPORT_MODE, new byte[0]));
      }
      p.add(Proposals.espOffer(conn.proposals(), Children.spiBytes(spi), pfs));
      p.add(new NoncePayload(ni));
      if (dh != null) {
        p.add(new KePayload(pfs.id(), dh.publicValue()));
      }
      p.add(new TsPayload(false, tsi));
      p.add(new TsPayload(true, tsr));
      e.messenger.request(sa, ExchangeType.CREATE_CHILD_SA, p, "CREATE_CHILD_SA (new IPsec SA)",
          r -> onNewChildResponse(sa, conn, watcher, new Offer(spi, ni, dh, tsi, tsr), r));
    }, ex -> end(conn, watcher, "\"" + conn.name() + "\": cannot make a DH key: " + ex.getMessage()));
  }

  /** What we offered in a CREATE_CHILD_SA for a new Child SA. */
  private record Offer(int spi, byte[] ni, DhKeyPair dh, List<TrafficSelector> tsi, List<TrafficSelector> tsr) {}

  private void onNewChildResponse(IkeSa sa, Connection conn, Watcher watcher, Offer o, Ikev2Message r) {
    if (r == null || r.error().isPresent()) {
      String why = r == null ? "no response" : r.error().get().type().name();
      end(conn, watcher, "\"" + conn.name() + "\" #" + sa.serial + ": CREATE_CHILD_SA refused by the peer: " + why);
      return;
    }
    Optional<Proposals.Chosen<EspChoice>> chosen = r.first(SaPayload.class)
        .flatMap(s -> Proposals.acceptedEsp(s, conn.proposals()));
    Optional<NoncePayload> nr = r.first(NoncePayload.class);
    List<TrafficSelector> tsi = r.all(TsPayload.class).stream().filter(t -> !t.responder()).findFirst()
        .map(TsPayload::selectors).orElse(List.of());
    List<TrafficSelector> tsr = r.all(TsPayload.class).stream().filter(TsPayload::responder).findFirst()
        .map(TsPayload::selectors).orElse(List.of());
    byte[] gir = null;
    try {
      gir = o.dh() == null ? null : o.dh().sharedSecret(r.first(KePayload.class).orElseThrow(
          () -> new InvalidKeException("no KE payload in a PFS answer")).keyData());
    } catch (InvalidKeException ex) {
      chosen = Optional.empty();
    }
    if (chosen.isEmpty() || nr.isEmpty() || tsi.isEmpty() || tsr.isEmpty() || !TrafficSelectors.within(tsi, o.tsi())
        || !TrafficSelectors.within(tsr, o.tsr())) {
      e.informational.sendDeleteChildSpi(sa, o.spi());
      end(conn, watcher, "\"" + conn.name() + "\" #" + sa.serial
          + ": peer's CREATE_CHILD_SA answer is not what we proposed; deleting it");
      return;
    }
    ChildSa fresh = new ChildSa(e.nextSerial(), sa, conn, o.spi());
    fresh.watcher = watcher;
    fresh.outboundSpi = Children.spiInt(chosen.get().peerSpi());
    fresh.algs = chosen.get().choice();
    fresh.localTs = tsi;
    fresh.remoteTs = tsr;
    fresh.transport = conn.transportMode() && r.notify(NotifyType.USE_TRANSPORT_MODE).isPresent();
    fresh.ni = o.ni();
    fresh.nr = nr.get().nonce();
    boolean ok = e.children.establish(fresh, true, gir, o.ni(), fresh.nr);
    fresh.watcher = null;
    if (!ok) {
      e.informational.sendDeleteChildSpi(sa, o.spi());
      e.saInit.negotiationFailed(conn);
    }
    if (watcher != null) {
      watcher.close();
    }
  }

  /** The Child SAs that waited for {@code sa} to come up go now (or are told it did not). */
  void startPending(IkeSa sa) {
    List<IkeSa.Pending> waiting = List.copyOf(sa.pending);
    sa.pending.clear();
    for (IkeSa.Pending p : waiting) {
      initiateChild(sa, p.conn(), p.watcher());
    }
  }

  /** A Child SA of {@code conn} will not be: the whack is told, a routed conn gets its failure shunt. */
  private void end(Connection conn, Watcher watcher, String why) {
    say(watcher, Outcome.LOG_SERIOUS, why);
    if (watcher != null) {
      watcher.close();
    }
    e.saInit.negotiationFailed(conn);
  }

  private static void say(Watcher watcher, Outcome rc, String line) {
    SaLog.line(watcher, rc, line);
  }

  // ---- Child SA rekey, initiator (§1.3.3) ----

  void rekeyChild(ChildSa old) {
    IkeSa sa = old.parent;
    if (old.rekeyed || !sa.state.established() || sa.deleting) {
      return;
    }
    old.rekeyed = true;
    int spi;
    try {
      spi = e.children.allocateSpi(sa);
    } catch (KernelException ex) {
      SaLog.child(old, Outcome.LOG_SERIOUS, "cannot rekey: " + ex.getMessage());
      return;
    }
    byte[] ni = e.saInit.randomBytes(SaInit.NONCE_SIZE);
    DhGroup pfs = old.conn.proposals().pfs() ? (old.algs.dh() != null ? old.algs.dh() : sa.algs.dh()) : null;
    SaLog.child(old, Outcome.COMMENT, "initiating rekey of IPsec SA" + (pfs != null ? " with PFS group " + pfs.configName() : ""));
    e.guard.offload(sa, () -> pfs == null ? null : DiffieHellman.generate(pfs, e.random()), dh -> {
      List<Payload> p = new ArrayList<>();
      p.add(new NotifyPayload(ProtocolId.ESP.wireValue(), Children.spiBytes(old.inboundSpi),
          NotifyType.REKEY_SA.wireValue(), new byte[0]));
      if (old.transport) {
        p.add(new NotifyPayload(NotifyType.USE_TRANSPORT_MODE, new byte[0]));
      }
      p.add(Proposals.espOffer(old.conn.proposals(), Children.spiBytes(spi), pfs));
      p.add(new NoncePayload(ni));
      if (dh != null) {
        p.add(new KePayload(pfs.id(), dh.publicValue()));
      }
      p.add(new TsPayload(false, old.localTs));
      p.add(new TsPayload(true, old.remoteTsOnWire()));
      e.messenger.request(sa, ExchangeType.CREATE_CHILD_SA, p, "CREATE_CHILD_SA (rekey IPsec SA)",
          r -> onRekeyChildResponse(old, spi, ni, dh, r));
    }, ex -> SaLog.child(old, Outcome.LOG_SERIOUS, "cannot rekey: " + ex.getMessage()));
  }

  private void onRekeyChildResponse(ChildSa old, int spi, byte[] ni, DhKeyPair dh, Ikev2Message r) {
    IkeSa sa = old.parent;
    if (r == null || r.error().isPresent()) {
      String why = r == null ? "no response" : r.error().get().type().name();
      boolean pfs = dh != null;
      SaLog.child(old, Outcome.LOG_SERIOUS, "rekey of IPsec SA failed: " + why
          + (pfs && why.equals("NO_PROPOSAL_CHOSEN") ? " (pfs=yes: the peer's ESP proposals must allow DH group "
          + dh.group().configName() + ")" : ""));
      old.rekeyed = false;
      if (r != null && r.error().get().type() == NotifyType.TEMPORARY_FAILURE) {
        e.guard.schedule(old.parent, Duration.ofSeconds(5), () -> rekeyChild(old)); // RFC 7296 §2.25: retry later
      } else if (r != null && r.error().get().type() == NotifyType.CHILD_SA_NOT_FOUND) {
        replaceLostChild(old);
      }
      return;
    }
    Optional<Proposals.Chosen<EspChoice>> chosen = r.first(SaPayload.class)
        .flatMap(s -> Proposals.acceptedEsp(s, old.conn.proposals()));
    Optional<NoncePayload> nr = r.first(NoncePayload.class);
    List<TrafficSelector> tsi = r.all(TsPayload.class).stream().filter(t -> !t.responder()).findFirst()
        .map(TsPayload::selectors).orElse(List.of());
    List<TrafficSelector> tsr = r.all(TsPayload.class).stream().filter(TsPayload::responder).findFirst()
        .map(TsPayload::selectors).orElse(List.of());
    byte[] gir = null;
    try {
      gir = dh == null ? null : dh.sharedSecret(r.first(KePayload.class).orElseThrow(
          () -> new InvalidKeException("no KE payload in a PFS rekey answer")).keyData());
    } catch (InvalidKeException ex) {
      chosen = Optional.empty();
    }
    if (chosen.isEmpty() || nr.isEmpty() || !TrafficSelectors.within(tsi, old.localTs)
        || !TrafficSelectors.within(tsr, old.remoteTsOnWire())) {
      SaLog.child(old, Outcome.LOG_SERIOUS, "peer's rekey answer is not acceptable; deleting the new SA");
      e.informational.sendDeleteChildSpi(sa, spi);
      old.rekeyed = false;
      return;
    }
    ChildSa fresh = new ChildSa(e.nextSerial(), sa, old.conn, spi);
    fresh.outboundSpi = Children.spiInt(chosen.get().peerSpi());
    fresh.algs = chosen.get().choice();
    fresh.localTs = tsi;
    fresh.remoteTs = tsr;
    if (old.remoteTsAsPeerNamesIt != null) { // RFC 7296 §2.23.1: still the address the peer is seen at
      fresh.remoteTsAsPeerNamesIt = tsr;
      fresh.remoteTs = old.remoteTs;
    }
    fresh.transport = old.transport;
    fresh.ni = ni;
    fresh.nr = nr.get().nonce();
    if (!e.children.establish(fresh, true, gir, ni, fresh.nr)) {
      e.informational.sendDeleteChildSpi(sa, spi);
      return;
    }
    e.metrics().rekeyed(org.openswanj.pluto.engine.EngineMetrics.IkeVersion.IKEV2, org.openswanj.pluto.engine.EngineMetrics.Rekey.CHILD);
    if (old.replaceTimer != null) {
      old.replaceTimer.cancel();
    }
    ChildSa peers = peerRekeyOf(old);
    if (peers != null && lowestNonceIsOurs(fresh, peers)) {
      // RFC 7296 §2.8.1: the SA created with the lowest nonce is redundant; its initiator deletes it
      SaLog.child(fresh, Outcome.COMMENT, "simultaneous rekey: this SA has the lowest nonce and is deleted");
      e.informational.deleteChild(fresh, true);
    }
    e.informational.deleteChild(old, true);
  }

  /**
   * RFC 7296 §2.25: the peer no longer has the Child SA we tried to rekey (it expired there first, say while our
   * requests were lost): delete ours silently and create a new one from scratch, unless another SA of the conn
   * already carries its traffic on this IKE SA.
   */
  private void replaceLostChild(ChildSa old) {
    IkeSa sa = old.parent;
    e.informational.deleteChild(old, false);
    boolean covered = sa.children.stream().anyMatch(c -> c.conn == old.conn && c.state != Ikev2State.STATE_CHILDSA_DEL
        && !c.deleting);
    if (covered || sa.deleting || !sa.state.established()) {
      return;
    }
    SaLog.child(old, Outcome.COMMENT, "the peer has no such IPsec SA any more; creating a new one (RFC 7296 §2.25)");
    initiateChild(sa, old.conn, null);
  }

  private ChildSa peerRekeyOf(ChildSa old) {
    for (ChildSa c : old.parent.children) {
      if (c != old && c.remoteTs.equals(old.remoteTs) && c.localTs.equals(old.localTs) && c.serial > old.serial
          && c.replacedSerial == old.serial && !c.createdByUs) {
        return c;
      }
    }
    return null;
  }

  private static boolean lowestNonceIsOurs(ChildSa ours, ChildSa theirs) {
    byte[] a = min(ours.ni, ours.nr);
    byte[] b = min(theirs.ni, theirs.nr);
    return Arrays.compareUnsigned(a, b) < 0;
  }

  private static byte[] min(byte[] x, byte[] y) {
    return Arrays.compareUnsigned(x, y) <= 0 ? x : y;
  }

  // ---- responder ----

  void respond(IkeSa sa, Ikev2Message m) {
    SaPayload offer = m.first(SaPayload.class).orElseThrow();
    boolean ike = offer.proposals().stream().anyMatch(p -> p.protocol() == ProtocolId.IKE);
    if (ike && sa.state.established() && !sa.deleting) {
      respondIkeRekey(sa, m, offer);
      return;
    }
    ChildSa old;
    DhGroup group;
    try {
      old = rekeyedChild(sa, m);
      group = keGroup(sa, m);
    } catch (IkeProtocolException ex) {
      e.messenger.answer(sa, m.header(), () -> {
        throw ex;
      });
      return;
    }
    byte[] ni = m.first(NoncePayload.class).orElseThrow().nonce();
    byte[] nr = e.saInit.randomBytes(SaInit.NONCE_SIZE);
    byte[] peerKe = m.first(KePayload.class).map(KePayload::keyData).orElse(null);
    e.guard.offload(sa, () -> dh(group, peerKe), dh -> {
      if (sa.deleting) {
        return; // the IKE SA went while the helper worked: its keys are wiped, its Child SAs gone
      }
      boolean ok = e.messenger.answer(sa, m.header(), () -> {
        List<Payload> out = new ArrayList<>();
        for (Payload p : e.children.respondChild(sa, m, dh == null ? null : dh.gir(), group, ni, nr, old)) {
          out.add(p);
          if (p instanceof SaPayload) {
            out.add(new NoncePayload(nr));
            if (dh != null) {
              out.add(new KePayload(group.id(), dh.pair().publicValue()));
            }
          }
        }
        return out;
      });
      if (ok && old != null) {
        ChildSa fresh = sa.children.get(sa.children.size() - 1);
        old.rekeyed = true;
        e.metrics().rekeyed(org.openswanj.pluto.engine.EngineMetrics.IkeVersion.IKEV2,
            org.openswanj.pluto.engine.EngineMetrics.Rekey.CHILD);
        SaLog.child(old, Outcome.COMMENT, "rekeyed by the peer as #" + fresh.serial);
      }
    }, ex -> e.messenger.answer(sa, m.header(), () -> {
      throw new InvalidSyntaxException("the peer's KE payload is unusable: " + ex.getMessage());
    }));
  }

  /** The Child SA a CREATE_CHILD_SA request rekeys (REKEY_SA, RFC 7296 §1.3.3), or null for a new one. */
  private static ChildSa rekeyedChild(IkeSa sa, Ikev2Message m) throws IkeProtocolException {
    if (!sa.state.established() || sa.deleting) {
      throw new TemporaryFailureException("CREATE_CHILD_SA while the IKE SA is " + (sa.deleting ? "being deleted"
          : "not established"));
    }
    Optional<NotifyPayload> rekey = m.notify(NotifyType.REKEY_SA);
    if (rekey.isEmpty()) {
      return null;
    }
    byte[] spiBytes = rekey.get().spi();
    if (spiBytes.length != 4) {
      // RFC 7296 §3.10.1: REKEY_SA names an ESP/AH SA by its 4-octet SPI
      throw new InvalidSyntaxException("CREATE_CHILD_SA: REKEY_SA with a " + spiBytes.length + "-octet SPI");
    }
    int spi = Children.spiInt(spiBytes);
    return sa.children.stream().filter(c -> c.outboundSpi == spi || c.inboundSpi == spi).findFirst()
        .orElseThrow(() -> new ChildSaNotFoundException(ProtocolId.ESP.wireValue(), spiBytes,
            String.format("CREATE_CHILD_SA rekeys SPI 0x%08x, which is not ours", spi)));
  }

  /** The PFS group of the request's KE payload, null without one; RFC 7296 §1.3: a group we refuse is named. */
  private static DhGroup keGroup(IkeSa sa, Ikev2Message m) throws InvalidKePayloadException {
    Optional<KePayload> ke = m.first(KePayload.class);
    DhGroup group = ke.flatMap(k -> DhGroup.fromId(k.dhGroup())).orElse(null);
    if (ke.isPresent() && (group == null || !sa.conn.proposals().allowsGroup(group))) {
      throw new InvalidKePayloadException(sa.algs.dh().id(), "CREATE_CHILD_SA with KE group "
          + ke.get().dhGroup() + ", which this conn does not allow");
    }
    return group;
  }

  private Dh dh(DhGroup group, byte[] peer) {
    if (group == null) {
      return null;
    }
    DhKeyPair pair = DiffieHellman.generate(group, e.random());
    try {
      return new Dh(pair, pair.sharedSecret(peer));
    } catch (InvalidKeException ex) {
      throw new IllegalArgumentException(ex.getMessage());
    }
  }

  // ---- IKE SA rekey (§1.3.2, §2.18) ----

  void rekeyIke(IkeSa old) {
    if (old.rekeyed || !old.state.established() || old.deleting) {
      return;
    }
    old.rekeyed = true;
    long spiI = e.saInit.randomSpi();
    byte[] ni = e.saInit.randomBytes(SaInit.NONCE_SIZE);
    DhGroup g = old.algs.dh();
    SaLog.ike(old, Outcome.COMMENT, "initiating rekey of IKE SA");
    e.guard.offload(old, () -> DiffieHellman.generate(g, e.random()), dh -> {
      List<Payload> p = List.of(Proposals.ikeOffer(old.conn.proposals(), SaInit.longBytes(spiI), g), new NoncePayload(ni),
          new KePayload(g.id(), dh.publicValue()));
      e.messenger.request(old, ExchangeType.CREATE_CHILD_SA, p, "CREATE_CHILD_SA (rekey IKE SA)",
          r -> onRekeyIkeResponse(old, spiI, ni, dh, r));
    }, ex -> SaLog.ike(old, Outcome.LOG_SERIOUS, "cannot rekey IKE SA: " + ex.getMessage()));
  }

  private void onRekeyIkeResponse(IkeSa old, long spiI, byte[] ni, DhKeyPair dh, Ikev2Message r) {
    if (r == null || r.error().isPresent()) {
      SaLog.ike(old, Outcome.LOG_SERIOUS, "rekey of IKE SA failed: " + (r == null ? "no response" : r.error().get().type()));
      old.rekeyed = false;
      return;
    }
    Optional<SaPayload> saP = r.first(SaPayload.class);
    Optional<IkeChoice> chosen = saP.flatMap(s -> Proposals.acceptedIke(s, old.conn.proposals()));
    Optional<KePayload> ke = r.first(KePayload.class);
    Optional<NoncePayload> nr = r.first(NoncePayload.class);
    if (chosen.isEmpty() || ke.isEmpty() || nr.isEmpty() || saP.get().proposals().get(0).spi().length != 8
        || chosen.get().dh() != dh.group()) {
      SaLog.ike(old, Outcome.LOG_SERIOUS, "peer's IKE rekey answer is not acceptable");
      old.rekeyed = false;
      return;
    }
    long spiR = ByteBuffer.wrap(saP.get().proposals().get(0).spi()).getLong();
    try {
      byte[] gir = dh.sharedSecret(ke.get().keyData());
      moveToNewIkeSa(old, true, spiI, spiR, chosen.get(), ni, nr.get().nonce(), gir);
    } catch (InvalidKeException ex) {
      SaLog.ike(old, Outcome.LOG_SERIOUS, "peer's KE in IKE rekey is invalid: " + ex.getMessage());
      old.rekeyed = false;
      return;
    }
    e.informational.deleteIke(old, true);
  }

  private void respondIkeRekey(IkeSa old, Ikev2Message m, SaPayload offer) {
    KePayload ke = m.first(KePayload.class).orElse(null);
    Optional<Proposals.Chosen<IkeChoice>> chosen = ke == null ? Optional.empty()
        : Proposals.chooseIke(offer, old.conn.proposals(), ke.dhGroup());
    if (chosen.isEmpty() || chosen.get().choice().dh().id() != ke.dhGroup()) {
      e.messenger.answer(old, m.header(), () -> {
        if (chosen.isEmpty()) {
          throw new NoProposalChosenException("no acceptable proposal to rekey the IKE SA");
        }
        throw new InvalidKePayloadException(chosen.get().choice().dh().id(), "IKE SA rekey with KE group "
            + ke.dhGroup() + ", another than the chosen proposal's");
      });
      return;
    }
    long spiI = ByteBuffer.wrap(chosen.get().peerSpi()).getLong();
    long spiR = e.saInit.randomSpi();
    byte[] ni = m.first(NoncePayload.class).orElseThrow().nonce();
    byte[] nr = e.saInit.randomBytes(SaInit.NONCE_SIZE);
    DhGroup g = chosen.get().choice().dh();
    e.guard.offload(old, () -> dh(g, ke.keyData()), dh -> {
      e.messenger.respond(old, m.header(), List.of(Proposals.ikeAnswer(chosen.get(), SaInit.longBytes(spiR)),
          new NoncePayload(nr), new KePayload(g.id(), dh.pair().publicValue())));
      moveToNewIkeSa(old, false, spiI, spiR, chosen.get().choice(), ni, nr, dh.gir());
      old.rekeyed = true;
    }, ex -> e.messenger.answer(old, m.header(), () -> {
      throw new InvalidSyntaxException("the peer's KE payload is unusable: " + ex.getMessage());
    }));
  }

  /** RFC 7296 §2.18: new keys from the old SK_d; the Child SAs move to the new IKE SA. */
  private void moveToNewIkeSa(IkeSa old, boolean weInitiated, long spiI, long spiR, IkeChoice algs, byte[] ni,
      byte[] nr, byte[] gir) {
    IkeSa sa = new IkeSa(e.nextSerial(), old.conn, weInitiated);
    sa.peerId = old.peerId; // RFC 7296 §2.18: the new IKE SA is the same peer's
    sa.peerCert = old.peerCert;
    sa.upAfterSerial = old.upAfterSerial; // the same life of the peer, for INITIAL_CONTACT
    sa.spiI = spiI;
    sa.spiR = spiR;
    sa.local = old.local;
    sa.remote = old.remote;
    sa.natLocal = old.natLocal;
    sa.natRemote = old.natRemote;
    // RFC 7383 §2.3 negotiates fragmentation only in IKE_SA_INIT: the rekeyed IKE SA keeps what was agreed
    sa.fragmentsAnnounced = old.fragmentsAnnounced;
    sa.peerFragments = old.peerFragments;
    sa.peerSync = old.peerSync; // RFC 6311 §6.1: announced in IKE_AUTH only
    sa.algs = algs;
    sa.ni = ni;
    sa.nr = nr;
    IkeSaKeys keys = Ikev2KeyDerivation.rekey(old.algs.prf(), old.keys.skD().bytes(), algs.prf(), algs.enc(),
        algs.keyBits(), algs.integ(), ni, nr, gir, spiI, spiR);
    Arrays.fill(gir, (byte) 0);
    SaInit.installKeys(sa, keys, e.random());
    e.machine.enter(sa, weInitiated ? V2Transitions.Event.REKEYED_AS_INITIATOR
        : V2Transitions.Event.REKEYED_AS_RESPONDER, "{rekeyed IKE SA #" + old.serial + "; " + Auth.describe(algs) + "}");
    sa.established = e.loop().now();
    e.metrics().rekeyed(org.openswanj.pluto.engine.EngineMetrics.IkeVersion.IKEV2, org.openswanj.pluto.engine.EngineMetrics.Rekey.IKE);
    sa.lastInbound = sa.established;
    for (ChildSa c : old.children) {
      c.parent = sa;
      sa.children.add(c);
    }
    old.children.clear();
    e.sas.register(sa);
    e.replication().ikeChanged(sa); // the new IKE SA, and its Child SAs under their new parent
    sa.children.forEach(e.replication()::childInstalled);
    sa.conn.setNewestIkeSa(sa.serial);
    e.informational.scheduleIkeLifetime(sa);
    e.informational.scheduleDpd(sa);
    e.watchNat(sa);
  }
}
