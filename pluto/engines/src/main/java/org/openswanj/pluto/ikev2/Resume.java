package org.openswanj.pluto.ikev2;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.conf.id.Identity;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.SecretKey;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;
import org.openswanj.pluto.conn.ProposalPolicy.IkeChoice;
import org.openswanj.pluto.crypto.IkeSaKeys;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.TrafficSelector;
import org.openswanj.pluto.ike.wire.TsType;
import org.openswanj.pluto.ikev2.V2Transitions.Event;
import org.openswanj.pluto.sa.SaInstaller;

/**
 * Continues an IKE SA and its Child SAs that another gateway negotiated (a cluster takeover, docs/HA.md): the
 * SA is rebuilt from what was replicated, its Child SAs are installed in our kernel with outbound sequence
 * numbers past the old node's, and the IKE message IDs are brought in step with the peer's: by RFC 6311's
 * synchronisation (§5.1) where the peer announced it, else by a liveness check (RFC 7296 §1.4, an empty
 * INFORMATIONAL) from the recorded message ID. The peer sees nothing change: same SPIs, keys and IDs.
 */
public final class Resume {
  /** What the engine needs of a replicated IKE SA. */
  public record Ike(String conn, long spiI, long spiR, boolean originalInitiator, InetSocketAddress local,
      InetSocketAddress remote, boolean natLocal, boolean natRemote, boolean fragmentsAnnounced,
      boolean peerFragments, IkeChoice algs, IkeSaKeys keys, String peerId, MidSync.Support peerSync,
      long nextRequestId, long expectedRequestId, List<Child> children) {
    @Override
    public String toString() {
      return "Resume.Ike[" + conn + String.format(" %016x-%016x]", spiI, spiR);
    }
  }

  /**
   * A replicated Child SA: SPIs, keys (integrity null for AEAD), selectors of what it sends; {@code inboundFloor}
   * the lowest sequence number its inbound SA accepts (0: any), set when the peer advances its counter past it on
   * request (RFC 6311 §5.2); {@code rekeyAtOnce} when the old node used (nearly) all of its sequence space.
   */
  public record Child(int inboundSpi, int outboundSpi, EspChoice algs, SecretKey encIn, SecretKey integIn,
      SecretKey encOut, SecretKey integOut, List<Selector> outboundSelectors, boolean transport,
      long firstOutboundSeq, long inboundFloor, boolean rekeyAtOnce) {

    @Override
    public String toString() {
      return String.format("Resume.Child[in=0x%08x out=0x%08x]", inboundSpi, outboundSpi);
    }
  }

  private final Ikev2Engine e;

  Resume(Ikev2Engine e) {
    this.e = e;
  }

  /** Rebuilds the IKE SA and installs its Child SAs; a line saying why when it cannot (no such conn, kernel). */
  String resume(Ike r) {
    e.loop().assertInLoop();
    Connection conn = null;
    for (Connection c : e.connections()) {
      if (c.name().equals(r.conn())) {
        conn = c;
      }
    }
    if (conn == null) {
      return "no conn \"" + r.conn() + "\" here (ipsec.conf must be the same on every node)";
    }
    for (IkeSa other : e.ikeSas()) {
      if (other.spiI == r.spiI() && other.spiR == r.spiR()) {
        return "IKE SA " + String.format("%016x-%016x", r.spiI(), r.spiR()) + " is already here";
      }
    }
    IkeSa sa = new IkeSa(e.nextSerial(), conn, r.originalInitiator());
    sa.spiI = r.spiI();
    sa.spiR = r.spiR();
    sa.local = r.local();
    sa.remote = r.remote();
    sa.natLocal = r.natLocal();
    sa.natRemote = r.natRemote();
    sa.fragmentsAnnounced = r.fragmentsAnnounced(); // RFC 7383 §2.3, as negotiated with the old node
    sa.peerFragments = r.peerFragments();
    sa.peerSync = r.peerSync() == null ? MidSync.Support.NONE : r.peerSync(); // RFC 6311 §6.1, as announced
    sa.algs = r.algs();
    SaInit.installKeys(sa, r.keys(), e.random());
    sa.window.resume(r.nextRequestId(), r.expectedRequestId());
    e.machine.enter(sa, r.originalInitiator() ? Event.TAKEN_OVER_AS_INITIATOR : Event.TAKEN_OVER_AS_RESPONDER,
        "{taken over from another cluster node; " + Auth.describe(sa.algs) + String.format(
        "; message IDs: next request %d, next expected %d}", r.nextRequestId(), r.expectedRequestId()));
    sa.established = e.loop().now();
    sa.lastInbound = sa.established;
    try {
      sa.peerId = r.peerId() == null ? null : Identity.parse(r.peerId());
    } catch (org.openswanj.conf.id.IdentityException ex) {
      sa.peerId = null;
    }
    e.sas.register(sa);
    conn.setNewestIkeSa(sa.serial);
    List<String> problems = new ArrayList<>();
    e.guard.run(sa, org.openswanj.pluto.engine.SaEvent.WHACK, () -> {
      for (Child c : r.children()) {
        String p = child(sa, c);
        if (p != null) {
          problems.add(p);
        }
      }
      e.informational.scheduleIkeLifetime(sa);
      e.informational.scheduleDpd(sa);
      e.watchNat(sa);
      e.replication().ikeChanged(sa);
      if (sa.peerSync != MidSync.Support.NONE) {
        // RFC 6311 §5.1: the peer takes the higher counters and tells us where both continue; §5.2: and, where it
        // announced that too, advances its outbound counters past the floors our inbound SAs start from
        long delta = 0;
        if (sa.peerSync == MidSync.Support.MESSAGE_ID_AND_REPLAY) {
          for (Child c : r.children()) {
            delta = Math.max(delta, c.inboundFloor());
          }
        }
        // 32 bits: the installer gives pluto's Child SAs 32-bit sequence numbers (no ESN)
        e.midSync.start(sa, r.nextRequestId(), r.expectedRequestId(), delta, false);
      } else {
        // RFC 7296 §1.4 liveness check from the recorded counter: the peer answers a request it already saw from
        // its cache (§2.1) and a new one afresh, so either way the window moves on in step with it
        e.messenger.request(sa, org.openswanj.pluto.ike.wire.ExchangeType.INFORMATIONAL, List.of(),
            "INFORMATIONAL (liveness after takeover)", m -> { });
      }
    });
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private String child(IkeSa sa, Child r) {
    ChildSa c = new ChildSa(e.nextSerial(), sa, r.inboundSpi());
    c.outboundSpi = r.outboundSpi();
    c.algs = r.algs();
    c.encIn = r.encIn();
    c.integIn = r.integIn();
    c.encOut = r.encOut();
    c.integOut = r.integOut();
    c.transport = r.transport();
    c.localTs = new ArrayList<>();
    c.remoteTs = new ArrayList<>();
    for (Selector s : r.outboundSelectors()) {
      TrafficSelector l = range(s.src(), s.srcPrefix(), s.protocol(), s.srcPort());
      TrafficSelector p = range(s.dst(), s.dstPrefix(), s.protocol(), s.dstPort());
      if (!c.localTs.contains(l)) {
        c.localTs.add(l);
      }
      if (!c.remoteTs.contains(p)) {
        c.remoteTs.add(p);
      }
    }
    c.reqid = e.installer().reqid(sa.conn);
    c.firstOutboundSeq = Math.max(1, r.firstOutboundSeq());
    long floor = sa.peerSync == MidSync.Support.MESSAGE_ID_AND_REPLAY ? r.inboundFloor() : 0;
    // the peer's counter was at most the floor before it jumps by the floor (TakeoverPlanner)
    c.inboundSeqBase = floor > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * floor;
    try {
      e.installer().install(new SaInstaller.Request(sa.conn, sa.local, sa.remote, sa.natDetected(), c.transport,
          r.outboundSelectors(), c.algs, c.inboundSpi, c.outboundSpi, c.encIn, c.integIn, c.encOut, c.integOut,
          c.reqid, c.firstOutboundSeq, null, floor));
    } catch (KernelException ex) {
      SaLog.child(c, Outcome.LOG_SERIOUS, "ERROR: the kernel refused the taken-over IPsec SA: " + ex.getMessage());
      return String.format("Child SA 0x%08x: %s", r.inboundSpi(), ex.getMessage());
    }
    e.machine.enter(c, Event.CHILD_TAKEN_OVER, String.format("{ESP=>0x%08x <0x%08x first outbound sequence number %d%s}",
        c.outboundSpi, c.inboundSpi, c.firstOutboundSeq, floor > 0 ? ", inbound from " + floor : ""));
    c.installed = true;
    c.established = e.loop().now();
    sa.children.add(c);
    e.sas.register(c);
    Connection conn = sa.conn;
    conn.setNewestIpsecSa(c.serial);
    conn.setErouteOwner(c.serial);
    conn.setRouting(Connection.Routing.EROUTED);
    e.informational.scheduleChildLifetime(c);
    if (r.rekeyAtOnce()) {
      // RFC 4303 §3.3.3: without ESN a counter never cycles, and what is left of it may not outlast the lifetime;
      // either end may rekey a Child SA (RFC 7296 §2.8), so this node does so now, behind the resync exchange
      SaLog.child(c, Outcome.COMMENT, "sequence numbers nearly used up by the old node: rekeying at once");
      c.replaceTimer.cancel();
      c.replaceTimer = e.guard.schedule(sa, Duration.ZERO, () -> e.createChild.rekeyChild(c));
    }
    e.replication().childInstalled(c);
    return null;
  }

  /** The address range of a prefix, with a single port or all (RFC 7296 §3.13.1). */
  private static TrafficSelector range(InetAddress net, int prefix, int proto, int port) {
    byte[] start = net.getAddress();
    byte[] end = start.clone();
    for (int bit = prefix; bit < end.length * 8; bit++) {
      end[bit / 8] |= (byte) (0x80 >> (bit % 8));
    }
    try {
      return new TrafficSelector(start.length == 4 ? TsType.TS_IPV4_ADDR_RANGE : TsType.TS_IPV6_ADDR_RANGE, proto,
          port == 0 ? 0 : port, port == 0 ? 65535 : port, InetAddress.getByAddress(start),
          InetAddress.getByAddress(end));
    } catch (java.net.UnknownHostException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
