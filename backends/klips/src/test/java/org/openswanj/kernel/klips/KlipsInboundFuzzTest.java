package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.*;
import static org.openswanj.kernel.klips.InboundModel.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.Encapsulation;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.Lifetime;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaBinding;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;
import org.openswanj.kernel.klips.esp.EspCodec;
import org.openswanj.kernel.klips.esp.EspException;
import org.openswanj.kernel.klips.esp.EspTransform;
import org.openswanj.kernel.klips.net.IpPacket;
import org.openswanj.kernel.klips.net.MemoryNet;
import org.openswanj.kernel.klips.net.MemoryTun;
import org.openswanj.kernel.klips.net.QueuedPacketSocket;

/**
 * Fuzz target for klips' inbound stage as a whole (testing/fuzz/run-fuzz; the normal test run replays the seeds in
 * KlipsInboundFuzzTestInputs/): ESP in UDP handed to a KlipsBackend on the in-memory fakes, which runs SPI lookup,
 * replay window, decryption, the transport-mode header rebuild and checksum fix-up (RFC 3948 §3.1.2), the RFC 4301
 * §5.2 selector check, NAT mapping reports and the TCP coalescer writing to the TUN device, synchronously on this
 * thread ({@code receiveUdpEncapsulated}, then {@code udpEncapsulatedBatchEnd}).
 *
 * <p>Input byte 0: bits 0-2 pick the inbound SA ({@link #SAS}, modulo their number), bit 3 sealed or raw, bits 4-5
 * the outer source (the SA's own NAT mapping, two other ports of the peer, another address). Raw: the rest is the
 * ESP datagram as it came (forgeries); bit 6 writes the SA's SPI into it, bit 7 a fresh sequence number, so the
 * ICV check is reached. Sealed: byte 1 bits 0-1 make a train of 1-4 segments (a TCP packet's sequence number
 * advanced by its payload each time, so the coalescer merges them), bits 2-3 the transport-mode protocol (TCP, UDP,
 * ICMP, SCTP), bit 4 uses byte 1 itself as next header (tunnel mode: never 4 or 41), bit 5 makes an inner packet's
 * IP length field right, bit 6 (an ESN SA) moves its sequence number on to two before the next multiple of 2^32,
 * so the train crosses it; byte 0 bit 6 resends the last segment (a replay), bit 7 flips one bit of the first. The
 * rest is the plaintext (tunnel mode: the inner IP packet; transport mode: what follows the IP header), sealed
 * with the SA's real keys and a fresh sequence number.
 *
 * <p>Invariants: nothing throws; everything that reaches the TUN device is a valid IP packet inside the SA's
 * selector (a merged TCP super-packet too), and is exactly what was sealed (transport mode: behind the header
 * rebuilt from the SA, its TCP/UDP checksum right for that header), or a run of such TCP segments merged; a sealed
 * packet outside the selector is counted as a selector failure of its SA; a forgery, a tampered or a resent packet
 * is dropped and counted once; a NAT mapping is reported once per new source, for authenticated traffic only;
 * counters never go backwards.
 *
 * <p>{@link #inboundMixed} takes a byte more (see there) and runs the same input as one batch either as ESP in UDP
 * or as raw ESP through the code a raw ESP receive thread runs ({@link DataPath.RawReader}: IPv4 behind its IP header,
 * options or not, IPv6 without one), with segments of a twin flow and of other SAs interleaved. Further invariants:
 * a read whose IPv4 header is broken is dropped as malformed and the ESP behind it never looked into; ESP opens raw
 * or in UDP on any SA (RFC 7296 §2.23), raw ESP never reports a NAT mapping; a merge never spans two flows, skips or
 * repeats sequence numbers (it may span two SAs carrying one flow: each segment passed its own SA's selector, RFC
 * 4301 §5.2, as Linux's GRO after decapsulation merges); each SA counts exactly the packets and bytes delivered for
 * it and the selector failures sealed for it.
 */
class KlipsInboundFuzzTest {
  static final InetAddress NAT = ip("192.1.2.254");
  static final InetAddress EAST = ip("192.1.2.23");
  static final InetAddress OTHER = ip("192.1.2.99");
  static final InetAddress NAT6 = ip("2001:db8:1::1");
  static final InetAddress EAST6 = ip("2001:db8:2::23");
  static final InetAddress OTHER6 = ip("2001:db8:1::99");
  static final int PEER_PORT = 40000;
  /** The inbound SAs' replay window. */
  static final int WINDOW = 64;
  static final Pattern COUNTS =
      Pattern.compile(": (\\d+) bytes, (\\d+) packets, replay (\\d+), integrity (\\d+), selector (\\d+)");
  static final List<String> DROPS = List.of("unknown_spi", "malformed", "replay", "integrity");

  /** One inbound SA, its sealing side (the peer's copy of the keys) and what the harness expects of it. */
  static final class Sa {
    final SaId id;
    final Selector selector;
    final IpsecMode mode;
    final boolean esn;
    final EspTransform sealer;
    final InetSocketAddress peer;
    final InetAddress other;
    long nextSeq = 1;
    /** The highest sequence number the receiver accepted (its ICV verified), as far as the harness knows. */
    long highest;
    InetSocketAddress reported;

    Sa(int spi, InetAddress src, InetAddress dst, IpsecMode mode, Selector selector, Encryption cipher, byte[] key,
        Integrity integrity, byte[] integKey, boolean esn, InetAddress other) {
      this.id = new SaId(src, dst, spi, IpsecProto.ESP);
      this.selector = selector;
      this.mode = mode;
      this.esn = esn;
      try {
        this.sealer = EspTransform.create(cipher, key, integrity, integKey);
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
      this.peer = new InetSocketAddress(src, PEER_PORT);
      this.other = other;
      SaTransform t = integrity == null ? SaTransform.aead(cipher, new SecretKey(key))
          : new SaTransform(cipher, new SecretKey(key), integrity, new SecretKey(integKey));
      SaSpec spec = new SaSpec(Direction.INBOUND, t, new Encapsulation(mode, new UdpEncap(PEER_PORT, 4500)),
          new Replay(WINDOW, esn), new SaBinding("fuzz", 1, selector), Lifetime.NONE);
      try {
        BACKEND.addSa(id, spec);
      } catch (org.openswanj.kernel.KernelException e) {
        throw new AssertionError(e);
      }
    }

    boolean transport() {
      return mode == IpsecMode.TRANSPORT;
    }

    boolean ipv6() {
      return id.src().getAddress().length == 16;
    }
  }

  static final MemoryNet NET = new MemoryNet();
  static final MemoryNet.Host HOST = NET.host(EAST, EAST6);
  static final KlipsBackend BACKEND = open();
  static final MemoryTun TUN = HOST.tun("ipsec0");
  /** The code a raw ESP receive thread runs, on this thread, fed from a socket of queued reads. */
  static final DataPath.RawReader RAW4 = BACKEND.rawReader(false);
  static final DataPath.RawReader RAW6 = BACKEND.rawReader(true);
  static final QueuedPacketSocket RAW_SOCKET = new QueuedPacketSocket(false);
  static final ConcurrentLinkedQueue<KernelEvent> EVENTS = new ConcurrentLinkedQueue<>();
  static final Sa[] SAS = {
    // tunnel mode IPv4, a narrow selector, AES-GCM
    new Sa(0x1001, NAT, EAST, IpsecMode.TUNNEL, Selector.of(ip("10.1.0.0"), 24, ip("10.2.0.0"), 24),
        Encryption.AES_GCM_16, key(20, 0x10), null, null, false, OTHER),
    // tunnel mode IPv4, prefixes that end inside a byte, TCP to port 443 only; AES-CBC + HMAC-SHA2-256, ESN
    new Sa(0x1002, NAT, EAST, IpsecMode.TUNNEL,
        new Selector(ip("10.1.0.0"), 23, ip("10.2.0.128"), 25, IpPacket.PROTO_TCP, 0, 443),
        Encryption.AES_CBC, key(16, 0x20), Integrity.HMAC_SHA2_256_128, key(32, 0x30), true, OTHER),
    // transport mode IPv4 behind a NAT (the checksum fix-up), as pluto installs it: the NAT's address to ours
    new Sa(0x1003, NAT, EAST, IpsecMode.TRANSPORT, Selector.of(NAT, 32, EAST, 32),
        Encryption.AES_GCM_16, key(20, 0x40), null, null, false, OTHER),
    // tunnel mode IPv6, AES-256-GCM
    new Sa(0x1004, NAT6, EAST6, IpsecMode.TUNNEL, Selector.of(ip("fd01::"), 64, ip("fd02::"), 60),
        Encryption.AES_GCM_16, key(36, 0x50), null, null, false, OTHER6),
    // transport mode IPv6, L2TP only (UDP 1701 -> 1701)
    new Sa(0x1005, NAT6, EAST6, IpsecMode.TRANSPORT, new Selector(NAT6, 128, EAST6, 128, IpPacket.PROTO_UDP, 1701, 1701),
        Encryption.AES_GCM_16, key(20, 0x60), null, null, false, OTHER6),
  };

  static {
    BACKEND.setListener(EVENTS::add);
  }

  /** The counters of the previous input, to see that none goes backwards. */
  static Snapshot last;

  static KlipsBackend open() {
    try {
      // one TUN queue, no NAT-T keepalives: the backend's own threads stay idle
      return KlipsBackend.open(new KlipsConfig(List.of(new KlipsConfig.Binding("ipsec0", "eth0")), 0, 1,
          Duration.ZERO), HOST);
    } catch (org.openswanj.kernel.KernelException e) {
      throw new AssertionError(e);
    }
  }

  @AfterAll
  static void close() {
    BACKEND.close();
  }

  @FuzzTest
  void inbound(byte[] input) throws Exception {
    run(input, Mix.NONE);
  }

  /**
   * As {@link #inbound}, after a byte (two when bits 0-1 are 3) that says how the batch reaches the product and what
   * else it holds: bits 0-1 ESP in UDP, raw ESP (the SA's family: IPv4 behind its IP header, IPv6 without one), raw
   * IPv4 with options, raw with the first segment's read broken (the next byte says how: {@link RawEspReads#broken};
   * IPv6: cut short); bit 2 a twin of one segment with one field changed ({@link #alter}, by bits 5-7) just before
   * it, so it continues the train's sequence numbers in another flow; bits 3-4 that many segments of other SAs
   * (raw: of the same family) carrying the train's segment at that place, changed the next ways.
   */
  @FuzzTest
  void inboundMixed(byte[] input) throws Exception {
    if (input.length < 1) {
      return;
    }
    int m = input[0] & 0xff;
    Path path = Path.values()[m & 3];
    int skip = path == Path.RAW_BROKEN ? 2 : 1;
    if (input.length < skip) {
      return;
    }
    int how = skip == 2 ? input[1] & 0xff : 0;
    run(Arrays.copyOfRange(input, skip, input.length), new Mix(path, (m & 4) != 0, (m >>> 3) & 3, m >>> 5, how));
  }

  /**
   * The harness's own ESN model: a train across 2^32, then a jump whose only packet is tampered, then a packet; the
   * jump must stay where the receiver's inference (RFC 4303 App. A2.2) can follow, or the last packet fails to open.
   */
  @Test
  void anEsnJumpStaysWithinTheReceiversReach() throws Exception {
    inbound(new byte[] {0x09, 0x41, 0, 0}); // the ESN SA: two segments, from two before the end of an epoch
    inbound(new byte[] {(byte) 0x89, 0x40, 0, 0}); // a jump to the end of the next, its one segment tampered
    inbound(new byte[] {0x09, 0x00, 0, 0}); // the next number: opens, outside the selector
  }

  /** How a batch reaches the product. */
  enum Path { UDP, RAW, RAW_OPTIONS, RAW_BROKEN }

  /** What the mixed target adds to an input: the path, a twin flow, other SAs' segments, how the first read breaks. */
  record Mix(Path path, boolean twin, int others, int alteration, int how) {
    static final Mix NONE = new Mix(Path.UDP, false, 0, 0, 0);

    boolean raw() {
      return path != Path.UDP;
    }
  }

  static void run(byte[] input, Mix mix) throws Exception {
    if (input.length < 1) {
      return;
    }
    int b0 = input[0] & 0xff;
    Sa sa = SAS[(b0 & 7) % SAS.length];
    InetSocketAddress from = switch ((b0 >>> 4) & 3) {
      case 0 -> sa.peer;
      case 1 -> new InetSocketAddress(sa.peer.getAddress(), PEER_PORT + 1);
      case 2 -> new InetSocketAddress(sa.peer.getAddress(), PEER_PORT + 2);
      default -> new InetSocketAddress(sa.other, PEER_PORT);
    };
    Snapshot before = Snapshot.take();
    if (last != null) {
      before.notBelow(last, "since the previous input");
    }
    if ((b0 & 8) != 0) {
      sealed(sa, b0, Arrays.copyOfRange(input, 1, input.length), from, mix, before);
    } else {
      raw(sa, b0, Arrays.copyOfRange(input, 1, input.length), from, mix, before);
    }
    Snapshot after = Snapshot.take();
    after.notBelow(before, "during this input");
    last = after;
  }

  /**
   * Hands one batch to the product and ends it: ESP in UDP from {@code from}, or raw reads to {@code sa}'s family's
   * reader ({@code broken}: that datagram's read broken as the mix says). Returns what reached the TUN device.
   */
  static List<byte[]> send(Sa sa, InetSocketAddress from, Mix mix, List<byte[]> esp, IntPredicate broken)
      throws Exception {
    if (!mix.raw()) {
      InetSocketAddress to = new InetSocketAddress(sa.id.dst(), 4500);
      for (byte[] d : esp) {
        BACKEND.receiveUdpEncapsulated(from, to, ByteBuffer.wrap(d));
      }
      BACKEND.udpEncapsulatedBatchEnd();
      return drain();
    }
    int options = mix.path == Path.RAW_OPTIONS ? 1 + esp.size() % 10 : 0;
    for (int i = 0; i < esp.size(); i++) {
      byte[] d = esp.get(i);
      byte[] read = sa.ipv6() ? d : RawEspReads.ipv4(from.getAddress(), sa.id.dst(), options, d);
      if (broken.test(i)) {
        read = sa.ipv6() ? Arrays.copyOf(d, Math.max(0, d.length - 1 - (mix.how >>> 3))) : RawEspReads.broken(read, mix.how);
      }
      RAW_SOCKET.add(read);
    }
    DataPath.RawReader reader = sa.ipv6() ? RAW6 : RAW4;
    assertEquals(esp.size(), reader.receive(RAW_SOCKET, 0), "one batch");
    reader.process(esp.size());
    return drain();
  }

  /** A forgery (or anything else off the wire): dropped and counted once, nothing delivered, no mapping news. */
  static void raw(Sa sa, int b0, byte[] esp, InetSocketAddress from, Mix mix, Snapshot before)
      throws Exception {
    if (esp.length >= 8 && (b0 & 0x40) != 0) {
      ByteBuffer.wrap(esp).putInt(0, sa.id.spi());
    }
    if (esp.length >= 8 && (b0 & 0x80) != 0) {
      ByteBuffer.wrap(esp).putInt(4, (int) sa.nextSeq++);
    }
    boolean broken = mix.path == Path.RAW_BROKEN;
    List<byte[]> got = send(sa, from, mix, List.of(esp), i -> broken);
    Snapshot after = Snapshot.take();
    int accepted = 0;
    for (int i = 0; i < SAS.length; i++) {
      accepted += (int) (after.packets[i] - before.packets[i] + after.selector[i] - before.selector[i]);
    }
    if (accepted > 0) {
      // the product found it authentic: then it must be, under the keys of the SA its SPI names
      assertFalse(broken && !sa.ipv6(), "ESP behind a broken header was looked into");
      Sa owner = ownerOf(esp);
      assertNotNull(owner, "a forged packet with an unknown SPI was accepted");
      assertTrue(opens(owner, esp), () -> "a forged packet was accepted by " + owner.id);
      for (byte[] p : got) {
        assertInSelector(owner, p);
      }
      if (mix.raw()) {
        assertNull(EVENTS.poll(), "raw ESP reported a NAT mapping");
        return;
      }
      EVENTS.clear(); // its mapping report, if any, follows the sealed path's rules
      if (after.packets[indexOf(owner)] > before.packets[indexOf(owner)] && !from.equals(owner.peer)) {
        owner.reported = from;
      }
      return;
    }
    assertEquals(List.of(), got.stream().map(Arrays::toString).toList(), "a forgery reached the TUN device");
    assertNull(EVENTS.poll(), "a forgery reported a NAT mapping");
    boolean keepalive = !mix.raw() && esp.length == 1 && esp[0] == (byte) 0xff;
    assertEquals(keepalive ? 0 : 1, after.drops - before.drops, "a forgery is dropped and counted once");
    if (broken && !sa.ipv6()) {
      assertEquals(1, after.malformed() - before.malformed(), "a broken IPv4 header is malformed");
    }
  }

  /** One ESP packet of a batch: its SA, its sealed bytes, and the inner packet it should deliver (null: dropped). */
  record Item(Sa sa, long seq, byte[] wire, byte[] inner, boolean rejected) {
    /** Its ICV verified and its number was new: it moved the receiver's window. */
    boolean accepted() {
      return inner != null || rejected;
    }
  }

  /**
   * A plaintext (or a train of TCP segments) sealed with the SA's keys and fresh sequence numbers, with what the mix
   * adds (a twin flow, other SAs' segments) interleaved, in one batch.
   */
  static void sealed(Sa sa, int b0, byte[] rest, InetSocketAddress from, Mix mix, Snapshot before)
      throws Exception {
    if (rest.length < 1) {
      return;
    }
    int b1 = rest[0] & 0xff;
    byte[] plain = Arrays.copyOfRange(rest, 1, rest.length);
    int segments = 1 + (b1 & 3);
    if ((b1 & 0x40) != 0 && sa.esn) {
      // to two before the end of this 2^32 epoch of the 64-bit counter, so the train crosses into the next and the
      // receiver must infer the higher half (RFC 4303 §3.3.3, App. A2.2); a jump within the epoch keeps it in sync
      // unless it goes more than 2^32 - W past the highest number accepted: that one is inferred into the epoch
      // before; only within the first epoch there is none before, the inference stays in it
      long end = (sa.nextSeq | 0xffffffffL) - 1;
      long reach = end >>> 32 == 0 ? end : Math.min(end, sa.highest + (1L << 32) - WINDOW - 16);
      sa.nextSeq = Math.max(sa.nextSeq, reach);
    }
    boolean tamper = (b0 & 0x80) != 0;
    boolean resend = (b0 & 0x40) != 0;
    boolean broken = mix.path == Path.RAW_BROKEN;
    int hash = Arrays.hashCode(rest) & 0x7fffffff;
    if ((b1 & 0x20) != 0 && !sa.transport()) {
      fixLength(plain);
    }
    Sa[] others = othersOf(sa, mix);
    List<Item> items = new ArrayList<>();
    byte[] wire = null;
    int first = -1;
    for (int k = 0; k <= segments; k++) {
      if (mix.twin && k == 1 + hash % segments) {
        items.add(item(sa, b1, plain, k, mix.alteration % ALTERATIONS, false));
      }
      for (int o = 0; o < others.length; o++) {
        if ((hash >>> (4 + 4 * o)) % (segments + 1) == k) {
          items.add(item(others[o], b1, plain, k, (mix.alteration + 1 + o) % ALTERATIONS, false));
        }
      }
      if (k == segments) {
        break;
      }
      boolean dropped = k == 0 && (tamper || broken);
      Item main = item(sa, b1, plain, k, 0, dropped);
      if (k == 0) {
        first = items.size();
        if (tamper) {
          int bit = hash % (main.wire.length * 8);
          main.wire[bit / 8] ^= (byte) (1 << (bit % 8));
        }
      }
      items.add(main);
      wire = main.wire;
    }
    List<byte[]> esp = new ArrayList<>(items.stream().map(Item::wire).toList());
    if (resend) {
      esp.add(wire); // the last segment again: a replay (raw: the same read, broken if it was)
    }
    int resent = resend && segments == 1 ? esp.size() - 1 : -1;
    int firstAt = first;
    List<byte[]> got = send(sa, from, mix, esp, i -> broken && (i == firstAt || i == resent));
    items.stream().filter(Item::accepted).forEach(it -> it.sa.highest = Math.max(it.sa.highest, it.seq));
    checkDelivered(items, got);
    boolean firstDropped = tamper || broken;
    int malformed = broken && !sa.ipv6() ? (resent >= 0 ? 2 : 1) : -1;
    checkCounters(sa, items, before, firstDropped, resend, resend && !(segments == 1 && firstDropped), malformed);
    checkEvents(items, from, mix);
  }

  /** The SAs whose segments the mix puts into the batch: the ones after {@code sa}, of its family if raw. */
  static Sa[] othersOf(Sa sa, Mix mix) {
    List<Sa> candidates = Arrays.stream(SAS).filter(s -> !mix.raw() || s.ipv6() == sa.ipv6()).toList();
    Sa[] others = new Sa[mix.others];
    for (int o = 0; o < others.length; o++) {
      others[o] = candidates.get((candidates.indexOf(sa) + 1 + o) % candidates.size());
    }
    return others;
  }

  /** Segment {@code k} of the train, changed as {@code alteration} says, sealed by {@code sa}; what it should give. */
  static Item item(Sa sa, int b1, byte[] plain, int k, int alteration, boolean dropped)
      throws GeneralSecurityException {
    int nextHeader = nextHeader(sa, b1, plain);
    byte[] p = advanceTcp(sa, nextHeader, plain, k);
    alter(sa, nextHeader, p, alteration);
    long seq = sa.nextSeq;
    byte[] wire = seal(sa, nextHeader, p);
    if (dropped) {
      return new Item(sa, seq, wire, null, false);
    }
    byte[] inner = sa.transport() ? withHeader(sa, nextHeader, p) : p;
    boolean ok = deliverable(sa, nextHeader, inner);
    return new Item(sa, seq, wire, ok ? inner : null, !ok);
  }

  /** The Next Header a segment of {@code sa} carries, from byte 1 (see the class comment). */
  static int nextHeader(Sa sa, int b1, byte[] plain) {
    if ((b1 & 0x10) != 0) {
      return b1;
    }
    if (sa.transport()) {
      return switch ((b1 >>> 2) & 3) {
        case 0 -> IpPacket.PROTO_TCP;
        case 1 -> IpPacket.PROTO_UDP;
        case 2 -> sa.ipv6() ? IpPacket.PROTO_ICMPV6 : IpPacket.PROTO_ICMP;
        default -> IpPacket.PROTO_SCTP;
      };
    }
    int v = plain.length > 0 ? (plain[0] & 0xff) >> 4 : 0;
    return v == 6 || (v != 4 && sa.ipv6()) ? IpPacket.PROTO_IPV6 : IpPacket.PROTO_IPIP;
  }

  /** The ways {@link #alter} changes a segment: none, source port, destination port, ACK number, window, sequence. */
  static final int ALTERATIONS = 6;

  /** Changes one field of a TCP segment (the inner packet's, or transport mode's payload) that sets it apart. */
  static void alter(Sa sa, int nextHeader, byte[] p, int alteration) {
    int tcp = tcpOffset(sa, nextHeader, p);
    if (tcp < 0 || p.length < tcp + 20 || alteration == 0) {
      return;
    }
    int at = tcp + new int[] {0, 0, 2, 8, 14, 4}[alteration] + 1;
    p[at]++; // the low byte of the port, ACK number, window or sequence number
  }

  /** ESP with the SA's keys and its next sequence number (never reused: GCM's IV is derived from it). */
  static byte[] seal(Sa sa, int nextHeader, byte[] p) throws GeneralSecurityException {
    ByteBuffer clear = ByteBuffer.allocate(p.length + 64);
    clear.put(p).flip();
    ByteBuffer wire = ByteBuffer.allocate(p.length + 128);
    EspCodec.encode(sa.sealer, sa.id.spi(), sa.nextSeq++, sa.esn, nextHeader, clear, wire);
    return Arrays.copyOf(wire.array(), wire.position());
  }

  /** True if the SA's keys open {@code esp} (with ESN, under either of the high halves the receiver may infer). */
  static boolean opens(Sa sa, byte[] esp) {
    long low = ByteBuffer.wrap(esp).getInt(4) & 0xffffffffL;
    long high = sa.nextSeq >>> 32;
    long[] candidates = sa.esn
        ? new long[] {(Math.max(high, 1) - 1) << 32 | low, high << 32 | low, (high + 1) << 32 | low}
        : new long[] {low};
    for (long seq : candidates) {
      try {
        EspCodec.decode(sa.sealer, seq, sa.esn, ByteBuffer.wrap(esp), ByteBuffer.allocate(esp.length + 64));
        return true;
      } catch (EspException e) {
        // not under this one
      }
    }
    return false;
  }

  static Sa ownerOf(byte[] esp) {
    if (esp.length < 8) {
      return null;
    }
    int spi = ByteBuffer.wrap(esp).getInt(0);
    for (Sa s : SAS) {
      if (s.id.spi() == spi) {
        return s;
      }
    }
    return null;
  }

  static int indexOf(Sa sa) {
    return Arrays.asList(SAS).indexOf(sa);
  }

  /** What the data path wrote to the TUN device for this input; the device is left empty. */
  static List<byte[]> drain() throws InterruptedException {
    List<byte[]> got = new ArrayList<>();
    for (byte[] p = TUN.delivered(Duration.ZERO); p != null; p = TUN.delivered(Duration.ZERO)) {
      got.add(p);
    }
    assertEquals(0, TUN.dropped(), "the TUN device's queue overflowed");
    return got;
  }

  /** Every counter the backend shows: per SA from {@code describe()}, and the data path's drops. */
  record Snapshot(long[] bytes, long[] packets, long[] replay, long[] integrity, long[] selector,
      long drops, long selectorAll, Map<String, Long> all) {
    static Snapshot take() {
      int n = SAS.length;
      long[][] c = new long[5][n];
      int i = 0;
      for (String line : BACKEND.describe()) {
        if (!line.startsWith("in ")) {
          continue;
        }
        Matcher m = COUNTS.matcher(line);
        assertTrue(m.find(), "describe() shows an SA's counters: " + line);
        for (int f = 0; f < 5; f++) {
          c[f][i] = Long.parseLong(m.group(f + 1));
        }
        i++;
      }
      assertEquals(n, i, "describe() shows every inbound SA");
      Map<String, Long> all = BACKEND.dataPathDrops();
      long drops = DROPS.stream().mapToLong(all::get).sum();
      return new Snapshot(c[0], c[1], c[2], c[3], c[4], drops, all.get("selector"), all);
    }

    long malformed() {
      return all.get("malformed");
    }

    void notBelow(Snapshot earlier, String when) {
      for (int i = 0; i < SAS.length; i++) {
        assertTrue(bytes[i] >= earlier.bytes[i] && packets[i] >= earlier.packets[i] && replay[i] >= earlier.replay[i]
            && integrity[i] >= earlier.integrity[i] && selector[i] >= earlier.selector[i],
            "an SA counter went backwards " + when);
      }
      earlier.all.forEach((k, v) -> assertTrue(all.get(k) >= v, "drop counter " + k + " went backwards " + when));
    }
  }

  static byte[] key(int n, int seed) {
    byte[] k = new byte[n];
    for (int i = 0; i < n; i++) {
      k[i] = (byte) (seed + i);
    }
    return k;
  }

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
