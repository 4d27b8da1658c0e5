package org.openswanj.pluto.ikev2;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.id.Identity;
import org.openswanj.conf.id.IdentityException;
import org.openswanj.conf.secrets.Psk;
import org.openswanj.kernel.KernelException;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;
import org.openswanj.pluto.conn.ProposalPolicy.IkeChoice;
import org.openswanj.pluto.crypto.PskAuth;
import org.openswanj.pluto.crypto.sig.SigVerdict;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.SaEvent;
import org.openswanj.pluto.engine.Watcher;
import org.openswanj.pluto.ike.wire.AuthMethod;
import org.openswanj.pluto.ike.wire.AuthenticationFailedException;
import org.openswanj.pluto.ike.wire.AuthPayload;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IdPayload;
import org.openswanj.pluto.ike.wire.IdType;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.SaPayload;
import org.openswanj.pluto.ike.wire.TrafficSelector;
import org.openswanj.pluto.ike.wire.TsPayload;
import org.openswanj.pluto.pki.CertVerdict;

/**
 * IKE_AUTH (RFC 7296 §1.2, §2.15) with pre-shared keys, raw RSA keys or certificates (§3.6, §3.7, RFC 7427), and
 * the first Child SA it carries. A peer's certificate chain is checked on a worker; the exchange resumes on the
 * loop when the verdict comes back.
 */
final class Auth {
  private final Ikev2Engine e;

  Auth(Ikev2Engine engine) {
    this.e = engine;
  }

  // ---- initiator ----

  void initiate(IkeSa sa) {
    InitialContact.Turn turn = e.initialContact.turn(sa);
    if (turn == InitialContact.Turn.WAIT) {
      return;
    }
    Connection c = sa.conn;
    int spi;
    try {
      spi = e.children.allocateSpi(sa);
    } catch (KernelException ex) {
      e.saInit.fail(sa, "cannot allocate an SPI: " + ex.getMessage());
      return;
    }
    ChildSa child = new ChildSa(e.nextSerial(), sa, spi);
    child.transport = c.transportMode();
    sa.pendingChild = child;
    sa.pendingTsi = e.children.localTs(c);
    sa.pendingTsr = e.children.remoteTs(c, sa.remote.getAddress());
    IdPayload idi = idPayload(c.localId(), false);
    byte[] octets = PskAuth.signedOctets(sa.initRequest, sa.nr, sa.algs.prf(), sa.keys.skPi().bytes(), idi.body());
    List<Payload> p = new ArrayList<>();
    p.add(idi);
    // RFC 7296 §1.2: IDi, [CERT+], [CERTREQ+], [IDr], AUTH
    if (CertAuth.signatures(c)) {
      p.addAll(CertAuth.certs(c, sa));
    }
    if (CertAuth.peerByCertificate(c)) {
      CertAuth.certReq(e.credentials()).ifPresent(p::add);
    }
    // RFC 7296 §2.9, §3.5: IDr is optional and names the one identity wanted; a DN with "*" names none (charon
    // answers AUTHENTICATION_FAILED to IDr 'C=CA, O=Lab, CN=*'), so the certificate check alone matches it
    if (!c.remoteId().isAny() && c.remoteId().kind() != Identity.Kind.FROMCERT && c.remoteId().wildcards() == 0
        && c.remoteId().kind() != Identity.Kind.NULL) { // ID_NULL names no one either (RFC 7619 §2.2)
      p.add(idPayload(c.remoteId(), true));
    }
    Authenticator.Result<AuthPayload> auth = signOurs(c, sa, octets);
    if (!auth.ok()) {
      e.saInit.fail(sa, auth.error());
      return;
    }
    p.add(auth.value());
    if (turn == InitialContact.Turn.WITH_INITIAL_CONTACT) {
      p.add(new NotifyPayload(NotifyType.INITIAL_CONTACT, new byte[0])); // RFC 7296 §2.4
    }
    if (child.transport) {
      p.add(new NotifyPayload(NotifyType.USE_TRANSPORT_MODE, new byte[0]));
    }
    p.addAll(MidSync.announce(sa, null, e.installer().canAdvanceSequence())); // RFC 6311 §6.1: any pluto may be
    // the peer of a cluster
    p.add(Proposals.espOffer(c.proposals(), Children.spiBytes(spi), null));
    p.add(new TsPayload(false, sa.pendingTsi));
    p.add(new TsPayload(true, sa.pendingTsr));
    // the response goes to its row's handler, onAuthResponse
    e.messenger.request(sa, ExchangeType.IKE_AUTH, p, "IKE_AUTH request",
        r -> e.saInit.fail(sa, "no response to IKE_AUTH"));
    e.machine.enter(sa, V2Transitions.Event.IKE_SA_INIT_RESPONSE, "{" + describe(sa.algs) + "}");
  }

  /** The IKE_AUTH response, its shape checked ({@link V2Transitions}): the responder authenticated, or refused. */
  void onAuthResponse(IkeSa sa, Ikev2Message r) {
    Optional<AuthPayload> authP = r.first(AuthPayload.class);
    Optional<IdPayload> idr = r.first(IdPayload.class);
    if (authP.isEmpty() || idr.isEmpty()) {
      String err = r.error().map(n -> n.type().name()).orElse("no AUTH payload");
      Ikev2Engine.failing(sa, r.error().map(n -> Ikev2Engine.failureOf(n.type())).orElse(org.openswanj.pluto.engine.EngineMetrics.Failure.OTHER));
      e.saInit.fail(sa, "IKE_AUTH refused by peer: " + err);
      return;
    }
    Identity peer = identity(idr.get());
    sa.peerSync = MidSync.Support.of(r); // RFC 6311 §6.1
    if (peer == null || !sa.conn.acceptsPeerId(peer)) {
      refuseResponder(sa, "peer ID " + (peer == null ? "(unparseable)" : peer) + " does not match expected "
          + sa.conn.remoteId());
      return;
    }
    byte[] octets = PskAuth.signedOctets(sa.initResponse, sa.ni, sa.algs.prf(), sa.keys.skPr().bytes(), idr.get().body());
    AuthPayload auth = authP.get();
    if (isSignature(auth) && CertAuth.peerByCertificate(sa.conn)) {
      sa.authPending = true;
      CertAuth.check(e.credentials(), sa.conn, peer, CertAuth.peerCertificates(sa.conn, r))
          .thenAccept(v -> e.loop().execute(() -> {
            sa.authPending = false;
            if (!sa.deleting && sa.state == Ikev2State.STATE_PARENT_I2) {
              responderCertChecked(sa, r, peer, auth, octets, v);
            }
          }));
      return;
    }
    Authenticator.Result<Boolean> ok = Authenticator.verify(sa.conn, e.secrets(), sa.conn.localId(), peer,
        sa.algs.prf(), auth, octets, sa.keys.skPr().bytes());
    if (!ok.ok()) {
      refuseResponder(sa, "IKE_AUTH response: AUTHENTICATION_FAILED (" + ok.error() + ")");
      return;
    }
    sa.peerNullAuth = auth.method() == AuthMethod.NULL_AUTHENTICATION;
    responderAuthenticated(sa, r, peer);
  }

  /** The responder's certificate was checked (on a worker); now its signature, then the IKE SA is up. */
  private void responderCertChecked(IkeSa sa, Ikev2Message r, Identity peer, AuthPayload auth, byte[] octets,
      CertVerdict v) {
    Optional<String> refused = certRefusal(sa, v, auth, octets);
    if (refused.isPresent()) {
      Ikev2Engine.failing(sa, org.openswanj.pluto.engine.EngineMetrics.Failure.CERT_REFUSED);
      refuseResponder(sa, "IKE_AUTH response: AUTHENTICATION_FAILED (" + refused.get() + ")");
      return;
    }
    responderAuthenticated(sa, r, peer);
  }

  /** Empty if the verdict trusts the certificate and its key verifies AUTH; else the one-line reason. */
  private Optional<String> certRefusal(IkeSa sa, CertVerdict v, AuthPayload auth, byte[] octets) {
    if (v instanceof CertVerdict.Refused no) {
      return Optional.of("certificate refused: " + no.line());
    }
    CertVerdict.Trusted t = (CertVerdict.Trusted) v;
    SigVerdict sig = CertAuth.verify(t, auth, octets);
    if (!sig.isValid()) {
      return Optional.of("signature of " + t.describe() + " does not verify: " + sig.reason());
    }
    t.warnings().forEach(w -> SaLog.ike(sa, Outcome.COMMENT, w));
    sa.peerCert = t.certificate();
    return Optional.empty();
  }

  /**
   * RFC 7296 §2.21.2: the responder has authenticated us and holds an IKE SA, but we refuse it; tell it with a
   * Delete in an INFORMATIONAL exchange, then give up.
   */
  private void refuseResponder(IkeSa sa, String why) {
    Ikev2Engine.failing(sa, org.openswanj.pluto.engine.EngineMetrics.Failure.AUTH_FAILED);
    SaLog.ike(sa, Outcome.AUTHFAILED, why);
    SaLog.ike(sa, Outcome.LOG_SERIOUS, "authentication of the peer failed");
    Watcher w = sa.watcher;
    e.informational.deleteIke(sa, true);
    if (w != null) {
      w.close();
    }
    e.saInit.negotiationFailed(sa.conn);
  }

  private static boolean isSignature(AuthPayload a) {
    return a.method() != AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE && a.method() != AuthMethod.NULL_AUTHENTICATION;
  }

  /** Our AUTH: with our certificate's key when the conn has leftcert=, else as authby= says (PSK, raw RSA). */
  private Authenticator.Result<AuthPayload> signOurs(Connection c, IkeSa sa, byte[] octets) {
    return signOurs(c, sa, octets, c.remoteId());
  }

  /** {@code peer}: the ID the PSK is looked up for; a responder's is the one the initiator proved (%any conns). */
  private Authenticator.Result<AuthPayload> signOurs(Connection c, IkeSa sa, byte[] octets, Identity peer) {
    if (CertAuth.signatures(c) && c.certs().local().isPresent()) {
      return CertAuth.sign(c, e.secrets(), sa, octets);
    }
    byte[] ourSkP = (sa.originalInitiator ? sa.keys.skPi() : sa.keys.skPr()).bytes();
    return Authenticator.sign(c, e.secrets(), c.localId(), peer, sa.algs.prf(), octets, ourSkP);
  }

  private void responderAuthenticated(IkeSa sa, Ikev2Message r, Identity peer) {
    established(sa, V2Transitions.Event.IKE_AUTH_RESPONSE, peer);
    ChildSa child = sa.pendingChild;
    sa.pendingChild = null;
    Optional<NotifyPayload> err = r.error();
    Optional<SaPayload> childSa = r.first(SaPayload.class);
    if (err.isPresent() || childSa.isEmpty()) {
      SaLog.ike(sa, Outcome.LOG_SERIOUS, "IKE SA established but the peer refused the IPsec SA: "
          + err.map(n -> n.type().name()).orElse("no SA payload"));
      e.handshakeEnded(Optional.of(err.map(NotifyPayload::type).orElse(NotifyType.NO_PROPOSAL_CHOSEN)));
      finishWatcher(sa);
      e.saInit.negotiationFailed(sa.conn);
      e.createChild.startPending(sa); // the IKE SA stands (§2.21.3): the other conns' Child SAs may still go
      return;
    }
    Optional<Proposals.Chosen<EspChoice>> chosen = Proposals.acceptedEsp(childSa.get(), sa.conn.proposals());
    List<TrafficSelector> tsi = r.first(TsPayload.class).map(TsPayload::selectors).orElse(List.of());
    List<TrafficSelector> tsr = r.all(TsPayload.class).stream().filter(TsPayload::responder).findFirst()
        .map(TsPayload::selectors).orElse(List.of());
    if (chosen.isEmpty() || !TrafficSelectors.within(tsi, sa.pendingTsi) || !TrafficSelectors.within(tsr, sa.pendingTsr)) {
      SaLog.ike(sa, Outcome.LOG_SERIOUS, "peer's IPsec SA answer is not what we proposed; deleting it");
      e.handshakeEnded(Optional.of(chosen.isEmpty() ? NotifyType.NO_PROPOSAL_CHOSEN : NotifyType.TS_UNACCEPTABLE));
      e.informational.sendDeleteChildSpi(sa, child.inboundSpi);
      finishWatcher(sa);
      e.saInit.negotiationFailed(sa.conn);
      return;
    }
    child.outboundSpi = Children.spiInt(chosen.get().peerSpi());
    child.algs = chosen.get().choice();
    child.localTs = tsi;
    child.remoteTs = tsr;
    child.transport = child.transport && r.notify(NotifyType.USE_TRANSPORT_MODE).isPresent();
    child.ni = sa.ni;
    child.nr = sa.nr;
    e.children.establish(child, true, null, sa.ni, sa.nr);
    e.handshakeEnded(Optional.empty());
    finishWatcher(sa);
    e.createChild.startPending(sa);
  }

  private void finishWatcher(IkeSa sa) {
    if (sa.watcher != null) {
      sa.watcher.close();
      sa.watcher = null;
    }
  }

  // ---- responder ----

  /** The IKE_AUTH request in STATE_PARENT_R1 ({@link V2Transitions}), its shape checked. */
  void respond(IkeSa sa, Ikev2Message m) {
    if (sa.authPending) {
      SaLog.debug("IKE_AUTH request in state " + sa.state + " dropped");
      return;
    }
    IdPayload idi = m.first(IdPayload.class).filter(i -> !i.responder()).orElseThrow();
    Optional<IdPayload> idrWanted = m.all(IdPayload.class).stream().filter(IdPayload::responder).findFirst();
    Identity peer = identity(idi);
    Optional<AuthPayload> authP = m.first(AuthPayload.class);
    if (authP.isEmpty()) {
      answerAuth(sa, m, null, peer, Optional.of("it asked for EAP, which is not offered here"));
      return;
    }
    Connection conn = peer == null ? null : refine(sa, peer, idrWanted.map(this::identity).orElse(null));
    AuthPayload auth = authP.get();
    CertAuth.readCertReq(sa, m);
    byte[] octets = PskAuth.signedOctets(sa.initRequest, sa.nr, sa.algs.prf(), sa.keys.skPi().bytes(), idi.body());
    if (conn != null && isSignature(auth) && CertAuth.peerByCertificate(conn)) {
      sa.authPending = true;
      CertAuth.check(e.credentials(), conn, peer, CertAuth.peerCertificates(conn, m))
          .thenAccept(v -> e.loop().execute(() -> e.guard.run(sa, SaEvent.HELPER_RESULT, () -> {
            sa.authPending = false;
            if (sa.deleting || sa.state != Ikev2State.STATE_PARENT_R1) {
              return;
            }
            Optional<String> refused = certRefusal(sa, v, auth, octets);
            if (refused.isPresent()) {
              Ikev2Engine.failing(sa, org.openswanj.pluto.engine.EngineMetrics.Failure.CERT_REFUSED);
            }
            answerAuth(sa, m, conn, peer, refused);
          })));
      return;
    }
    Authenticator.Result<Boolean> ok = conn == null ? Authenticator.Result.fail("no conn matches its ID")
        : Authenticator.verify(conn, e.secrets(), conn.localId(), peer, sa.algs.prf(), auth, octets,
            sa.keys.skPi().bytes());
    sa.peerNullAuth = ok.ok() && auth.method() == AuthMethod.NULL_AUTHENTICATION;
    answerAuth(sa, m, conn, peer, ok.ok() ? Optional.empty() : Optional.of(ok.error()));
  }

  /**
   * Answers IKE_AUTH: AUTHENTICATION_FAILED when the initiator did not authenticate (RFC 7296 §2.21.2, the SA is
   * forgotten), else our ID, [CERT], AUTH and the first Child SA.
   */
  private void answerAuth(IkeSa sa, Ikev2Message m, Connection conn, Identity peer, Optional<String> refusal) {
    e.messenger.answer(sa, m.header(), () -> {
      if (refusal.isPresent()) {
        throw new AuthenticationFailedException("peer " + (peer == null ? "(unparseable ID)" : peer)
            + " failed to authenticate (" + refusal.get() + ")");
      }
      return initiatorAuthenticated(sa, m, conn, peer);
    });
  }

  private List<Payload> initiatorAuthenticated(IkeSa sa, Ikev2Message m, Connection conn, Identity peer)
      throws AuthenticationFailedException {
    sa.conn = byTrafficSelectors(sa, m, conn, peer);
    IdPayload idr = idPayload(conn.localId(), true);
    byte[] ours = PskAuth.signedOctets(sa.initResponse, sa.ni, sa.algs.prf(), sa.keys.skPr().bytes(), idr.body());
    List<Payload> out = new ArrayList<>();
    out.add(idr);
    if (CertAuth.signatures(conn)) {
      out.addAll(CertAuth.certs(conn, sa)); // RFC 7296 §1.2: IDr, [CERT+], AUTH
    }
    Authenticator.Result<AuthPayload> mine = signOurs(conn, sa, ours, peer);
    if (!mine.ok()) {
      throw new AuthenticationFailedException("cannot authenticate ourselves: " + mine.error());
    }
    out.add(mine.value());
    sa.peerSync = MidSync.Support.of(m);
    out.addAll(MidSync.announce(sa, m, e.installer().canAdvanceSequence())); // RFC 6311 §6.1: answering the
    // initiator's announcement
    established(sa, V2Transitions.Event.IKE_AUTH_REQUEST, peer);
    if (m.notify(NotifyType.INITIAL_CONTACT).isPresent()) {
      e.initialContact.received(sa, peer);
    }
    try {
      out.addAll(e.children.respondChild(sa, m, null, null, sa.ni, sa.nr, null));
      e.handshakeEnded(Optional.empty());
    } catch (IkeProtocolException ex) {
      // RFC 7296 §2.21.3: the IKE SA stands; the Child SA's error notify travels in the IKE_AUTH answer
      SaLog.ike(sa, Outcome.LOG_SERIOUS, ex.getMessage() + ": IKE SA kept, answering " + ex.notifyType());
      out.add(ex.toNotify());
      e.handshakeEnded(Optional.of(ex.notifyType()));
    }
    return out;
  }

  /** The conn the peer's ID selects among those sharing this IKE SA's addresses (Openswan's refine_host_connection). */
  private Connection refine(IkeSa sa, Identity peer, Identity wantedLocal) {
    Connection best = null;
    for (Connection c : e.connections()) {
      if (!c.localHost().equals(sa.local.getAddress())
          || (c.remoteHost().isPresent() && !c.remoteHost().get().equals(sa.remote.getAddress()))) {
        continue;
      }
      if (!c.acceptsPeerId(peer) || (wantedLocal != null && !wantedLocal.matches(c.localId()))) {
        continue;
      }
      if (best == null || (c.remoteHost().isPresent() && best.remoteHost().isEmpty())) {
        best = c;
      }
    }
    return best;
  }

  /**
   * Among the conns the IDs selected, the one whose subnets are the offered traffic selectors (two gateways with
   * one conn per subnet pair, same IDs); {@code byId} when none is exact. Openswan's IKEv2 responder picks the
   * conn by TS the same way (ikev2_evaluate_connection_fit).
   */
  private Connection byTrafficSelectors(IkeSa sa, Ikev2Message m, Connection byId, Identity peer) {
    List<TsPayload> ts = m.all(TsPayload.class);
    List<TrafficSelector> tsi = ts.stream().filter(t -> !t.responder()).findFirst().map(TsPayload::selectors)
        .orElse(List.of());
    List<TrafficSelector> tsr = ts.stream().filter(TsPayload::responder).findFirst().map(TsPayload::selectors)
        .orElse(List.of());
    if (fits(byId, sa, Children.peerSide(sa, m, byId, tsi), tsr)) {
      return byId;
    }
    for (Connection c : e.connections()) {
      if (c != byId && c.localHost().equals(sa.local.getAddress()) && c.localId().matches(byId.localId())
          && c.remoteHost().equals(byId.remoteHost()) && c.acceptsPeerId(peer)
          && c.config().authby().equals(byId.config().authby())
          && fits(c, sa, Children.peerSide(sa, m, c, tsi), tsr)) {
        return c;
      }
    }
    return byId;
  }

  private boolean fits(Connection c, IkeSa sa, List<TrafficSelector> tsi, List<TrafficSelector> tsr) {
    return TrafficSelectors.sameSet(tsi, e.children.remoteTs(c, sa.remote.getAddress()))
        && TrafficSelectors.sameSet(tsr, e.children.localTs(c));
  }

  private void established(IkeSa sa, V2Transitions.Event event, Identity peer) {
    String cert = sa.peerCert == null ? "" : " cert='" + org.openswanj.pluto.pki.Dn.subject(sa.peerCert)
        + "' issuer='" + org.openswanj.pluto.pki.Dn.issuer(sa.peerCert) + "'";
    e.machine.enter(sa, event, "{auth=IKEv2 " + describe(sa.algs) + " peer=" + peer + cert + "}");
    sa.peerId = peer;
    e.halfOpen.remove(sa);
    sa.established = e.loop().now();
    sa.conn.setNewestIkeSa(sa.serial);
    if (sa.replaceTimer != null) {
      sa.replaceTimer.cancel();
    }
    e.informational.scheduleIkeLifetime(sa);
    e.informational.scheduleDpd(sa);
    e.watchNat(sa);
    e.initialContact.established(sa);
    if (e.settings().uniqueIds() && !sa.peerNullAuth) { // anonymous peers share ID_NULL: none replaces another
      replaceOlder(sa, peer);
    }
  }

  /** uniqueids=yes (Openswan's default): a new IKE SA with the same peer ID replaces the older ones. */
  private void replaceOlder(IkeSa sa, Identity peer) {
    for (IkeSa other : e.ikeSas()) {
      if (other != sa && other.conn == sa.conn && other.serial < sa.serial && other.state.established()
          && !other.rekeyed && peer.matches(other.peerId)) {
        SaLog.ike(other, Outcome.COMMENT, "deleting: replaced by #" + sa.serial + " (uniqueids=yes)");
        e.informational.deleteIke(other, true);
      }
    }
  }

  static String describe(IkeChoice a) {
    return "cipher=" + a.enc().configName() + "_" + a.keyBits() + " integ="
        + (a.integ() == null ? "n/a" : a.integ().configName()) + " prf=" + a.prf().configName()
        + " group=" + a.dh().configName();
  }

  static IdPayload idPayload(Identity id, boolean responder) {
    return new IdPayload(responder, IdType.fromWire(id.kind().ikeIdType()), id.bytes());
  }

  Identity identity(IdPayload p) {
    Optional<Identity.Kind> k = Identity.Kind.fromIkeIdType(p.idType().wireValue());
    if (k.isEmpty()) {
      return null;
    }
    try {
      return Identity.fromWire(k.get(), p.data());
    } catch (IdentityException ex) {
      return null;
    }
  }
}
