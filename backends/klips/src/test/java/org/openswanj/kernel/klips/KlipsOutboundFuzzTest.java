package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.*;
import static org.openswanj.kernel.klips.TunReadModel.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.jna.Pointer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.Encapsulation;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.Lifetime;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaBinding;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTemplate;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.SaUsage;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;
import org.openswanj.kernel.klips.esp.EspCodec;
import org.openswanj.kernel.klips.esp.EspException;
import org.openswanj.kernel.klips.esp.EspTransform;
import org.openswanj.kernel.klips.net.MemoryNet;
import org.openswanj.kernel.klips.net.MemoryTun;
import org.openswanj.kernel.klips.net.MessageBatch;
import org.openswanj.kernel.klips.net.PacketIo;
import org.openswanj.kernel.klips.net.PacketSocket;
import org.openswanj.kernel.klips.net.SockAddr;
import org.openswanj.kernel.klips.net.TunQueues;

/**
 * Fuzz target for klips' outbound stage as a whole (testing/fuzz/run-fuzz; the normal test run replays the seeds in
 * KlipsOutboundFuzzTestInputs/): one read from ipsec0 (virtio header, then an IP packet or a TCP super-packet) handed
 * to the code an outbound thread runs per read ({@code DataPath.TunReader}: TSO segmentation, partial checksums, the
 * RFC 4301 §5.1 eroute lookup, then ESP, %trap/%hold, %pass, %drop or %reject) between two reads of a packet for an
 * SA on another socket (as in an outbound thread's batch of reads, so the send queue changes socket twice), then a
 * flush, synchronously on this thread, on a KlipsBackend whose devices are the in-memory fakes and whose sockets the
 * harness's own (they record what leaves). The backend's own threads stay idle: one TUN queue that nothing is routed
 * into, no keepalives.
 *
 * <p>Eroutes ({@link #ROUTES}): tunnel IPv4 AES-GCM raw ESP; tunnel IPv4 CBC+HMAC with ESN in UDP, TCP to port 443
 * only, over the first; tunnel IPv6 AES-256-GCM over IPv6; transport IPv4; transport IPv6 in UDP, UDP 1701 only; an
 * SA 41 numbers from the end of its 32-bit sequence space; an IPSEC eroute whose SA is not installed; %trap
 * and %hold; %pass; %drop; %reject (IPv4 and IPv6, and a catch-all one each for multicast and other destinations);
 * IPv4 in an IPv6 tunnel for the packets around the read.
 *
 * <p>Input byte 0, bit 7 set: raw. The rest is the read (a forgery: any virtio header, anything after it); bit 6
 * writes the addresses of route {@code b0 & 15} into its IP header (the last input byte varying the host), bits 4-5
 * keep the virtio header (0), clear it (1), make it a TSO one for the packet's IP version keeping its gso_size (2) or
 * a partial checksum at the transport header's checksum field (3).
 *
 * <p>Bit 7 clear: generated. Byte 0 bits 0-3 pick the route whose addresses the packet carries, bits 4-5 the protocol
 * (TCP, UDP, ICMP or ICMPv6, SCTP), bit 6 a TSO super-packet. Byte 1: bits 0-1 what is perturbed in the virtio
 * header: nothing (0), gso_size is bytes 4-5 as they are (1), hdr_len/csum_start/csum_offset are off (2), the GSO
 * type has the ECN bit, the other IP version's or UDP's (3); bit 2 a partial checksum; bit 3 IPv4 options (IPv6:
 * traffic class and flow label); bits 4-5 an IPv4 fragment (first, middle, last); bit 6 CWR and ECE (TCP), an ICMP
 * error type (ICMP), no checksum (IPv4 UDP); bit 7 FIN and PSH (TCP). Bytes 2-3 the payload length, 4-5 the MSS,
 * byte 6 the host (flows), byte 7 ports and ICMP types; the rest fills the payload, repeated. A well-formed packet
 * fits the MTU of ipsec0 and a super-packet's MSS fits it too, unless perturbed.
 *
 * <p>Invariants: nothing throws. The harness models what Linux makes of the read ({@link TunReadModel}) and which
 * eroute each packet hits (most specific first, by {@link Selector#matches}). A read the model refuses is dropped and
 * counted as malformed, with nothing sent. Otherwise every packet has its eroute's effect and nothing else: each ESP
 * datagram has an outbound SA's SPI and outer addresses, a sequence number above that SA's last, decrypts with the
 * peer's copy of the keys to a valid IP packet (the right Next Header, RFC 4303 §2.6) whose eroute is its SA's, with
 * correct IPv4 header and TCP/UDP checksums (transport mode: for the header rebuilt from the SA), and is exactly the
 * model's packet; a super-packet's segments carry its payload in order, each at most the MSS, FIN/PSH on
 * the last only, CWR on the first only; transport mode carries no IPv4 fragment (RFC 4303 §3.1.1): an IPv4 fragment
 * for a transport-mode SA is held until its datagram is whole, then the datagram is sealed, as {@link FragmentModel}
 * (the same rules, across inputs; no datagram expires, the harness fixes the table's clock) says; %pass sends the
 * packet unchanged to its destination; %reject writes exactly one ICMP (RFC 792 type 3 code 13) or ICMPv6 (RFC 4443
 * type 1 code 1) unreachable to ipsec0, a valid packet back to the sender quoting the packet, except where RFC 1122
 * §3.2.2 and RFC 4443 §2.4(e) forbid one; %trap raises one ACQUIRE for a flow not yet acquired, %hold none; %drop,
 * %pass, an IPSEC eroute without SA and no eroute send no ESP; only the SA near its end expires. A read the model
 * makes packets larger than the data path's buffer of (which the kernel never writes) is dropped as malformed. Counters
 * never go backwards and move by exactly what happened; no hold queue holds more than {@link HoldQueue#CAPACITY}.
 */
class KlipsOutboundFuzzTest {
  private static final InetAddress WEST = ip("192.1.2.45");
  private static final InetAddress WEST6 = ip("2001:db8:1::45");
  private static final InetAddress EAST = ip("192.1.2.23");
  private static final InetAddress EAST6 = ip("2001:db8:2::23");
  private static final InetAddress NAT = ip("192.1.2.254");
  private static final int MTU = 1500 - KlipsBackend.OVERHEAD;
  private static final long OLD_FIRST = 0xffff_ffffL - 40;
  private static final Pattern SA_COUNTS = Pattern.compile("^out esp:0x([0-9a-f]{8})@\\S+ .*: (\\d+) bytes, (\\d+) packets");
  private static final Pattern HELD = Pattern.compile("^eroute .*\\((\\d+) held\\) \"(.*)\"$");

  /** An ESP datagram as it left: raw (ports 0) or in UDP. */
  private record Esp(InetAddress src, InetAddress dst, int srcPort, int dstPort, byte[] bytes) {}

  /** A packet a %pass socket sent in the clear. */
  private record Clear(InetAddress dst, byte[] packet) {}

  private static final ConcurrentLinkedQueue<Esp> ESP_OUT = new ConcurrentLinkedQueue<>();
  private static final ConcurrentLinkedQueue<Clear> CLEAR_OUT = new ConcurrentLinkedQueue<>();
  private static final ConcurrentLinkedQueue<KernelEvent> EVENTS = new ConcurrentLinkedQueue<>();
  private static final MemoryNet NET = new MemoryNet();
  private static final MemoryNet.Host HOST = NET.host(WEST, WEST6);
  private static final KlipsBackend BACKEND = open();
  private static final MemoryTun TUN = HOST.tun("ipsec0");

  /** An outbound SA, the peer's copy of its keys and the last sequence number seen. */
  private static final class Sa {
    final SaId id;
    final IpsecMode mode;
    final boolean esn;
    final EspTransform opener;
    /** ESP in UDP: our and the peer's address and port; null for raw ESP. */
    final InetSocketAddress udpLocal;
    final InetSocketAddress udpPeer;
    long lastSeq;
    boolean softExpired;
    boolean hardExpired;

    Sa(int spi, InetAddress src, InetAddress dst, IpsecMode mode, SaTransform t, UdpEncap udp, boolean esn,
        long first, Selector selector) {
      this.id = new SaId(src, dst, spi, IpsecProto.ESP);
      this.mode = mode;
      this.esn = esn;
      this.udpLocal = udp == null ? null : new InetSocketAddress(src, udp.srcPort());
      this.udpPeer = udp == null ? null : new InetSocketAddress(dst, udp.dstPort());
      this.lastSeq = first - 1;
      try {
        this.opener = EspTransform.create(t.cipher(), t.encKey().bytes(), t.integrity(),
            t.integKey() == null ? null : t.integKey().bytes());
        BACKEND.addSa(id, new SaSpec(Direction.OUTBOUND, t, new Encapsulation(mode, udp), new Replay(0, esn, first),
            new SaBinding("fuzz", 1, selector), Lifetime.NONE));
      } catch (GeneralSecurityException | KernelException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** An outbound eroute, its SA (IPSEC), and for %trap the flows acquired as the harness counts them. */
  private record Route(String name, Selector selector, PolicyAction action, Sa sa, Set<ByteBuffer> acquired) {
    PolicyId id() {
      return new PolicyId(selector, PolicyDirection.OUT);
    }
  }

  private static final Sa T4_SA = new Sa(0x2001, WEST, EAST, IpsecMode.TUNNEL, gcm(20, 0x11), null, false, 1,
      Selector.of(ip("10.1.0.0"), 24, ip("10.2.0.0"), 24));
  private static final Sa PORT_SA = new Sa(0x2002, WEST, NAT, IpsecMode.TUNNEL,
      new SaTransform(Encryption.AES_CBC, new SecretKey(key(16, 0x21)), Integrity.HMAC_SHA2_256_128,
          new SecretKey(key(32, 0x22))), new UdpEncap(4500, 40000), true, 1, port443());
  private static final Sa T6_SA = new Sa(0x2003, WEST6, EAST6, IpsecMode.TUNNEL, gcm(36, 0x31), null, false, 1,
      Selector.of(ip("fd01::"), 64, ip("fd02::"), 60));
  private static final Sa TR_SA = new Sa(0x2004, WEST, EAST, IpsecMode.TRANSPORT, gcm(20, 0x41), null, false, 1,
      Selector.of(WEST, 32, EAST, 32));
  private static final Sa TR6_SA = new Sa(0x2005, WEST6, EAST6, IpsecMode.TRANSPORT, gcm(20, 0x51),
      new UdpEncap(4500, 4500), false, 1, l2tp());
  private static final Sa OLD_SA = new Sa(0x2006, WEST, EAST, IpsecMode.TUNNEL, gcm(20, 0x61), null, false, OLD_FIRST,
      Selector.of(ip("10.8.0.0"), 16, ip("10.9.0.0"), 16));
  /** IPv4 in an IPv6 tunnel: what the harness sends before and after each read, through the raw IPv6 socket. */
  private static final Sa COMPANION_SA = new Sa(0x2007, WEST6, EAST6, IpsecMode.TUNNEL, gcm(20, 0x71), null, false, 1,
      Selector.of(ip("10.11.0.0"), 16, ip("10.12.0.0"), 16));
  private static final byte[] COMPANION = packet(new Ip(ip("10.11.0.1").getAddress(), ip("10.12.0.1").getAddress(),
      ICMP, 0, false, 0), icmp(8, 0, "companion".getBytes()), 7, false);

  /** Generated inputs pick one by index (byte 0 bits 0-3); the catch-all %reject ones by the host byte. */
  private static final Route[] ROUTES = {
    ipsec("t4", Selector.of(ip("10.1.0.0"), 24, ip("10.2.0.0"), 24), T4_SA),
    ipsec("port443", port443(), PORT_SA),
    ipsec("t6", Selector.of(ip("fd01::"), 64, ip("fd02::"), 60), T6_SA),
    ipsec("transport", Selector.of(WEST, 32, EAST, 32), TR_SA),
    ipsec("transport6-l2tp", l2tp(), TR6_SA),
    ipsec("old", Selector.of(ip("10.8.0.0"), 16, ip("10.9.0.0"), 16), OLD_SA),
    ipsec("no-sa", Selector.of(ip("10.1.0.0"), 16, ip("10.10.0.0"), 16), null),
    shunt("trap", "10.3.0.0", PolicyAction.TRAP),
    shunt("hold", "10.4.0.0", PolicyAction.HOLD),
    shunt("pass", "10.5.0.0", PolicyAction.PASS),
    shunt("drop", "10.6.0.0", PolicyAction.DROP),
    shunt("reject", "10.7.0.0", PolicyAction.REJECT),
    shunt("reject6", Selector.of(ip("fd01::"), 64, ip("fd07::"), 48), PolicyAction.REJECT),
    shunt("trap6", Selector.of(ip("fd01::"), 64, ip("fd03::"), 48), PolicyAction.TRAP),
    shunt("pass6", Selector.of(ip("fd01::"), 64, ip("fd05::"), 48), PolicyAction.PASS),
    shunt("reject-all", Selector.of(ip("10.1.2.0"), 24, ip("0.0.0.0"), 0), PolicyAction.REJECT),
    shunt("reject6-all", Selector.of(ip("fd01:0:0:2::"), 64, ip("::"), 0), PolicyAction.REJECT),
    ipsec("companion", Selector.of(ip("10.11.0.0"), 16, ip("10.12.0.0"), 16), COMPANION_SA),
  };
  private static final Sa[] SAS = {T4_SA, PORT_SA, T6_SA, TR_SA, TR6_SA, OLD_SA, COMPANION_SA};
  /** What RFC 4301 §5.1 searches: the most specific first (no two overlapping eroutes are equally specific). */
  private static final List<Route> ORDERED = Arrays.stream(ROUTES)
      .sorted((a, b) -> Integer.compare(b.selector.specificity(), a.selector.specificity())).toList();
  private static final DataPath.TunReader READER;

  static {
    BACKEND.setListener(EVENTS::add);
    BACKEND.attachUdpEncap((from, to, d) -> {
      byte[] b = new byte[d.remaining()];
      d.get(b);
      ESP_OUT.add(new Esp(from.getAddress(), to.getAddress(), from.getPort(), to.getPort(), b));
    });
    READER = BACKEND.tunReader("ipsec0");
    BACKEND.dataPath().reassembly.clock(() -> 0L); // no datagram expires: the model has no clock
  }

  /** The counters of the previous input, to see that none goes backwards. */
  private static Snapshot last;

  @AfterAll
  static void close() {
    BACKEND.close();
  }

  @FuzzTest
  void outbound(byte[] input) throws Exception {
    if (input.length < 1) {
      return;
    }
    byte[] read = (input[0] & 0x80) != 0 ? raw(input) : generated(input);
    if (read == null) {
      return;
    }
    Snapshot before = Snapshot.take();
    if (last != null) {
      before.notBelow(last, "since the previous input");
    }
    // the read between two others for another SA and socket, as in an outbound thread's batch of reads
    byte[] companion = Vnet.PLAIN.read(COMPANION);
    for (byte[] r : List.of(companion, read, companion)) {
      READER.buffer.put(0, r);
      READER.process(r.length);
    }
    READER.flush();
    Snapshot after = Snapshot.take();
    after.notBelow(before, "during this input");
    new Judgement(read, before, after).check();
    last = after;
  }

  // --- inputs ---

  /** A read as the fuzzer wrote it, optionally aimed at a route and given a virtio header that means something. */
  private static byte[] raw(byte[] input) {
    int b0 = input[0] & 0xff;
    byte[] read = Arrays.copyOfRange(input, 1, Math.min(input.length, 1 + DataPath.SUPER_PACKET));
    if (read.length < VNET_HDR + 20) {
      return read;
    }
    byte[] p = Arrays.copyOfRange(read, VNET_HDR, read.length);
    if ((b0 & 0x40) != 0 && valid(p)) {
      byte[][] a = addresses(b0 & 15, input[input.length - 1] & 0xff);
      if (a[0].length == addressLength(p)) {
        int at = version(p) == 4 ? 12 : 8;
        System.arraycopy(a[0], 0, read, VNET_HDR + at, a[0].length);
        System.arraycopy(a[1], 0, read, VNET_HDR + at + a[0].length, a[1].length);
      }
    }
    Vnet given = Vnet.of(read);
    Vnet v = switch ((b0 >> 4) & 3) {
      case 0 -> given;
      case 1 -> Vnet.PLAIN;
      case 2 -> new Vnet(F_NEEDS_CSUM, version(p) == 4 ? GSO_TCPV4 : GSO_TCPV6, given.hdrLen(), given.gsoSize(),
          given.csumStart(), given.csumOffset());
      default -> new Vnet(F_NEEDS_CSUM, GSO_NONE, 0, 0, headerLength(p), protocol(p) == TCP ? 16 : 6);
    };
    return v.read(Arrays.copyOfRange(read, VNET_HDR, read.length));
  }

  /** A well-formed packet (or super-packet) to one of the routes, in a read whose virtio header is right or perturbed. */
  private static byte[] generated(byte[] input) {
    if (input.length < 8) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(input);
    int b0 = input[0] & 0xff;
    int b1 = input[1] & 0xff;
    int length = in.getShort(2) & 0xffff;
    int mssField = in.getShort(4) & 0xffff;
    int h = input[6] & 0xff;
    int b7 = input[7] & 0xff;
    int route = b0 & 15;
    byte[][] a = addresses(route, h);
    boolean v4 = a[0].length == 4;
    int proto = switch ((b0 >> 4) & 3) {
      case 0 -> TCP;
      case 1 -> UDP;
      case 2 -> v4 ? ICMP : ICMPV6;
      default -> SCTP;
    };
    int perturb = b1 & 3;
    boolean tso = (b0 & 0x40) != 0;
    int fragment = v4 && !tso ? (b1 >> 4) & 3 : 0;
    int sport = route == 4 ? 1701 : 1024 + 3 * b7;
    int dport = route == 4 ? 1701 : route == 1 || (b7 & 1) != 0 ? 443 : 80 + b7;
    int l4Header = fragment >= 2 ? 0 : switch (proto) {
      case TCP -> (h & 1) != 0 ? 32 : 20;
      case UDP, ICMP, ICMPV6 -> 8;
      default -> 12;
    };
    int headers = (v4 ? ((b1 & 8) != 0 ? 24 : 20) : 40) + l4Header;
    int mss = perturb == 1 ? mssField : 48 + mssField % Math.max(1, MTU - headers - 48 + 1);
    int payload;
    if (perturb == 0 && !tso) {
      payload = length % (MTU - headers + 1);
    } else {
      payload = length % (65535 - headers + 1);
      if (mss > 0 && payload / mss > 2048) {
        payload = mss * 2048; // a bound on the work per input, not on what the product takes
      }
    }
    byte[] fill = HarnessLoops.fill(Arrays.copyOfRange(input, 8, input.length), payload);
    byte[] l4 = switch (fragment >= 2 ? -1 : proto) {
      case TCP -> tcp(sport, dport, 0xfffff000 + (h << 4), ACK | ((b1 & 0x40) != 0 ? CWR | ECE : 0)
          | ((b1 & 0x80) != 0 ? FIN | PSH : 0), (h & 1) != 0, fill);
      case UDP -> udp(sport, dport, fill);
      case ICMP, ICMPV6 -> icmp(icmpType(v4, (b1 & 0x40) != 0, b7), (b7 >> 5) & 1, fill);
      case SCTP -> sctp(sport, dport, fill);
      default -> fill;
    };
    int fragField = switch (fragment) {
      case 1 -> 0x2000;
      case 2 -> 0x2000 | 185;
      case 3 -> 370;
      default -> proto == TCP ? 0x4000 : 0;
    };
    Ip header = new Ip(a[0], a[1], proto, fragField, (b1 & 8) != 0, v4 ? 0 : b7);
    byte[] p = packet(header, l4, 0x1000 + h, v4 && proto == UDP && (b1 & 0x40) != 0);
    int gsoType = tso ? (v4 ? GSO_TCPV4 : GSO_TCPV6) : GSO_NONE;
    Vnet v;
    boolean partial = (b1 & 4) != 0 && (proto == TCP || proto == UDP) && fragment == 0
        && (proto != UDP || get16(p, headerLength(p) + 6) != 0);
    if (partial) {
      Vnet c = partialChecksum(p);
      v = new Vnet(c.flags(), gsoType, tso ? headers : 0, tso ? mss : 0, c.csumStart(), c.csumOffset());
    } else {
      v = new Vnet(tso ? F_NEEDS_CSUM : 0, gsoType, tso ? headers : 0, tso ? mss : 0, tso ? headerLength(p) : 0,
          tso ? 16 : 0);
    }
    return perturb(v, perturb, mssField, b7).read(p);
  }

  private static Vnet perturb(Vnet v, int how, int field, int b7) {
    return switch (how) {
      case 2 -> new Vnet(v.flags(), v.gsoType(), field, v.gsoSize(), v.csumStart() + (field & 7) - 4,
          v.csumOffset() + (b7 % 24) - 8);
      case 3 -> {
        int type = v.gsoType() == GSO_NONE ? GSO_TCPV4 : v.gsoType();
        if ((field & 2) != 0) {
          type = type == GSO_TCPV4 ? GSO_TCPV6 : GSO_TCPV4;
        }
        if ((field & 4) != 0) {
          type = GSO_UDP;
        }
        yield new Vnet(v.flags(), type | ((field & 1) != 0 ? GSO_ECN : 0), v.hdrLen(), Math.max(v.gsoSize(), 48),
            v.csumStart(), v.csumOffset());
      }
      default -> v;
    };
  }

  /** ICMP (RFC 792) or ICMPv6 (RFC 4443) types: errors, or informational ones, an unknown one and a redirect. */
  private static int icmpType(boolean v4, boolean error, int b7) {
    int[] types = v4 ? (error ? new int[] {3, 11, 12, 4, 5} : new int[] {8, 0, 13, 42})
        : (error ? new int[] {1, 2, 3, 4} : new int[] {128, 129, 200, 137});
    return types[b7 % types.length];
  }

  /** Source and destination of a packet aimed at {@link #ROUTES}[route]; {@code h} varies the hosts. */
  private static byte[][] addresses(int route, int h) {
    String[] sd = switch (route) {
      case 0 -> new String[] {"10.1.0." + h, "10.2.0." + h};
      case 1 -> new String[] {"10.1." + (h & 1) + "." + h, "10.2.0." + (128 | h)};
      case 2 -> new String[] {"fd01::" + Integer.toHexString(h), "fd02:0:0:" + Integer.toHexString(h & 15) + "::5"};
      case 3 -> new String[] {"192.1.2.45", "192.1.2.23"};
      case 4 -> new String[] {"2001:db8:1::45", "2001:db8:2::23"};
      case 5 -> new String[] {"10.8.0." + h, "10.9.0.1"};
      case 6 -> new String[] {"10.1.0." + h, "10.10.0.1"};
      case 7 -> new String[] {"10.1.0.5", "10.3." + (h >> 4) + "." + (h & 15)};
      case 8 -> new String[] {"10.1.0." + h, "10.4.0.1"};
      case 9 -> new String[] {"10.1.0." + h, "10.5.0.1"};
      case 10 -> new String[] {"10.1.0." + h, "10.6.0.1"};
      case 11 -> h < 128 ? new String[] {"10.1.0." + h, "10.7.0.1"} : new String[] {"10.1.2." + h,
          new String[] {"224.0.0.1", "239.255.1.2", "255.255.255.255", "192.0.2.77", "10.200.3.4"}[h % 5]};
      case 12 -> h < 128 ? new String[] {"fd01::" + Integer.toHexString(h), "fd07::1"} : new String[] {
          "fd01:0:0:2::" + Integer.toHexString(h), new String[] {"ff02::1", "ff0e::1:2", "2001:db8:99::1", "fd99::1"}[h % 4]};
      case 13 -> new String[] {"fd01::5", "fd03::" + Integer.toHexString(h)};
      case 14 -> new String[] {"fd01::" + Integer.toHexString(h), "fd05::1"};
      default -> h < 128 ? new String[] {"10.1.0." + h, "10.200.0.1"} : new String[] {"fd01::" + h, "fd99::1"};
    };
    return new byte[][] {ip(sd[0]).getAddress(), ip(sd[1]).getAddress()};
  }

  // --- judging one read ---

  /** The model's expectations for one read against what the product did. */
  private static final class Judgement {
    final byte[] read;
    final Snapshot before;
    final Snapshot after;
    final List<byte[]> packets;
    final List<Esp> esp = drainQueue(ESP_OUT);
    final List<Clear> clear = drainQueue(CLEAR_OUT);
    final List<KernelEvent> events = drainQueue(EVENTS);
    final List<byte[]> tun = drainTun();

    Judgement(byte[] read, Snapshot before, Snapshot after) {
      this.read = read;
      this.before = before;
      this.after = after;
      this.packets = TunReadModel.packets(read);
    }

    void check() throws Exception {
      Map<Sa, List<byte[]>> sent = openAll();
      long malformed = after.drop("malformed") - before.drop("malformed");
      // a packet longer than the data path's buffer (the kernel never writes one: ipsecN's MTU is no larger) is
      // dropped with its read
      boolean dropped = packets == null || packets.stream().anyMatch(p -> p.length > Element.MAX_PACKET);
      assertEquals(0, after.drop("send_error") - before.drop("send_error"), "no send errors");
      for (String inbound : List.of("unknown_spi", "replay", "integrity", "selector")) {
        assertEquals(before.drop(inbound), after.drop(inbound), () -> "counter " + inbound);
      }
      Expected x = new Expected();
      x.add(COMPANION, true);
      for (byte[] p : dropped ? List.<byte[]>of() : packets) {
        x.add(p, false);
      }
      x.add(COMPANION, true);
      assertEquals(dropped ? 1 : x.reassembly.malformed, malformed, dropped
          ? "a read Linux would not write is dropped and counted once"
          : "a read the model takes is not malformed (but for fragments RFC 791 §3.2 refuses)");
      x.compare(sent);
    }

    /** Every ESP datagram: its SA by SPI, outer addresses, sequence number, decrypted; per SA in order. */
    Map<Sa, List<byte[]>> openAll() throws Exception {
      Map<Sa, List<byte[]>> out = new HashMap<>();
      for (Esp e : esp) {
        assertTrue(e.bytes.length >= 8, () -> "an ESP datagram of " + e.bytes.length + " bytes");
        int spi = ByteBuffer.wrap(e.bytes).getInt(0);
        Sa sa = Arrays.stream(SAS).filter(s -> s.id.spi() == spi).findFirst().orElse(null);
        assertNotNull(sa, () -> "ESP with an SPI of no outbound SA: " + Integer.toHexString(spi));
        assertEquals(sa.id.src(), e.src, "ESP leaves from its SA's source");
        assertEquals(sa.id.dst(), e.dst, "ESP goes to its SA's peer");
        if (sa.udpLocal == null) {
          assertEquals(0, e.srcPort + e.dstPort, "raw ESP for an SA without UDP encapsulation");
        } else {
          assertEquals(sa.udpLocal.getPort(), e.srcPort, "ESP in UDP from the SA's port (RFC 3948 §2.1)");
          assertEquals(sa.udpPeer.getPort(), e.dstPort, "ESP in UDP to the SA's peer port");
        }
        long seq = ByteBuffer.wrap(e.bytes).getInt(4) & 0xffffffffL; // ESN: the high half stays 0 in this run
        long previous = sa.lastSeq;
        assertTrue(seq > previous, () -> "ESP sequence numbers of " + sa.id + " increase (RFC 4303 §3.3.3): " + seq
            + " after " + previous);
        sa.lastSeq = seq;
        assertFalse(sa.hardExpired, () -> "ESP after the hard expiry of " + sa.id);
        out.computeIfAbsent(sa, k -> new ArrayList<>()).add(open(sa, seq, e.bytes));
      }
      return out;
    }

    /**
     * The inner packet: tunnel mode the packet itself (Next Header 4 or 41, RFC 4303 §2.6), transport mode the
     * payload behind the IP header the receiver rebuilds from the SA (RFC 4303 §3.1.1).
     */
    byte[] open(Sa sa, long seq, byte[] wire) throws EspException {
      ByteBuffer clearBuf = ByteBuffer.allocate(wire.length);
      int nh = EspCodec.decode(sa.opener, seq, sa.esn, ByteBuffer.wrap(wire), clearBuf);
      byte[] inner = Arrays.copyOfRange(clearBuf.array(), clearBuf.position(), clearBuf.limit());
      if (sa.mode == IpsecMode.TRANSPORT) {
        return rebuilt(sa, nh, inner);
      }
      assertTrue(valid(inner), "ESP carries an invalid IP packet");
      assertEquals(version(inner) == 4 ? 4 : 41, nh, "Next Header names the inner IP version (RFC 4303 §2.6)");
      return inner;
    }

    /** The packets the model makes of the read, and where each is to go. */
    final class Expected {
      final Map<Sa, List<byte[]>> esp = new HashMap<>();
      /** Per SA, which of its packets are the harness's companions (not the read's). */
      final Map<Sa, Set<Integer>> companions = new HashMap<>();
      final List<byte[]> clear = new ArrayList<>();
      final List<byte[]> rejected = new ArrayList<>();
      final List<KernelEvent> acquires = new ArrayList<>();
      final Map<String, Integer> held = new HashMap<>();
      final List<byte[]> old = new ArrayList<>();
      long noEroute;
      long shunted;
      final FragmentModel.Outcome reassembly = new FragmentModel.Outcome();

      void add(byte[] p, boolean companion) {
        Route r = lookup(p);
        if (fragment(p) && forTransport(r, p)) {
          byte[] whole = FRAGMENTS.add(p, reassembly); // RFC 4303 §3.1.1: transport mode seals whole datagrams
          if (whole == null) {
            return;
          }
          p = whole;
          r = lookup(p);
        }
        if (r == null) {
          noEroute++;
          return;
        }
        switch (r.action) {
          case IPSEC -> {
            if (r.sa == null) {
              shunted++; // its SA is not installed
            } else if (r.sa == OLD_SA) {
              old.add(p);
            } else {
              List<byte[]> l = esp.computeIfAbsent(r.sa, k -> new ArrayList<>());
              if (companion) {
                companions.computeIfAbsent(r.sa, k -> new HashSet<>()).add(l.size());
              }
              l.add(p);
            }
          }
          case TRAP, HOLD -> {
            held.merge(r.name, 1, Integer::sum);
            if (r.action == PolicyAction.TRAP) {
              acquire(r, p);
            }
          }
          case PASS -> {
            clear.add(p);
            shunted++;
          }
          case DROP -> shunted++;
          case REJECT -> {
            rejected.add(p);
            shunted++;
          }
        }
      }

      /** HoldQueue's rule: one ACQUIRE per flow (addresses) until it is released, forgetting all past FLOWS. */
      void acquire(Route r, byte[] p) {
        if (r.acquired.size() >= HoldQueue.FLOWS) {
          r.acquired.clear();
        }
        byte[] flow = new byte[2 * addressLength(p)];
        System.arraycopy(src(p), 0, flow, 0, addressLength(p));
        System.arraycopy(dst(p), 0, flow, addressLength(p), addressLength(p));
        if (r.acquired.add(ByteBuffer.wrap(flow))) {
          int bits = 8 * addressLength(p);
          acquires.add(new KernelEvent.Acquire(new Selector(addr(src(p)), bits, addr(dst(p)), bits, protocol(p),
              port(p, false), port(p, true)), r.id(), 0));
        }
      }

      void compare(Map<Sa, List<byte[]>> sent) {
        sent.forEach((sa, got) -> got.forEach(p -> {
          Route r = lookup(p);
          assertTrue(r != null && r.sa == sa, () -> "ESP on " + sa.id + " carries a packet outside its eroute (RFC 4301 §5.1)");
        }));
        long oldShunted = compareOld(sent.getOrDefault(OLD_SA, List.of()));
        for (Sa sa : SAS) {
          if (sa == OLD_SA) {
            continue;
          }
          List<byte[]> want = esp.getOrDefault(sa, List.of());
          List<byte[]> got = sent.getOrDefault(sa, List.of());
          Set<Integer> skip = companions.getOrDefault(sa, Set.of());
          List<byte[]> fromRead = new ArrayList<>();
          for (int i = 0; i < got.size(); i++) {
            if (!skip.contains(i)) {
              fromRead.add(got.get(i));
            }
          }
          superPacket(fromRead);
          assertEquals(want.size(), got.size(), () -> "ESP datagrams of " + sa.id);
          for (byte[] p : got) {
            assertFalse(sa.mode == IpsecMode.TRANSPORT && fragment(p), "transport mode carries an IPv4 fragment"
                + " (RFC 4303 §3.1.1)");
          }
          for (int i = 0; i < want.size(); i++) {
            samePacket(sa, want.get(i), got.get(i));
          }
          long bytes = want.stream().mapToLong(p -> p.length).sum();
          assertEquals(want.size(), after.packets(sa) - before.packets(sa), () -> "packets counted on " + sa.id);
          assertEquals(bytes, after.bytes(sa) - before.bytes(sa), () -> "inner bytes counted on " + sa.id);
        }
        List<byte[]> passed = new ArrayList<>();
        for (Clear c : Judgement.this.clear) {
          passed.add(c.packet);
          assertArrayEquals(dst(c.packet), c.dst.getAddress(), "%pass sends a packet to its destination");
        }
        superPacket(passed);
        assertEquals(clear.size(), passed.size(), "%pass sends each of its packets");
        for (int i = 0; i < clear.size(); i++) {
          if (!fragment(clear.get(i)) && l4ChecksumOk(clear.get(i))) {
            assertTrue(l4ChecksumOk(passed.get(i)), "the TCP/UDP checksum of a packet %pass sends");
          }
          assertArrayEquals(clear.get(i), passed.get(i), "%pass sends the packet unchanged");
        }
        compareRejects();
        for (KernelEvent ev : events) {
          if (ev instanceof KernelEvent.Acquire a) {
            assertFalse(acquires.isEmpty(), () -> "an ACQUIRE for a flow already acquired, or not from %trap: " + a);
            assertEquals(acquires.remove(0), a, "the ACQUIRE names the packet's flow and the %trap eroute");
          }
        }
        assertEquals(List.of(), acquires, "a new flow into %trap raises an ACQUIRE");
        for (Route r : ROUTES) {
          if (r.action == PolicyAction.TRAP || r.action == PolicyAction.HOLD) {
            int want = Math.min(HoldQueue.CAPACITY, before.held.get(r.name) + held.getOrDefault(r.name, 0));
            assertEquals(want, after.held.get(r.name), () -> "packets held by " + r.name + " (at most "
                + HoldQueue.CAPACITY + ")");
          }
        }
        assertEquals(noEroute, after.drop("no_eroute") - before.drop("no_eroute"), "packets without eroute");
        assertEquals(shunted + oldShunted, after.drop("shunted") - before.drop("shunted"), "packets shunted");
        for (String[] c : new String[][] {{"fragment_expired", "0"}, {"fragment_overlap", "" + reassembly.overlap},
            {"fragment_too_large", "" + reassembly.tooLarge}, {"fragment_table_full", "" + reassembly.tableFull}}) {
          assertEquals(Long.parseLong(c[1]), after.drop(c[0]) - before.drop(c[0]), () -> "transport-mode fragments: " + c[0]);
        }
        assertEquals(reassembly.reassembled, after.reassembled() - before.reassembled(), "datagrams reassembled");
        assertEquals(FRAGMENTS.size(), BACKEND.dataPath().reassembly.size(), "datagrams in reassembly");
      }

      /** The SA at the end of its numbers: ESP for the first packets, then a hard expiry and nothing more. */
      long compareOld(List<byte[]> got) {
        assertTrue(got.size() <= old.size(), () -> "more ESP on " + OLD_SA.id + " than packets for it");
        for (int i = 0; i < got.size(); i++) {
          samePacket(OLD_SA, old.get(i), got.get(i));
        }
        for (KernelEvent ev : events) {
          if (ev instanceof KernelEvent.Expire x) {
            assertEquals(OLD_SA.id, x.sa(), "only the SA near the end of its sequence numbers expires");
            assertFalse(x.hard() ? OLD_SA.hardExpired : OLD_SA.softExpired, () -> "an expiry raised twice: " + x);
            if (x.hard()) {
              OLD_SA.hardExpired = true;
            } else {
              OLD_SA.softExpired = true;
            }
          } else {
            assertInstanceOf(KernelEvent.Acquire.class, ev, "no other news");
          }
        }
        if (got.size() < old.size()) {
          assertTrue(OLD_SA.hardExpired && OLD_SA.lastSeq == 0xffff_ffffL,
              "an SA stops sending only at the end of its sequence numbers, with a hard expiry (RFC 4303 §3.3.3)");
        }
        if (!got.isEmpty()) {
          assertTrue(OLD_SA.softExpired, "a soft expiry comes before the sequence numbers run out");
        }
        return old.size() - got.size();
      }

      /** Exactly one unreachable per rejected packet, where RFC 1122 §3.2.2 and RFC 4443 §2.4(e) allow one. */
      void compareRejects() {
        int next = 0;
        for (byte[] p : rejected) {
          Boolean answer = answerable(p);
          if (next < tun.size() && answer != Boolean.FALSE && quotes(tun.get(next), p)) {
            unreachable(tun.get(next++), p);
          } else {
            assertNotEquals(Boolean.TRUE, answer, "a %reject answers with an ICMP unreachable");
          }
        }
        assertEquals(tun.size(), next, "what reaches ipsec0 is an ICMP unreachable for a rejected packet");
      }
    }

    /** What to compare a sent packet with, checksums first, then byte for byte. */
    void samePacket(Sa sa, byte[] want, byte[] got) {
      if (ipv4ChecksumOk(want)) { // a forgery's wrong one goes as it came: the kernel checked what it routes
        assertTrue(ipv4ChecksumOk(got), "the IPv4 header checksum of a packet ESP carries");
      }
      if (!fragment(want) && l4ChecksumOk(want)) {
        assertTrue(l4ChecksumOk(got), "the TCP/UDP checksum of a packet ESP carries (RFC 9293 §3.1, RFC 768)");
      }
      if (sa.mode == IpsecMode.TRANSPORT) {
        int hl = headerLength(want);
        assertArrayEquals(Arrays.copyOfRange(want, hl, want.length), Arrays.copyOfRange(got, headerLength(got),
            got.length), "transport mode carries the packet's payload");
      } else {
        assertArrayEquals(want, got, "ESP carries the packet the model makes of the read");
      }
    }

    /** A generated super-packet's segments: payload in order, none above the MSS, FIN/PSH last, CWR first. */
    void superPacket(List<byte[]> got) {
      if (got.isEmpty()) {
        return;
      }
      byte[] p = Arrays.copyOfRange(read, VNET_HDR, read.length);
      Vnet v = Vnet.of(read);
      if ((v.gsoType() & ~GSO_ECN) == GSO_NONE || !valid(p) || protocol(p) != TCP) {
        return;
      }
      int tcp = headerLength(p);
      int headers = tcp + ((p[tcp + 12] & 0xf0) >> 2);
      ByteBuffer payload = ByteBuffer.allocate(read.length);
      int flags = p[tcp + 13] & 0xff;
      for (int i = 0; i < got.size(); i++) {
        byte[] s = got.get(i);
        int sh = headerLength(s) + ((s[headerLength(s) + 12] & 0xf0) >> 2);
        assertTrue(s.length - sh <= v.gsoSize(), "a segment longer than the MSS");
        int f = s[headerLength(s) + 13] & 0xff;
        boolean lastOne = i == got.size() - 1;
        assertEquals(lastOne ? flags & (FIN | PSH) : 0, f & (FIN | PSH), "FIN and PSH on the last segment only");
        assertEquals(i == 0 ? flags & CWR : 0, f & CWR, "CWR on the first segment only (RFC 3168 §6.1.2)");
        assertEquals(ByteBuffer.wrap(p).getInt(tcp + 4) + payload.position(), ByteBuffer.wrap(s).getInt(headerLength(s) + 4),
            "a segment's sequence number is the super-packet's plus the payload before it (RFC 9293 §3.4)");
        payload.put(s, sh, s.length - sh);
      }
      assertArrayEquals(Arrays.copyOfRange(p, headers, p.length), Arrays.copyOf(payload.array(), payload.position()),
          "the segments carry the super-packet's payload, in order");
    }
  }

  /** Transport mode: the header the receiver rebuilds from the SA's addresses, then the payload. */
  private static byte[] rebuilt(Sa sa, int nh, byte[] payload) {
    byte[] s = sa.id.src().getAddress();
    byte[] d = sa.id.dst().getAddress();
    int hl = s.length == 4 ? 20 : 40;
    ByteBuffer b = ByteBuffer.allocate(hl + payload.length);
    if (hl == 20) {
      b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putInt(0).put((byte) 64).put((byte) nh)
          .putShort((short) 0).put(s).put(d);
    } else {
      b.putInt(0x60000000).putShort((short) payload.length).put((byte) nh).put((byte) 64).put(s).put(d);
    }
    byte[] p = b.put(payload).array();
    if (hl == 20) {
      setIpv4Checksum(p);
    }
    return p;
  }

  /** The IPv4 fragments the product holds for transport mode, as the model has them (across inputs). */
  private static final FragmentModel FRAGMENTS = new FragmentModel(Element.MAX_PACKET);

  /**
   * Whether an IPv4 fragment is reassembled before ESP: its eroute's SA is in transport mode, or (a later fragment,
   * without ports) an eroute to a transport-mode SA covers its addresses and protocol whatever the ports.
   */
  private static boolean forTransport(Route r, byte[] p) {
    if (transport(r)) {
      return true;
    }
    if (!laterFragment(p)) {
      return false;
    }
    for (Route o : ORDERED) {
      Selector s = o.selector;
      if (transport(o) && addressLength(p) == s.src().getAddress().length
          && s.matches(addr(src(p)), addr(dst(p)), protocol(p), s.srcPort(), s.dstPort())) {
        return true;
      }
    }
    return false;
  }

  private static boolean transport(Route r) {
    return r != null && r.action == PolicyAction.IPSEC && r.sa != null && r.sa.mode == IpsecMode.TRANSPORT;
  }

  /** The eroute RFC 4301 §5.1 finds for a packet: the first (most specific) whose selector covers it. */
  private static Route lookup(byte[] p) {
    if (!valid(p)) {
      return null;
    }
    for (Route r : ORDERED) {
      if (addressLength(p) == r.selector.src().getAddress().length
          && r.selector.matches(addr(src(p)), addr(dst(p)), protocol(p), port(p, false), port(p, true))) {
        return r;
      }
    }
    return null;
  }

  /**
   * Whether a %reject may answer {@code p}: never for an ICMP error, a later fragment, a multicast or broadcast
   * destination or a source that is no single host (RFC 1122 §3.2.2; RFC 4443 §2.4(e), which adds a redirect);
   * always for other packets and ICMP queries; either (null) for other ICMP types or a message too short to tell.
   */
  private static Boolean answerable(byte[] p) {
    byte[] s = src(p);
    byte[] d = dst(p);
    int hl = headerLength(p);
    boolean icmp = protocol(p) == (version(p) == 4 ? ICMP : ICMPV6);
    int type = icmp && hl < p.length && !laterFragment(p) ? p[hl] & 0xff : -1;
    if (version(p) == 4) {
      int s0 = s[0] & 0xff;
      if (laterFragment(p) || (d[0] & 0xf0) == 0xe0 || Arrays.equals(d, new byte[] {-1, -1, -1, -1})
          || s0 == 0 || s0 == 127 || s0 >= 224) {
        return false;
      }
      if (!icmp) {
        return true;
      }
      if (type == 0 || type == 8 || type >= 13 && type <= 18) {
        return true; // echo, timestamp, information and address mask messages
      }
      return Set.of(3, 4, 5, 11, 12).contains(type) ? Boolean.FALSE : null;
    }
    if ((d[0] & 0xff) == 0xff || (s[0] & 0xff) == 0xff || Arrays.equals(s, new byte[16])) {
      return false;
    }
    if (!icmp) {
      return true;
    }
    if (type < 0) {
      return null;
    }
    return type < 128 || type == 137 ? Boolean.FALSE : type == 128 || type == 129 ? Boolean.TRUE : null;
  }

  /** True if {@code reply} is an ICMP message back to {@code p}'s sender quoting the start of {@code p}. */
  private static boolean quotes(byte[] reply, byte[] p) {
    int at = version(reply) == 4 ? 28 : 48;
    return valid(reply) && reply.length > at && Arrays.equals(dst(reply), src(p))
        && reply[at] == p[0] && reply.length - at <= p.length
        && Arrays.equals(reply, at, reply.length, p, 0, reply.length - at);
  }

  /** RFC 792 type 3 code 13 or RFC 4443 type 1 code 1, back to the sender, quoting as much as each RFC says. */
  private static void unreachable(byte[] r, byte[] p) {
    assertEquals(version(p), version(r), "the unreachable is of the packet's IP version");
    assertArrayEquals(dst(p), src(r), "the unreachable comes from the packet's destination");
    assertArrayEquals(src(p), dst(r), "the unreachable goes to the packet's source");
    if (version(r) == 4) {
      assertEquals(0x45, r[0] & 0xff, "an IPv4 header without options");
      assertEquals(r.length, get16(r, 2), "IPv4 total length");
      assertTrue(ipv4ChecksumOk(r), "IPv4 header checksum of the unreachable");
      assertEquals(ICMP, protocol(r), "ICMP");
      assertEquals(3, r[20], "destination unreachable (RFC 792)");
      assertEquals(13, r[21], "communication administratively prohibited (RFC 1812 §5.2.7.1)");
      assertEquals(Math.min(p.length, headerLength(p) + 8), r.length - 28, "quotes the header and 8 bytes (RFC 792)");
    } else {
      assertEquals(r.length - 40, get16(r, 4), "IPv6 payload length");
      assertEquals(ICMPV6, protocol(r), "ICMPv6, no extension header");
      assertEquals(1, r[40], "destination unreachable (RFC 4443 §3.1)");
      assertEquals(1, r[41], "communication administratively prohibited");
      assertEquals(Math.min(p.length, 1280 - 48), r.length - 48, "quotes as much as fits 1280 bytes (RFC 4443 §2.4(c))");
    }
    assertTrue(l4ChecksumOk(r), "the unreachable's checksum (RFC 792; RFC 4443 §2.3)");
  }

  private static <T> List<T> drainQueue(ConcurrentLinkedQueue<T> q) {
    List<T> out = new ArrayList<>();
    for (T t = q.poll(); t != null; t = q.poll()) {
      out.add(t);
    }
    return out;
  }

  private static List<byte[]> drainTun() {
    List<byte[]> got = new ArrayList<>();
    try {
      for (byte[] p = TUN.delivered(Duration.ZERO); p != null; p = TUN.delivered(Duration.ZERO)) {
        got.add(p);
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertEquals(0, TUN.dropped(), "the TUN device's queue overflowed");
    return got;
  }

  /**
   * Every counter the backend shows: the data path's drops, each outbound SA's, each hold queue's. Read through
   * {@code querySa} and the hold queues (parsing {@code describe()} on every input took most of the target's time);
   * every {@link #DESCRIBE_EVERY}th snapshot is checked against what {@code describe()} shows.
   */
  private record Snapshot(Map<String, Long> drops, Map<Integer, long[]> sas, Map<String, Integer> held,
      long reassembled) {
    static final int DESCRIBE_EVERY = 512;
    static int taken;

    static Snapshot take() throws KernelException {
      Map<Integer, long[]> sas = new HashMap<>();
      for (Sa sa : SAS) {
        SaUsage u = BACKEND.querySa(sa.id);
        sas.put(sa.id.spi(), new long[] {u.bytes(), u.packets()});
      }
      Map<String, Integer> held = new HashMap<>();
      for (Route r : ROUTES) {
        int n = BACKEND.held(r.id());
        assertTrue(n <= HoldQueue.CAPACITY, () -> "a hold queue holds " + n);
        held.put(r.name, n);
      }
      Snapshot s = new Snapshot(BACKEND.dataPathDrops(), sas, held, BACKEND.reassembled());
      if (taken++ % DESCRIBE_EVERY == 0) {
        s.shownByDescribe();
      }
      return s;
    }

    /** describe() (what {@code ipsec look} prints) shows every outbound SA and eroute with these counters. */
    void shownByDescribe() {
      Map<Integer, long[]> shownSas = new HashMap<>();
      Map<String, Integer> shownHeld = new HashMap<>();
      List<String> lines = BACKEND.describe();
      for (String line : lines) {
        Matcher m = SA_COUNTS.matcher(line);
        if (m.find()) {
          shownSas.put((int) Long.parseLong(m.group(1), 16), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
        }
        Matcher h = HELD.matcher(line);
        if (h.find()) {
          shownHeld.put(h.group(2), Integer.parseInt(h.group(1)));
        }
      }
      assertEquals(sas.keySet(), shownSas.keySet(), () -> "describe() shows every outbound SA: " + lines);
      sas.forEach((spi, v) -> assertArrayEquals(v, shownSas.get(spi), () -> "describe()'s counters of SA " + spi));
      assertEquals(held, shownHeld, () -> "describe() shows every eroute with what it holds: " + lines);
    }

    long drop(String name) {
      return drops.get(name);
    }

    long bytes(Sa sa) {
      return sas.get(sa.id.spi())[0];
    }

    long packets(Sa sa) {
      return sas.get(sa.id.spi())[1];
    }

    void notBelow(Snapshot earlier, String when) {
      earlier.drops.forEach((k, v) -> assertTrue(drops.get(k) >= v, () -> "drop counter " + k + " went backwards " + when));
      earlier.sas.forEach((spi, v) -> assertTrue(sas.get(spi)[0] >= v[0] && sas.get(spi)[1] >= v[1],
          "an SA counter went backwards " + when));
    }
  }

  // --- set-up ---

  private static KlipsBackend open() {
    try {
      // one TUN queue that nothing is routed into, no NAT-T keepalives: the backend's own threads stay idle
      return KlipsBackend.open(new KlipsConfig(List.of(new KlipsConfig.Binding("ipsec0", "eth0")), 0, 1,
          Duration.ZERO), new Io());
    } catch (KernelException e) {
      throw new AssertionError(e);
    }
  }

  private static Route ipsec(String name, Selector s, Sa sa) {
    int spi = sa == null ? 0x2099 : sa.id.spi();
    InetAddress src = sa == null ? WEST : sa.id.src();
    InetAddress dst = sa == null ? EAST : sa.id.dst();
    IpsecMode mode = sa == null ? IpsecMode.TUNNEL : sa.mode;
    return policy(new Route(name, s, PolicyAction.IPSEC, sa, null),
        new PolicySpec(PolicyAction.IPSEC, SaTemplate.esp(mode, src, dst, spi), 0, 0, name));
  }

  private static Route shunt(String name, String dst, PolicyAction a) {
    return shunt(name, Selector.of(ip("10.1.0.0"), 16, ip(dst), 16), a);
  }

  private static Route shunt(String name, Selector s, PolicyAction a) {
    return policy(new Route(name, s, a, null, new HashSet<>()), PolicySpec.shunt(a, name));
  }

  private static Route policy(Route r, PolicySpec spec) {
    try {
      BACKEND.addPolicy(r.id(), spec);
    } catch (KernelException e) {
      throw new AssertionError(e);
    }
    return r;
  }

  private static Selector port443() {
    return new Selector(ip("10.1.0.0"), 23, ip("10.2.0.128"), 25, TCP, 0, 443);
  }

  private static Selector l2tp() {
    return new Selector(WEST6, 128, EAST6, 128, UDP, 1701, 1701);
  }

  private static SaTransform gcm(int keyLength, int seed) {
    return SaTransform.aead(Encryption.AES_GCM_16, new SecretKey(key(keyLength, seed)));
  }

  private static byte[] key(int n, int seed) {
    byte[] k = new byte[n];
    for (int i = 0; i < n; i++) {
      k[i] = (byte) (seed + i);
    }
    return k;
  }

  private static InetAddress addr(byte[] a) {
    try {
      return InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** The in-memory host's devices and receivers, with sockets that record what is sent instead of sending it. */
  private static final class Io implements PacketIo {
    @Override
    public TunQueues openTun(String name, int mtu, int queues) {
      return HOST.openTun(name, mtu, queues);
    }

    @Override
    public int mtu(String name) {
      return HOST.mtu(name);
    }

    @Override
    public PacketSocket openReceiver(boolean ipv6, int protocol) throws java.io.IOException {
      return HOST.openReceiver(ipv6, protocol);
    }

    @Override
    public PacketSocket openSender(InetAddress local, int protocol, String device) {
      return new Recorder(local);
    }

    @Override
    public PacketSocket openPass(boolean ipv6, String device) {
      return new Recorder(null);
    }
  }

  /** A raw ESP socket bound to {@code local}, or (null) a %pass one: records each datagram it is given. */
  private record Recorder(InetAddress local) implements PacketSocket {
    @Override
    public boolean ipv6() {
      return local != null && local.getAddress().length == 16;
    }

    @Override
    public void send(long address, int offset, int length, SockAddr to) {
      byte[] b = new Pointer(address + offset).getByteArray(0, length);
      if (local == null) {
        CLEAR_OUT.add(new Clear(to.address(), b));
      } else {
        ESP_OUT.add(new Esp(local, to.address(), 0, 0, b));
      }
    }

    @Override
    public int receiveBatch(MessageBatch batch, int count, int timeoutMillis) {
      return 0;
    }

    @Override
    public int sendBatch(MessageBatch batch, int count) {
      for (int i = 0; i < count; i++) {
        send(batch.address(i), 0, batch.bufferLength(i), batch.destination(i));
      }
      return 0;
    }

    @Override
    public void close() {
      // nothing held
    }
  }
}
