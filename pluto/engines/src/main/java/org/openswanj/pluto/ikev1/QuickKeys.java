package org.openswanj.pluto.ikev1;

import java.util.Arrays;
import java.util.List;
import org.openswanj.conf.Subnet;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.ProposalPolicy.EspChoice;
import org.openswanj.pluto.crypto.Ikev1KeyDerivation;
import org.openswanj.pluto.crypto.Ikev2KeyDerivation;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.sa.SaInstaller;

/**
 * Quick Mode keying material (RFC 2409 §5.5 KEYMAT, one per direction: the SPI is the receiver's) and the
 * installation of the IPsec SA pair through the shared {@link SaInstaller}.
 */
final class QuickKeys {
  /** RFC 2407 §4.4.1 PROTO_IPSEC_ESP, the "protocol" KEYMAT covers. */
  private static final int PROTO_ESP = 3;
  private final Ikev1Engine e;

  QuickKeys(Ikev1Engine engine) {
    this.e = engine;
  }

  /** Derives both directions' keys and installs the SAs and policies; false (logged) if the kernel refused. */
  boolean install(QuickSa q, byte[] gqm) {
    return installInbound(q, gqm) && installOutbound(q);
  }

  /**
   * Derives both directions' keys and installs the inbound half only: a Quick Mode responder does so at QR1 (the
   * initiator may send as soon as it has QR1), and the outbound SA waits for QI2 whose HASH(3) proves the
   * initiator holds the keys (RFC 2409 §5.5): a replayed QI1 must not move our traffic anywhere.
   */
  boolean installInbound(QuickSa q, byte[] gqm) {
    IsakmpSa sa = q.parent;
    EspChoice a = q.algs;
    int encLen = Ikev2KeyDerivation.encKeyLength(a.enc(), a.keyBits());
    int integLen = a.integ() == null ? 0 : a.integ().keySize();
    byte[] d = sa.keys.skeyidD().bytes();
    byte[] in = Ikev1KeyDerivation.quickModeKeymat(sa.algs.prf(), d, gqm, PROTO_ESP, q.inboundSpi, q.ni, q.nr,
        encLen + integLen);
    byte[] out = Ikev1KeyDerivation.quickModeKeymat(sa.algs.prf(), d, gqm, PROTO_ESP, q.outboundSpi, q.ni, q.nr,
        encLen + integLen);
    q.encIn = new SecretKey(Arrays.copyOf(in, encLen));
    q.encOut = new SecretKey(Arrays.copyOf(out, encLen));
    if (integLen > 0) {
      q.integIn = new SecretKey(Arrays.copyOfRange(in, encLen, encLen + integLen));
      q.integOut = new SecretKey(Arrays.copyOfRange(out, encLen, encLen + integLen));
    }
    Arrays.fill(in, (byte) 0);
    Arrays.fill(out, (byte) 0);
    if (gqm != null) {
      Arrays.fill(gqm, (byte) 0);
    }
    Connection c = q.conn;
    q.reqid = e.installer().reqid(c);
    q.selectors = selectors(q);
    try {
      e.installer().installInbound(request(q));
    } catch (KernelException ex) {
      V1Log.quick(q, Outcome.LOG_SERIOUS, "ERROR: the kernel refused the IPsec SA: " + ex.getMessage());
      q.wipeKeys();
      e.info.deleteQuick(q, false);
      return false;
    }
    q.inboundInstalled = true;
    return true;
  }

  /** The outbound half and the conn's routing state; the inbound SA goes again if the kernel refuses. */
  boolean installOutbound(QuickSa q) {
    Connection c = q.conn;
    try {
      e.installer().installOutbound(request(q), saPeer(q));
    } catch (KernelException ex) {
      V1Log.quick(q, Outcome.LOG_SERIOUS, "ERROR: the kernel refused the IPsec SA: " + ex.getMessage());
      q.wipeKeys();
      e.info.deleteQuick(q, false);
      return false;
    }
    q.installed = true;
    c.setNewestIpsecSa(q.serial);
    c.setErouteOwner(q.serial);
    c.setRouting(Connection.Routing.EROUTED);
    return true;
  }

  /** The ModeCfg client's address (when its Quick Mode used it) and the XAUTH user, for updown. */
  static org.openswanj.pluto.sa.UpdownHook.SaPeer saPeer(QuickSa q) {
    IsakmpSa sa = q.parent;
    Subnet peerClient = q.initiator ? q.clientR : q.clientI;
    java.util.Optional<Subnet> vip = sa.modecfgAddress().map(Connection::hostSubnet).filter(v -> v.equals(peerClient))
        .or(() -> java.util.Optional.ofNullable(q.unitySplit)); // a Unity split: updown routes to it
    Subnet ourClient = q.initiator ? q.clientI : q.clientR;
    java.util.Optional<java.net.InetAddress> ours = sa.ourModecfgAddress()
        .filter(a -> Connection.hostSubnet(a).equals(ourClient));
    CfgState cfg = sa.cfg;
    boolean cisco = Unity.client(sa.conn);
    return new org.openswanj.pluto.sa.UpdownHook.SaPeer(vip, sa.xauthUser(), ours, cisco,
        java.util.Optional.ofNullable(cfg == null || !cfg.client ? null : cfg.banner),
        java.util.Optional.ofNullable(cfg == null || !cfg.client ? null : cfg.domain));
  }

  private static SaInstaller.Request request(QuickSa q) {
    IsakmpSa sa = q.parent;
    return new SaInstaller.Request(q.conn, sa.local, sa.remote, sa.natt() && sa.natDetected(), q.transport,
        q.selectors, q.algs, q.inboundSpi, q.outboundSpi, q.encIn, q.integIn, q.encOut, q.integOut, q.reqid, 0,
        q.unityLocal.isEmpty() ? null : wire(q));
  }

  /** The pair the IDs named (a Cisco Unity client's 0.0.0.0/0 on our side), the SA's own selector. */
  private static Selector wire(QuickSa q) {
    Connection c = q.conn;
    Subnet l = q.initiator ? q.clientI : q.clientR;
    Subnet r = q.initiator ? q.clientR : q.clientI;
    return new Selector(l.network(), l.prefix(), r.network(), r.prefix(), c.local().protoPort().protocol(),
        c.local().protoPort().port(), c.remote().protoPort().port());
  }

  /** Our client is IDci when we initiated the Quick Mode, IDcr otherwise. */
  static List<Selector> selectors(QuickSa q) {
    Connection c = q.conn;
    if (!q.unityLocal.isEmpty()) { // a Unity client's 0.0.0.0/0: only what we told it to send us (as charon does)
      Subnet peer = q.peerClient();
      return q.unityLocal.stream().map(l -> new Selector(l.network(), l.prefix(), peer.network(), peer.prefix(),
          c.local().protoPort().protocol(), c.local().protoPort().port(), c.remote().protoPort().port())).toList();
    }
    IsakmpSa sa = q.parent;
    Subnet l = q.initiator ? q.clientI : q.clientR;
    Subnet r = q.initiator ? q.clientR : q.clientI;
    if (q.transport && sa.natt() && sa.natDetected()) {
      // RFC 3947 §5.2 / RFC 3948 §3.1.2: in transport mode the NAT rewrote the packet's only IP header, so the
      // traffic carries the addresses the IKE packets came from and went to; IDci/NAT-OA name the original ones
      l = Connection.hostSubnet(sa.local.getAddress());
      r = Connection.hostSubnet(sa.remote.getAddress());
    }
    return List.of(new Selector(l.network(), l.prefix(), r.network(), r.prefix(), c.local().protoPort().protocol(),
        c.local().protoPort().port(), c.remote().protoPort().port()));
  }

  /** How long a rekeyed IPsec SA outlives its replacement: the peer's QI2 round trip, with room for a loaded host. */
  static final java.time.Duration OLD_SA_GRACE = java.time.Duration.ofSeconds(5);

  /** Logs Openswan's line and arms the lifetime; a rekey's predecessor is deleted {@link #OLD_SA_GRACE} later. */
  void established(QuickSa q, V1Transitions.Event event) {
    IsakmpSa sa = q.parent;
    q.established = e.loop().now();
    boolean nat = sa.natt() && sa.natDetected();
    String detail = (q.transport ? "transport" : "tunnel") + " mode {ESP" + (nat ? "/NAT" : "")
        + String.format("=>0x%08x <0x%08x", q.outboundSpi, q.inboundSpi) + " xfrm=" + xfrm(q.algs)
        + " NATOA=" + (q.natOa == null ? "none" : q.natOa.getHostAddress())
        + " NATD=" + (nat ? sa.remote.getAddress().getHostAddress() + ":" + sa.remote.getPort() : "none")
        + " DPD=" + (sa.conn.config().dpdDelay().isZero() ? "none" : "active") + "}";
    e.machine.enter(q, event, detail); // STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {...}
    q.expireTimer = e.guard.schedule(sa, q.conn.config().saLifetime(), () -> e.info.deleteQuick(q, true));
    e.replication().ipsecInstalled(q);
    if (q.replaces != 0) {
      e.metrics().rekeyed(org.openswanj.pluto.engine.EngineMetrics.IkeVersion.IKEV1, org.openswanj.pluto.engine.EngineMetrics.Rekey.CHILD);
      QuickSa old = e.quickSa(q.replaces);
      if (old != null) {
        // the responder moves its outbound traffic to the new SA only when QI2 reaches it (RFC 2409 §5.5: QI2
        // proves the initiator has the keys), so what it sends until then still comes on the old SA: keep the
        // old inbound SA that long, as Openswan keeps it until it expires, then delete it (with a Delete)
        e.guard.schedule(sa, OLD_SA_GRACE, () -> {
          if (e.quickSa(old.serial) == old) {
            e.info.deleteQuick(old, true);
          }
        });
      }
    }
  }

  /** Openswan's form: {@code AES_128-HMAC_SHA1}, the IPsec DOI names without their prefixes. */
  static String xfrm(EspChoice a) {
    String integ = a.integ() == null ? "" : "-" + a.integ().names().ipsecShort();
    return a.enc().names().ipsecShort() + "_" + a.keyBits() + integ;
  }
}
