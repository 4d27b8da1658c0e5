package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.*;
import static org.openswanj.kernel.klips.TunReadModel.*;

import com.sun.jna.Pointer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.openswanj.kernel.klips.esp.EspTransform;
import org.openswanj.kernel.klips.net.MemoryNet;
import org.openswanj.kernel.klips.net.MemoryTun;
import org.openswanj.kernel.klips.net.MessageBatch;
import org.openswanj.kernel.klips.net.PacketIo;
import org.openswanj.kernel.klips.net.PacketSocket;
import org.openswanj.kernel.klips.net.SockAddr;
import org.openswanj.kernel.klips.net.TunQueues;

/**
 * The world of {@link KlipsOutboundFuzzTest}: a KlipsBackend on the in-memory fakes with its outbound SAs and
 * eroutes, the sockets that record what leaves, and the counters the judgement reads.
 */
final class OutboundFuzzRig {
  private OutboundFuzzRig() {}

  static final InetAddress WEST = ip("192.1.2.45");
  static final InetAddress WEST6 = ip("2001:db8:1::45");
  static final InetAddress EAST = ip("192.1.2.23");
  static final InetAddress EAST6 = ip("2001:db8:2::23");
  static final InetAddress NAT = ip("192.1.2.254");
  static final int MTU = 1500 - KlipsBackend.OVERHEAD;
  static final long OLD_FIRST = 0xffff_ffffL - 40;
  static final Pattern SA_COUNTS = Pattern.compile("^out esp:0x([0-9a-f]{8})@\\S+ .*: (\\d+) bytes, (\\d+) packets");
  static final Pattern HELD = Pattern.compile("^eroute .*\\((\\d+) held\\) \"(.*)\"$");

  /** An ESP datagram as it left: raw (ports 0) or in UDP. */
  record Esp(InetAddress src, InetAddress dst, int srcPort, int dstPort, byte[] bytes) {}

  /** A packet a %pass socket sent in the clear. */
  record Clear(InetAddress dst, byte[] packet) {}

  static final ConcurrentLinkedQueue<Esp> ESP_OUT = new ConcurrentLinkedQueue<>();
  static final ConcurrentLinkedQueue<Clear> CLEAR_OUT = new ConcurrentLinkedQueue<>();
  static final ConcurrentLinkedQueue<KernelEvent> EVENTS = new ConcurrentLinkedQueue<>();
  static final MemoryNet NET = new MemoryNet();
  static final MemoryNet.Host HOST = NET.host(WEST, WEST6);
  static final KlipsBackend BACKEND = open();
  static final MemoryTun TUN = HOST.tun("ipsec0");

  /** An outbound SA, the peer's copy of its keys and the last sequence number seen. */
  static final class Sa {
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
  record Route(String name, Selector selector, PolicyAction action, Sa sa, Set<ByteBuffer> acquired) {
    PolicyId id() {
      return new PolicyId(selector, PolicyDirection.OUT);
    }
  }

  static final Sa T4_SA = new Sa(0x2001, WEST, EAST, IpsecMode.TUNNEL, gcm(20, 0x11), null, false, 1,
      Selector.of(ip("10.1.0.0"), 24, ip("10.2.0.0"), 24));
  static final Sa PORT_SA = new Sa(0x2002, WEST, NAT, IpsecMode.TUNNEL,
      new SaTransform(Encryption.AES_CBC, new SecretKey(key(16, 0x21)), Integrity.HMAC_SHA2_256_128,
          new SecretKey(key(32, 0x22))), new UdpEncap(4500, 40000), true, 1, port443());
  static final Sa T6_SA = new Sa(0x2003, WEST6, EAST6, IpsecMode.TUNNEL, gcm(36, 0x31), null, false, 1,
      Selector.of(ip("fd01::"), 64, ip("fd02::"), 60));
  static final Sa TR_SA = new Sa(0x2004, WEST, EAST, IpsecMode.TRANSPORT, gcm(20, 0x41), null, false, 1,
      Selector.of(WEST, 32, EAST, 32));
  static final Sa TR6_SA = new Sa(0x2005, WEST6, EAST6, IpsecMode.TRANSPORT, gcm(20, 0x51),
      new UdpEncap(4500, 4500), false, 1, l2tp());
  static final Sa OLD_SA = new Sa(0x2006, WEST, EAST, IpsecMode.TUNNEL, gcm(20, 0x61), null, false, OLD_FIRST,
      Selector.of(ip("10.8.0.0"), 16, ip("10.9.0.0"), 16));
  /** IPv4 in an IPv6 tunnel: what the harness sends before and after each read, through the raw IPv6 socket. */
  static final Sa COMPANION_SA = new Sa(0x2007, WEST6, EAST6, IpsecMode.TUNNEL, gcm(20, 0x71), null, false, 1,
      Selector.of(ip("10.11.0.0"), 16, ip("10.12.0.0"), 16));
  static final byte[] COMPANION = packet(new Ip(ip("10.11.0.1").getAddress(), ip("10.12.0.1").getAddress(),
      ICMP, 0, false, 0), icmp(8, 0, "companion".getBytes()), 7, false);

  /** Generated inputs pick one by index (byte 0 bits 0-3); the catch-all %reject ones by the host byte. */
  static final Route[] ROUTES = {
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
  static final Sa[] SAS = {T4_SA, PORT_SA, T6_SA, TR_SA, TR6_SA, OLD_SA, COMPANION_SA};
  /** What RFC 4301 §5.1 searches: the most specific first (no two overlapping eroutes are equally specific). */
  static final List<Route> ORDERED = Arrays.stream(ROUTES)
      .sorted((a, b) -> Integer.compare(b.selector.specificity(), a.selector.specificity())).toList();
  static final DataPath.TunReader READER;

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

  /**
   * Every counter the backend shows: the data path's drops, each outbound SA's, each hold queue's. Read through
   * {@code querySa} and the hold queues (parsing {@code describe()} on every input took most of the target's time);
   * every {@link Snapshot#DESCRIBE_EVERY}th snapshot is checked against what {@code describe()} shows.
   */
  record Snapshot(Map<String, Long> drops, Map<Integer, long[]> sas, Map<String, Integer> held,
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

  static KlipsBackend open() {
    try {
      // one TUN queue that nothing is routed into, no NAT-T keepalives: the backend's own threads stay idle
      return KlipsBackend.open(new KlipsConfig(List.of(new KlipsConfig.Binding("ipsec0", "eth0")), 0, 1,
          Duration.ZERO), new Io());
    } catch (KernelException e) {
      throw new AssertionError(e);
    }
  }

  static Route ipsec(String name, Selector s, Sa sa) {
    int spi = sa == null ? 0x2099 : sa.id.spi();
    InetAddress src = sa == null ? WEST : sa.id.src();
    InetAddress dst = sa == null ? EAST : sa.id.dst();
    IpsecMode mode = sa == null ? IpsecMode.TUNNEL : sa.mode;
    return policy(new Route(name, s, PolicyAction.IPSEC, sa, null),
        new PolicySpec(PolicyAction.IPSEC, SaTemplate.esp(mode, src, dst, spi), 0, 0, name));
  }

  static Route shunt(String name, String dst, PolicyAction a) {
    return shunt(name, Selector.of(ip("10.1.0.0"), 16, ip(dst), 16), a);
  }

  static Route shunt(String name, Selector s, PolicyAction a) {
    return policy(new Route(name, s, a, null, new HashSet<>()), PolicySpec.shunt(a, name));
  }

  static Route policy(Route r, PolicySpec spec) {
    try {
      BACKEND.addPolicy(r.id(), spec);
    } catch (KernelException e) {
      throw new AssertionError(e);
    }
    return r;
  }

  static Selector port443() {
    return new Selector(ip("10.1.0.0"), 23, ip("10.2.0.128"), 25, TCP, 0, 443);
  }

  static Selector l2tp() {
    return new Selector(WEST6, 128, EAST6, 128, UDP, 1701, 1701);
  }

  static SaTransform gcm(int keyLength, int seed) {
    return SaTransform.aead(Encryption.AES_GCM_16, new SecretKey(key(keyLength, seed)));
  }

  static byte[] key(int n, int seed) {
    byte[] k = new byte[n];
    for (int i = 0; i < n; i++) {
      k[i] = (byte) (seed + i);
    }
    return k;
  }

  static InetAddress addr(byte[] a) {
    try {
      return InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** The in-memory host's devices and receivers, with sockets that record what is sent instead of sending it. */
  static final class Io implements PacketIo {
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
  record Recorder(InetAddress local) implements PacketSocket {
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
    public void close() {
      // nothing held
    }
  }
}
