package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.*;
import static org.openswanj.kernel.klips.OutboundFuzzRig.*;
import static org.openswanj.kernel.klips.TunReadModel.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

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
 * <p>Eroutes ({@link OutboundFuzzRig#ROUTES}): tunnel IPv4 AES-GCM raw ESP; tunnel IPv4 CBC+HMAC with ESN in UDP, TCP to port 443
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
    new OutboundJudgement(read, before, after).check();
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

  /** Source and destination of a packet aimed at {@link OutboundFuzzRig#ROUTES}[route]; {@code h} varies the hosts. */
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
}
