package org.openswanj.pluto.ikev1;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.conf.Subnet;
import org.openswanj.conf.id.Identity;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;
import org.openswanj.pluto.crypto.Ikev1Phase1Keys;
import org.openswanj.pluto.crypto.SecretBytes;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.SaEvent;
import org.openswanj.pluto.ikev1.V1Transitions.Event;
import org.openswanj.pluto.sa.SaInstaller;

/**
 * Continues an ISAKMP SA and its IPsec SAs that another cluster node negotiated (docs/HA.md, "Takeover"): the SA
 * is rebuilt from what was replicated (cookies, suite, SKEYID_d/a/e and the phase 1 IV, from which every new Quick
 * Mode's and Informational's IV is hashed with its message ID, RFC 2409 App. B), its IPsec SAs are installed in our
 * kernel with outbound sequence numbers past the old node's, and a DPD R_U_THERE checks the peer is there (IKEv1
 * has no message IDs to bring in step and no RFC 6311). The peer sees nothing change: same cookies, SPIs, keys.
 */
public final class V1Resume {
  /** What the engine needs of a replicated ISAKMP SA; {@code algs.dh()} is the group later PFS Quick Modes use. */
  public record Isakmp(String conn, long cookieI, long cookieR, boolean initiator, InetSocketAddress local,
      InetSocketAddress remote, Nat nat, V1Algs algs, int authMethod, Keys keys, String peerId, int firstDpdSeq,
      Client client, List<Ipsec> ipsecSas) {
    @Override
    public String toString() {
      return "V1Resume.Isakmp[" + conn + String.format(" %016x-%016x]", cookieI, cookieR);
    }
  }

  /**
   * As an XAUTH/ModeConfig server: the user XAUTH accepted and the address ModeConfig gave (each null if none);
   * {@link #NONE} for an SA without them.
   */
  public record Client(String xauthUser, java.net.InetAddress address) {
    public static final Client NONE = new Client(null, null);
  }

  /** NAT-T as negotiated (RFC 3947): the flavour of the peer's vendor ID, who is behind a NAT, and DPD (RFC 3706). */
  public record Nat(boolean rfc, boolean draft, boolean local, boolean remote, boolean peerDpd) {}

  /** SKEYID_d, SKEYID_a, SKEYID_e, the cipher key and the last CBC block of phase 1. No bytes in toString. */
  public record Keys(SecretKey skeyidD, SecretKey skeyidA, SecretKey skeyidE, SecretKey encKey, SecretKey iv) {}

  /**
   * A replicated IPsec SA pair: SPIs, keys (integrity null for AEAD), the outbound selectors, the first number;
   * {@code rekeyAtOnce} when the old node used (nearly) all of its sequence space.
   */
  public record Ipsec(int inboundSpi, int outboundSpi, EspChoice algs, SecretKey encIn, SecretKey integIn,
      SecretKey encOut, SecretKey integOut, List<Selector> outboundSelectors, boolean transport,
      long firstOutboundSeq, boolean rekeyAtOnce) {
    @Override
    public String toString() {
      return String.format("V1Resume.Ipsec[in=0x%08x out=0x%08x]", inboundSpi, outboundSpi);
    }
  }

  private final Ikev1Engine e;

  V1Resume(Ikev1Engine e) {
    this.e = e;
  }

  String resume(Isakmp r) {
    e.loop().assertInLoop();
    Connection conn = e.connections().stream().filter(c -> c.name().equals(r.conn())).findFirst().orElse(null);
    if (conn == null) {
      return "no conn \"" + r.conn() + "\" here (ipsec.conf must be the same on every node)";
    }
    if (e.holds(r.cookieI(), r.cookieR())) {
      return String.format("ISAKMP SA %016x-%016x is already here", r.cookieI(), r.cookieR());
    }
    IsakmpSa sa = e.newResumed(conn, r.initiator(), r.cookieI(), r.cookieR());
    sa.local = r.local();
    sa.remote = r.remote();
    sa.nattRfc = r.nat().rfc();
    sa.nattDraft = r.nat().draft();
    sa.natLocal = r.nat().local();
    sa.natRemote = r.nat().remote();
    sa.peerDpd = r.nat().peerDpd();
    sa.algs = r.algs();
    sa.authMethod = V1AuthMethod.fromWire(r.authMethod()).orElse(V1AuthMethod.PRESHARED_KEY);
    Keys k = r.keys();
    sa.keys = new Ikev1Phase1Keys(SecretBytes.of(new byte[0]), bytes(k.skeyidD()), bytes(k.skeyidA()),
        bytes(k.skeyidE()), bytes(k.encKey()));
    sa.iv = k.iv().bytes(); // RFC 2409 App. B: phase 2 IVs are hashed from it with each message ID
    try {
      sa.peerId = r.peerId() == null ? null : Identity.parse(r.peerId());
    } catch (org.openswanj.conf.id.IdentityException ex) {
      sa.peerId = null;
    }
    sa.established = e.loop().now();
    e.machine.enter(sa, r.initiator() ? Event.TAKEN_OVER_AS_INITIATOR : Event.TAKEN_OVER_AS_RESPONDER,
        "{taken over from another cluster node; " + sa.algs.describe().replace("auth=OAKLEY_PRESHARED_KEY", "auth="
        + sa.authMethod.plutoName()) + "}");
    conn.setNewestIkeSa(sa.serial);
    if (r.client().xauthUser() != null || r.client().address() != null) {
      // XAUTH and ModeConfig were done with the old node: the user stays named, the client keeps its address
      CfgState c = new CfgState(e.newSender(sa), sa.state);
      c.step = CfgState.Step.DONE;
      c.user = r.client().xauthUser();
      c.address = r.client().address();
      sa.cfg = c;
      if (c.address != null) {
        e.leases.restore(conn, AddressLeases.client(c.user, conn), c.address);
      }
    }
    List<String> problems = new ArrayList<>();
    e.guard.run(sa, SaEvent.WHACK, () -> {
      e.info.scheduleIsakmpLifetime(sa);
      e.info.scheduleDpd(sa);
      e.watchNat(sa);
      e.replication().isakmpEstablished(sa);
      for (Ipsec i : r.ipsecSas()) {
        String p = ipsec(sa, i);
        if (p != null) {
          problems.add(p);
        }
      }
      e.info.probeAfterTakeover(sa, r.firstDpdSeq());
    });
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private String ipsec(IsakmpSa sa, Ipsec r) {
    Connection conn = sa.conn;
    // the record does not say which side ran the Quick Mode: as usual, the one that started phase 1 (it rekeys)
    QuickSa q = e.newQuick(sa, conn, sa.initiator, e.randomMessageId());
    q.inboundSpi = r.inboundSpi();
    q.outboundSpi = r.outboundSpi();
    q.algs = r.algs();
    q.encIn = r.encIn();
    q.integIn = r.integIn();
    q.encOut = r.encOut();
    q.integOut = r.integOut();
    q.transport = r.transport();
    q.selectors = List.copyOf(r.outboundSelectors());
    Selector s = q.selectors.get(0);
    Subnet ours = new Subnet(s.src(), s.srcPrefix());
    Subnet peers = new Subnet(s.dst(), s.dstPrefix());
    q.clientI = q.initiator ? ours : peers;
    q.clientR = q.initiator ? peers : ours;
    q.reqid = e.installer().reqid(conn);
    q.firstOutboundSeq = Math.max(1, r.firstOutboundSeq());
    try {
      // no RFC 6311 in IKEv1: the inbound window starts fresh (docs/HA.md)
      e.installer().install(new SaInstaller.Request(conn, sa.local, sa.remote, sa.natt() && sa.natDetected(),
          q.transport, q.selectors, q.algs, q.inboundSpi, q.outboundSpi, q.encIn, q.integIn, q.encOut, q.integOut,
          q.reqid, q.firstOutboundSeq, null, 0));
    } catch (KernelException ex) {
      V1Log.quick(q, Outcome.LOG_SERIOUS, "ERROR: the kernel refused the taken-over IPsec SA: " + ex.getMessage());
      e.forget(q);
      return String.format("IPsec SA 0x%08x: %s", r.inboundSpi(), ex.getMessage());
    }
    q.inboundInstalled = true;
    q.installed = true;
    q.established = e.loop().now();
    e.machine.enter(q, Event.IPSEC_TAKEN_OVER, String.format("{ESP=>0x%08x <0x%08x xfrm=%s first outbound sequence "
        + "number %d}", q.outboundSpi, q.inboundSpi, QuickKeys.xfrm(q.algs), q.firstOutboundSeq));
    conn.setNewestIpsecSa(q.serial);
    conn.setErouteOwner(q.serial);
    conn.setRouting(Connection.Routing.EROUTED);
    q.expireTimer = e.guard.schedule(sa, conn.config().saLifetime(), () -> e.info.deleteQuick(q, true));
    if (r.rekeyAtOnce()) {
      // RFC 4303 §3.3.3: a counter never cycles without ESN; either end may start a Quick Mode to replace the SA
      V1Log.quick(q, Outcome.COMMENT, "sequence numbers nearly used up by the old node: replacing at once");
      q.replaceTimer = e.guard.schedule(sa, Duration.ZERO, () -> e.quickMode.replace(q));
    } else if (q.initiator) {
      e.quickMode.scheduleReplace(q); // as QuickMode does for its initiator: the responder waits for the peer's rekey
    }
    e.replication().ipsecInstalled(q);
    return null;
  }

  private static SecretBytes bytes(SecretKey k) {
    return SecretBytes.of(k.bytes());
  }
}
