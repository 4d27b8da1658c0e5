package org.openswanj.pluto.ikev2;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.alg.DhGroup;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;
import org.openswanj.pluto.crypto.EspKeys;
import org.openswanj.pluto.crypto.Ikev2KeyDerivation;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.NoAdditionalSasException;
import org.openswanj.pluto.ike.wire.NoProposalChosenException;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.TsUnacceptableException;
import org.openswanj.pluto.ike.wire.SaPayload;
import org.openswanj.pluto.ike.wire.TrafficSelector;
import org.openswanj.pluto.ike.wire.TsPayload;
import org.openswanj.pluto.sa.SaInstaller;

/**
 * Child SAs: selectors, key material (RFC 7296 §2.17), installation in the kernel backend with make-before-
 * break replacement of the outbound policy, and removal. Openswan's "eroute owner" is tracked per conn.
 */
final class Children {
  private final Ikev2Engine e;

  Children(Ikev2Engine engine) {
    this.e = engine;
  }

  /** The kernel installer, shared with the IKEv1 engine so one conn has one reqid whichever version keys it. */
  private SaInstaller installer() {
    return e.installer();
  }

  int allocateSpi(IkeSa sa) throws KernelException {
    return installer().allocateSpi(sa.remote.getAddress(), sa.local.getAddress());
  }

  List<TrafficSelector> localTs(Connection c) {
    return c.localSubnets().stream().map(s -> TrafficSelectors.of(s, c.local().protoPort())).toList();
  }

  List<TrafficSelector> remoteTs(Connection c, InetAddress peer) {
    return c.remoteSubnets(peer).stream().map(s -> TrafficSelectors.of(s, c.remote().protoPort())).toList();
  }

  int reqid(Connection c) {
    return installer().reqid(c);
  }

  /**
   * Responder side of a Child SA negotiation (IKE_AUTH or CREATE_CHILD_SA): chooses the proposal, narrows
   * the selectors, installs, and returns the payloads of the answer; a refusal is thrown as its typed error.
   */
  List<Payload> respondChild(IkeSa sa, Ikev2Message m, byte[] gir, DhGroup keGroup, byte[] ni, byte[] nr,
      ChildSa replacing) throws IkeProtocolException {
    SaPayload offer = m.first(SaPayload.class).orElseThrow();
    List<TsPayload> ts = m.all(TsPayload.class);
    List<TrafficSelector> tsi = ts.stream().filter(t -> !t.responder()).findFirst().map(TsPayload::selectors).orElse(List.of());
    List<TrafficSelector> tsr = ts.stream().filter(TsPayload::responder).findFirst().map(TsPayload::selectors).orElse(List.of());
    // a rekey keeps its conn; a new Child SA may be another conn's with this IKE SA's peer and IDs (RFC 7296
    // §1.3.1; Openswan's find_client_connection, Libreswan's for IKE_AUTH too)
    List<Connection> candidates = replacing != null ? List.of(replacing.conn) : e.childConns(sa);
    Fit fit = null;
    for (Connection x : candidates) {
      fit = fit(sa, x, peerSide(sa, m, x, tsi), tsr);
      if (fit != null) {
        break;
      }
    }
    Optional<Proposals.Chosen<EspChoice>> chosen = Proposals.chooseEsp(offer,
        (fit == null ? candidates.get(0) : fit.conn()).proposals(), keGroup);
    if (chosen.isEmpty()) {
      throw new NoProposalChosenException("no acceptable ESP proposal from the peer");
    }
    if (fit == null) {
      throw new TsUnacceptableException("traffic selectors " + TrafficSelectors.describe(tsi) + " === "
          + TrafficSelectors.describe(tsr) + " do not match " + (candidates.size() == 1 ? "this conn"
          : "any of the " + candidates.size() + " conns with this peer and IDs"));
    }
    Connection c = fit.conn();
    if (c != sa.conn) {
      SaLog.ike(sa, Outcome.COMMENT, "the Child SA for " + TrafficSelectors.describe(tsi) + " === "
          + TrafficSelectors.describe(tsr) + " is conn \"" + c.name() + "\"'s");
    }
    List<TrafficSelector> nTsi = fit.tsi();
    List<TrafficSelector> nTsr = fit.tsr();
    int spi;
    try {
      spi = allocateSpi(sa);
    } catch (KernelException ex) {
      throw new NoAdditionalSasException("cannot allocate an SPI: " + ex.getMessage());
    }
    ChildSa child = new ChildSa(e.nextSerial(), sa, c, spi);
    child.outboundSpi = spiInt(chosen.get().peerSpi());
    child.algs = chosen.get().choice();
    child.localTs = nTsr;
    child.remoteTs = nTsi;
    child.transport = c.transportMode() && m.notify(NotifyType.USE_TRANSPORT_MODE).isPresent();
    if (!peerSide(sa, m, c, tsi).equals(tsi)) {
      child.remoteTsAsPeerNamesIt = tsi;
      SaLog.ike(sa, Outcome.COMMENT, "peer behind NAT in transport mode names itself " + TrafficSelectors.describe(
          tsi) + "; keyed at " + TrafficSelectors.describe(nTsi) + " (RFC 7296 section 2.23.1)");
    }
    child.ni = ni;
    child.nr = nr;
    child.replacedSerial = replacing == null ? 0 : replacing.serial;
    if (!establish(child, false, gir, ni, nr)) {
      throw new NoAdditionalSasException("the IPsec SA could not be installed");
    }
    List<Payload> out = new ArrayList<>();
    if (child.transport) {
      out.add(new NotifyPayload(NotifyType.USE_TRANSPORT_MODE, new byte[0]));
    }
    out.add(Proposals.espAnswer(chosen.get(), spiBytes(spi)));
    out.add(new TsPayload(false, child.remoteTsOnWire())); // §2.23.1: the peer's own selectors back to it
    out.add(new TsPayload(true, nTsr));
    return out;
  }

  /**
   * RFC 7296 §2.23.1: the request asks for transport mode and NAT-D showed the peer behind a NAT, so its
   * selectors name an address we cannot reach; they are taken at the IKE SA's peer address.
   */
  static boolean natTransport(IkeSa sa, Ikev2Message m, Connection c) {
    return sa.natRemote && c.transportMode() && m.notify(NotifyType.USE_TRANSPORT_MODE).isPresent();
  }

  /** The peer's selectors {@code tsi} as conn {@code c} takes them (§2.23.1 for a transport conn behind NAT). */
  static List<TrafficSelector> peerSide(IkeSa sa, Ikev2Message m, Connection c, List<TrafficSelector> tsi) {
    return natTransport(sa, m, c) ? TrafficSelectors.atObservedAddress(tsi, sa.remote.getAddress()) : tsi;
  }

  /** A conn the peer's selectors fit, and the selectors narrowed to it. */
  private record Fit(Connection conn, List<TrafficSelector> tsi, List<TrafficSelector> tsr) {}

  /** The selectors narrowed to {@code c}'s networks (RFC 7296 §2.9: TSi is the initiator's side, ours TSr); null if they do not fit. */
  private Fit fit(IkeSa sa, Connection c, List<TrafficSelector> tsi, List<TrafficSelector> tsr) {
    List<TrafficSelector> ourCfg = localTs(c);
    List<TrafficSelector> peerCfg = remoteTs(c, sa.remote.getAddress());
    List<TrafficSelector> nTsi = TrafficSelectors.narrow(tsi, peerCfg);
    List<TrafficSelector> nTsr = TrafficSelectors.narrow(tsr, ourCfg);
    boolean narrowed = !TrafficSelectors.sameSet(nTsi, peerCfg) || !TrafficSelectors.sameSet(nTsr, ourCfg);
    if (nTsi.isEmpty() || nTsr.isEmpty() || (narrowed && !c.config().narrowing() && !exactOrWider(tsi, tsr, peerCfg, ourCfg))) {
      return null;
    }
    return new Fit(c, nTsi, nTsr);
  }

  /** Without narrowing=yes the initiator must have asked for exactly our networks, or more (we then narrow). */
  private static boolean exactOrWider(List<TrafficSelector> tsi, List<TrafficSelector> tsr,
      List<TrafficSelector> peerCfg, List<TrafficSelector> ourCfg) {
    return TrafficSelectors.within(peerCfg, tsi) && TrafficSelectors.within(ourCfg, tsr);
  }

  /**
   * Derives the keys, installs both SAs and the policies; the Child SA takes its IKE SA's state and logs "IPsec SA
   * established". {@code weInitiated}: we initiated the exchange that made it (its KEYMAT order, RFC 7296 §2.17).
   */
  boolean establish(ChildSa child, boolean weInitiated, byte[] gir, byte[] ni, byte[] nr) {
    IkeSa sa = child.parent;
    EspChoice a = child.algs;
    int encLen = Ikev2KeyDerivation.encKeyLength(a.enc(), a.keyBits());
    int integLen = a.integ() == null ? 0 : a.integ().keySize();
    byte[] keymat = Ikev2KeyDerivation.childKeymat(sa.algs.prf(), sa.keys.skD().bytes(), gir, ni, nr,
        EspKeys.keymatLength(encLen, integLen));
    EspKeys k = EspKeys.split(keymat, encLen, integLen);
    java.util.Arrays.fill(keymat, (byte) 0);
    child.encOut = new SecretKey((weInitiated ? k.encI() : k.encR()).bytes());
    child.encIn = new SecretKey((weInitiated ? k.encR() : k.encI()).bytes());
    if (integLen > 0) {
      child.integOut = new SecretKey((weInitiated ? k.integI() : k.integR()).bytes());
      child.integIn = new SecretKey((weInitiated ? k.integR() : k.integI()).bytes());
    }
    k.wipe();
    child.reqid = reqid(child.conn);
    child.createdByUs = weInitiated;
    try {
      install(child);
    } catch (KernelException ex) {
      SaLog.child(child, Outcome.LOG_SERIOUS, "ERROR: the kernel refused the IPsec SA: " + ex.getMessage());
      child.wipeKeys();
      return false;
    }
    Connection c = child.conn;
    e.machine.enter(child, V2Transitions.Event.CHILD_ESTABLISHED, (child.transport ? "transport" : "tunnel")
        + " mode {ESP" + (sa.natDetected() ? "/NAT" : "") + String.format("=>0x%08x <0x%08x", child.outboundSpi,
        child.inboundSpi) + " xfrm=" + a.describe() + " NATOA=none NATD=" + (sa.natDetected()
        ? sa.remote.getAddress().getHostAddress() + ":" + sa.remote.getPort() : "none") + " DPD="
        + (c.config().dpdDelay().isZero() ? "none" : "active") + "}");
    child.installed = true;
    child.established = e.loop().now();
    sa.children.add(child);
    e.sas.register(child);
    e.replication().childInstalled(child);
    c.setNewestIpsecSa(child.serial);
    c.setErouteOwner(child.serial);
    c.setRouting(Connection.Routing.EROUTED);
    e.informational.scheduleChildLifetime(child);
    return true;
  }

  private void install(ChildSa child) throws KernelException {
    IkeSa sa = child.parent;
    SaInstaller.Request r = new SaInstaller.Request(child.conn, sa.local, sa.remote, sa.natDetected(), child.transport,
        selectors(child), child.algs, child.inboundSpi, child.outboundSpi, child.encIn, child.integIn, child.encOut,
        child.integOut, child.reqid);
    if (child.replacedSerial != 0 && !child.createdByUs) {
      // rekey responder: the peer cannot use the new SA before it has our answer, so we keep sending on the
      // old one until it is deleted (make-before-break; with netkey the kernel would pick the newest SA at once)
      installer().installInbound(r);
      child.deferredOutbound = r;
    } else {
      installer().install(r);
    }
  }

  /** The deferred outbound half of a rekeyed Child SA, once the SA it replaces goes away. */
  void completeOutbound(ChildSa child) {
    SaInstaller.Request r = child.deferredOutbound;
    child.deferredOutbound = null;
    try {
      installer().installOutbound(r);
    } catch (KernelException ex) {
      SaLog.child(child, Outcome.LOG_SERIOUS, "ERROR: the kernel refused the outbound SA: " + ex.getMessage());
    }
  }

  /** Kernel selectors for every (local, remote) pair of the child's selectors. */
  List<Selector> selectors(ChildSa child) throws KernelException {
    List<Selector> out = new ArrayList<>();
    for (TrafficSelector l : child.localTs) {
      for (TrafficSelector r : child.remoteTs) {
        out.add(TrafficSelectors.toKernel(l, r).orElseThrow(() ->
            new KernelException("traffic selector range " + TrafficSelectors.describe(List.of(l, r)) + " is not a prefix")));
      }
    }
    return out;
  }

  /** Removes the child's SAs; the policies go back to %trap if the conn is routed, else are removed. */
  void uninstall(ChildSa child, boolean keepPolicies) {
    IkeSa sa = child.parent;
    if (!child.installed) {
      return;
    }
    child.installed = false;
    Connection c = child.conn;
    boolean owner = c.erouteOwner() == child.serial;
    try {
      if (owner && !keepPolicies) {
        installer().restorePolicies(c, sa.remote.getAddress(), selectors(child), child.transport);
        c.setErouteOwner(0);
        c.setRouting(c.config().auto() == org.openswanj.conf.AutoAction.ROUTE ? Connection.Routing.PROSPECTIVE
            : Connection.Routing.UNROUTED);
      }
    } catch (KernelException ex) {
      SaLog.child(child, Outcome.LOG_SERIOUS, "cannot restore policies: " + ex.getMessage());
    }
    installer().deleteSas(sa.local.getAddress(), sa.remote.getAddress(), child.inboundSpi, child.outboundSpi);
    child.wipeKeys();
  }

  /** {@code ipsec auto --route}: install %trap eroutes for every (local, remote) subnet pair. */
  void route(Connection c) throws KernelException {
    installer().route(c);
  }

  void unroute(Connection c) throws KernelException {
    installer().unroute(c);
  }

  static byte[] spiBytes(int spi) {
    return ByteBuffer.allocate(4).putInt(spi).array();
  }

  static int spiInt(byte[] spi) {
    return spi.length == 4 ? ByteBuffer.wrap(spi).getInt() : 0;
  }

  static Duration fuzzedMargin(Connection c, java.util.Random r) {
    Duration m = c.config().rekeyMargin();
    long fuzz = m.toMillis() * c.config().rekeyFuzzPercent() / 100;
    return m.plusMillis(fuzz <= 0 ? 0 : (long) (r.nextDouble() * fuzz));
  }
}
