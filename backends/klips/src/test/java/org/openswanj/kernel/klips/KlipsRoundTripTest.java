package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.Encapsulation;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelEvent;
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
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.klips.esp.EspCodec;
import org.openswanj.kernel.klips.esp.EspTransform;
import org.openswanj.kernel.klips.net.IpPacket;
import org.openswanj.kernel.klips.net.MemoryNet;
import org.openswanj.kernel.klips.net.MemoryTun;

/**
 * Two klips backends on an in-memory network: a packet routed into west's ipsec0 leaves as ESP, crosses the
 * wire and appears on east's ipsec0; forged, replayed and stale packets are dropped and counted; the 32-bit
 * sequence counter of a non-ESN SA never wraps (RFC 4303 §3.3.3, §3.4.3).
 */
class KlipsRoundTripTest {
  private static final int SPI = 0x1001;
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration QUIET = Duration.ofMillis(400);

  private final InetAddress westIp = ip("192.1.2.45");
  private final InetAddress eastIp = ip("192.1.2.23");
  private final InetAddress westNet = ip("10.1.0.1");
  private final InetAddress eastNet = ip("10.2.0.1");
  private final SaId outId = new SaId(westIp, eastIp, SPI, IpsecProto.ESP);
  private final MemoryNet net = new MemoryNet();
  private final LinkedBlockingQueue<byte[]> wire = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<KernelEvent> westEvents = new LinkedBlockingQueue<>();
  private KlipsBackend west;
  private KlipsBackend east;
  private MemoryTun westTun;
  private MemoryTun eastTun;

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] key() {
    byte[] k = new byte[20]; // AES-128 key + 4-byte salt (RFC 4106 §8.1)
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (0x40 + i);
    }
    return k;
  }

  private static SaSpec spec(Direction d, Selector sel) {
    return new SaSpec(d, SaTransform.aead(Encryption.AES_GCM_16, new SecretKey(key())),
        new Encapsulation(IpsecMode.TUNNEL, null), new Replay(64, false), new SaBinding("west-east", 1, sel),
        Lifetime.NONE);
  }

  @BeforeEach
  void twoHosts() throws Exception {
    KlipsConfig config = KlipsConfig.of(List.of(new KlipsConfig.Binding("ipsec0", "eth0")));
    MemoryNet.Host w = net.host(westIp);
    MemoryNet.Host e = net.host(eastIp);
    west = KlipsBackend.open(config, w);
    east = KlipsBackend.open(config, e);
    westTun = w.tun("ipsec0");
    eastTun = e.tun("ipsec0");
    west.setListener(westEvents::add);
    net.onTheWire(p -> {
      wire.add(p);
      return p;
    });
    Selector out = Selector.of(westNet, 24, eastNet, 24);
    west.addSa(outId, spec(Direction.OUTBOUND, out));
    west.addPolicy(new PolicyId(out, PolicyDirection.OUT),
        new PolicySpec(PolicyAction.IPSEC, SaTemplate.esp(IpsecMode.TUNNEL, westIp, eastIp, SPI), 1, 0, "west-east"));
    east.addSa(new SaId(westIp, eastIp, SPI, IpsecProto.ESP), spec(Direction.INBOUND, out));
  }

  @AfterEach
  void close() {
    west.close();
    east.close();
  }

  /** An ICMP echo request from west's subnet to east's, numbered {@code n}. */
  private byte[] ping(int n) {
    ByteBuffer b = ByteBuffer.allocate(60);
    ByteBuffer addrs = ByteBuffer.wrap(concat(westNet.getAddress(), eastNet.getAddress()));
    IpPacket.writeIpv4Header(b, 0, 60, IpPacket.PROTO_ICMP, addrs, 0, 4);
    b.put(20, (byte) 8).putInt(24, 0x12340000 + n);
    b.putShort(22, (short) IpPacket.checksum(b, 20, 40, 0));
    return b.array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private byte[] sendThrough(byte[] packet) throws Exception {
    assertTrue(westTun.route(packet));
    byte[] esp = wire.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    assertNotNull(esp, "west sent no ESP packet");
    return esp;
  }

  private long inSa(java.util.function.ToLongFunction<org.openswanj.kernel.SaUsage> f) throws Exception {
    return f.applyAsLong(east.querySa(new SaId(westIp, eastIp, SPI, IpsecProto.ESP)));
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  private BooleanSupplier counter(java.util.function.ToLongFunction<org.openswanj.kernel.SaUsage> f, long want) {
    return () -> {
      try {
        return inSa(f) == want;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
  }

  @Test
  void aPacketCrossesAsEspAndArrivesUnchanged() throws Exception {
    byte[] p = ping(1);
    byte[] esp = sendThrough(p);
    assertEquals(SPI, ByteBuffer.wrap(esp).getInt(0));
    assertEquals(1, ByteBuffer.wrap(esp).getInt(4), "RFC 4303 §3.3.3: the first packet carries 1");
    assertArrayEquals(p, eastTun.delivered(WAIT));
    await("the packet counted", counter(org.openswanj.kernel.SaUsage::packets, 1));
  }

  /**
   * A packet longer than the data path's buffers carry (the kernel writes none: ipsec0's MTU is no larger) is dropped
   * and counted; the outbound thread goes on with the next one.
   */
  @Test
  void aPacketLongerThanTheDataPathCarriesIsDroppedAndTheNextOneGoes() throws Exception {
    ByteBuffer big = ByteBuffer.allocate(20000);
    IpPacket.writeIpv4Header(big, 0, 20000, IpPacket.PROTO_UDP,
        ByteBuffer.wrap(concat(westNet.getAddress(), eastNet.getAddress())), 0, 4);
    assertTrue(westTun.route(big.array()));
    byte[] esp = sendThrough(ping(1));
    assertEquals(1, ByteBuffer.wrap(esp).getInt(4), "the first ESP packet is the ping's");
    assertArrayEquals(ping(1), eastTun.delivered(WAIT));
    assertEquals(1L, west.dataPathDrops().get("malformed"));
  }

  @Test
  void ipsec0sMtuIsNoLargerThanTheDataPathCarries() throws Exception {
    KlipsConfig jumbo = new KlipsConfig(List.of(new KlipsConfig.Binding("ipsec1", "eth0")), 20000, 1, Duration.ZERO);
    try (KlipsBackend k = KlipsBackend.open(jumbo, new MemoryNet().host(westIp))) {
      assertEquals(Element.MAX_PACKET, k.mtus().get("ipsec1"));
    }
  }

  /** A burst leaves in batches; each SA still counts every packet and byte (RFC 4301 §4.4.2.1 byte lifetimes use them). */
  @Test
  void everyPacketOfABurstIsCountedOnBothSas() throws Exception {
    int n = 40;
    for (int i = 1; i <= n; i++) {
      assertTrue(westTun.route(ping(i)));
    }
    for (int i = 1; i <= n; i++) {
      assertArrayEquals(ping(i), eastTun.delivered(WAIT), "packet " + i);
    }
    await("west's outbound SA counts the burst", () -> {
      try {
        return west.querySa(outId).packets() == n;
      } catch (org.openswanj.kernel.KernelException e) {
        throw new AssertionError(e);
      }
    });
    assertEquals(n * 60L, west.querySa(outId).bytes(), "the inner packets' bytes");
    assertTrue(west.querySa(outId).lastUsedEpochSeconds() > 0, "the time of use is recorded");
    await("east's inbound SA counts the burst", counter(org.openswanj.kernel.SaUsage::packets, n));
    assertEquals(n * 60L, inSa(org.openswanj.kernel.SaUsage::bytes));
  }

  @Test
  void aTamperedPacketIsDroppedAndCounted() throws Exception {
    byte[] esp = sendThrough(ping(1));
    assertNotNull(eastTun.delivered(WAIT));
    net.onTheWire(x -> {
      wire.add(x);
      return null; // taken off the wire: the forger sends it instead
    });
    byte[] forged = sendThrough(ping(2));
    forged[30] ^= 0x04; // one bit of the ciphertext (after SPI, sequence and IV)
    net.deliver(westIp, eastIp, forged);
    await("the integrity failure", counter(org.openswanj.kernel.SaUsage::integrityFailures, 1));
    assertNull(eastTun.delivered(QUIET));
    assertEquals(1, inSa(org.openswanj.kernel.SaUsage::packets));
    assertEquals(1L, east.dataPathDrops().get("integrity"), "whack --metrics sees it: " + east.dataPathDrops());
    assertEquals(0L, east.dataPathDrops().get("replay"));
    assertEquals(1, ByteBuffer.wrap(esp).getInt(4));
  }

  @Test
  void aReplayedPacketIsDroppedAndCounted() throws Exception {
    byte[] esp = sendThrough(ping(1));
    assertNotNull(eastTun.delivered(WAIT));
    net.deliver(westIp, eastIp, esp);
    await("the replay failure", counter(org.openswanj.kernel.SaUsage::replayFailures, 1));
    assertNull(eastTun.delivered(QUIET));
    // counted for the whole data path too, so it outlives the SA
    east.deleteSa(new SaId(westIp, eastIp, SPI, IpsecProto.ESP));
    assertEquals(1L, east.dataPathDrops().get("replay"), east.dataPathDrops().toString());
  }

  /** Issue 13 #1: without ESN an old 32-bit number must not pass as 2^32 + n (RFC 4303 §3.4.3, App. A2 is ESN only). */
  @Test
  void withoutEsnAnOldSequenceNumberNearTheWrapIsStale() throws Exception {
    EspTransform t = EspTransform.create(Encryption.AES_GCM_16, key(), null, null);
    net.deliver(westIp, eastIp, forge(t, 5, ping(5)));
    assertArrayEquals(ping(5), eastTun.delivered(WAIT));
    net.deliver(westIp, eastIp, forge(t, 0xffffffffL, ping(6)));
    assertArrayEquals(ping(6), eastTun.delivered(WAIT));
    net.deliver(westIp, eastIp, forge(t, 5, ping(5))); // its ICV covers only the low 32 bits: it verifies
    await("the replay failure", counter(org.openswanj.kernel.SaUsage::replayFailures, 1));
    assertNull(eastTun.delivered(QUIET));
    net.deliver(westIp, eastIp, forge(t, 7, ping(7))); // never seen, but 2^32 - 8 behind: outside the window
    await("the second replay failure", counter(org.openswanj.kernel.SaUsage::replayFailures, 2));
    assertNull(eastTun.delivered(QUIET));
  }

  /** RFC 6311 §5.2, the peer's side: its outbound counter jumps on request and the packets go on at once. */
  @Test
  void advancingTheOutboundCounterMovesTheNextSequenceNumber() throws Exception {
    assertEquals(1, ByteBuffer.wrap(sendThrough(ping(1))).getInt(4));
    west.advanceOutboundSeq(outId, 1000);
    assertEquals(1002, ByteBuffer.wrap(sendThrough(ping(2))).getInt(4));
    assertArrayEquals(ping(1), eastTun.delivered(WAIT));
    assertArrayEquals(ping(2), eastTun.delivered(WAIT));
    SaId in = new SaId(westIp, eastIp, SPI, IpsecProto.ESP);
    assertThrows(org.openswanj.kernel.KernelException.class, () -> east.advanceOutboundSeq(in, 5), "inbound");
    assertThrows(org.openswanj.kernel.KernelException.class,
        () -> west.advanceOutboundSeq(new SaId(westIp, eastIp, SPI + 9, IpsecProto.ESP), 5), "no such SA");
    assertTrue(west.features().contains(org.openswanj.kernel.KernelFeature.SEQ_ADVANCE));
  }

  /** RFC 6311 §5.2, the cluster's side: a taken-over inbound SA refuses every number below its floor. */
  @Test
  void anInboundSaWithAFloorRefusesEveryNumberBelowIt() throws Exception {
    SaId in = new SaId(westIp, eastIp, SPI, IpsecProto.ESP);
    SaSpec s = spec(Direction.INBOUND, Selector.of(westNet, 24, eastNet, 24));
    east.deleteSa(in);
    east.addSa(in, new SaSpec(s.direction(), s.transform(), s.encapsulation(), new Replay(64, false, 0, 1000),
        s.binding(), s.lifetime()));
    EspTransform t = EspTransform.create(Encryption.AES_GCM_16, key(), null, null);
    net.deliver(westIp, eastIp, forge(t, 999, ping(1))); // what the old node may have received
    await("the replay failure", counter(org.openswanj.kernel.SaUsage::replayFailures, 1));
    net.deliver(westIp, eastIp, forge(t, 3, ping(1)));
    await("the second replay failure", counter(org.openswanj.kernel.SaUsage::replayFailures, 2));
    assertNull(eastTun.delivered(QUIET));
    net.deliver(westIp, eastIp, forge(t, 1002, ping(3))); // the peer's counter after its jump, one lost before
    assertArrayEquals(ping(3), eastTun.delivered(WAIT));
    byte[] atFloor = forge(t, 1000, ping(4));
    net.deliver(westIp, eastIp, atFloor); // late, but at the floor: never seen
    assertArrayEquals(ping(4), eastTun.delivered(WAIT));
    net.deliver(westIp, eastIp, atFloor);
    await("the third replay failure", counter(org.openswanj.kernel.SaUsage::replayFailures, 3));
  }

  /** RFC 4303 §2.6: in tunnel mode the Next Header says which IP the payload is; an IPv4 packet sent as 41 is not delivered. */
  @Test
  void aTunnelModePayloadWhoseIpVersionIsNotItsNextHeaderIsDropped() throws Exception {
    EspTransform t = EspTransform.create(Encryption.AES_GCM_16, key(), null, null);
    net.deliver(westIp, eastIp, forge(t, 1, ping(1), IpPacket.PROTO_IPV6));
    assertNull(eastTun.delivered(QUIET), "an IPv4 packet announced as IPv6 is not delivered");
    assertTrue(east.describe().stream().anyMatch(l -> l.startsWith("in  esp:") && l.contains("selector 1 ")),
        () -> String.join("\n", east.describe()));
    net.deliver(westIp, eastIp, forge(t, 2, ping(2), IpPacket.PROTO_IPIP));
    assertArrayEquals(ping(2), eastTun.delivered(WAIT), "the same packet announced as IPv4 is");
  }

  private static byte[] forge(EspTransform t, long seq, byte[] inner) throws Exception {
    return forge(t, seq, inner, IpPacket.PROTO_IPIP);
  }

  private static byte[] forge(EspTransform t, long seq, byte[] inner, int nextHeader) throws Exception {
    ByteBuffer clear = ByteBuffer.allocate(inner.length + 64);
    clear.put(inner).flip();
    ByteBuffer out = ByteBuffer.allocate(inner.length + 128);
    int n = EspCodec.encode(t, SPI, seq, false, nextHeader, clear, out);
    byte[] r = new byte[n];
    out.get(0, r);
    return r;
  }

  /** A cluster takeover installs the outbound SA with a first sequence number past the old node's (docs/HA.md). */
  @Test
  void anOutboundSaStartsAtItsFirstSequenceNumber() throws Exception {
    SaId taken = new SaId(westIp, eastIp, SPI + 1, IpsecProto.ESP);
    SaSpec s = spec(Direction.OUTBOUND, Selector.of(westNet, 24, eastNet, 24));
    west.addSa(taken, new SaSpec(s.direction(), s.transform(), s.encapsulation(), new Replay(0, false, 65_538),
        s.binding(), s.lifetime()));
    west.replacePolicy(new PolicyId(Selector.of(westNet, 24, eastNet, 24), PolicyDirection.OUT), new PolicySpec(
        PolicyAction.IPSEC, SaTemplate.esp(IpsecMode.TUNNEL, westIp, eastIp, SPI + 1), 1, 0, "west-east"));
    assertTrue(westTun.route(ping(1)));
    byte[] esp = wire.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    assertEquals(SPI + 1, ByteBuffer.wrap(esp).getInt(0));
    assertEquals(65_538, ByteBuffer.wrap(esp).getInt(4));
  }

  /** RFC 4303 §3.3.3: the last packet carries 2^32 - 1; then the SA stops and pluto hears a hard expiry. */
  @Test
  void withoutEsnTheCounterStopsAt2To32Minus1WithAHardExpiry() throws Exception {
    west.skipSequence(outId, 0xfffffffeL);
    assertEquals(0xfffffffe, ByteBuffer.wrap(sendThrough(ping(1))).getInt(4));
    assertEquals(0xffffffff, ByteBuffer.wrap(sendThrough(ping(2))).getInt(4));
    assertTrue(westTun.route(ping(3)));
    assertNull(wire.poll(QUIET.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS), "the counter wrapped");
    assertEquals(new KernelEvent.Expire(outId, false), westEvents.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
    assertEquals(new KernelEvent.Expire(outId, true), westEvents.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
    assertTrue(westTun.route(ping(4)));
    assertNull(wire.poll(QUIET.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS), "sent after the hard expiry");
    assertNull(westEvents.poll(), "expiry raised twice");
    assertArrayEquals(ping(1), eastTun.delivered(WAIT));
    assertArrayEquals(ping(2), eastTun.delivered(WAIT));
  }

  /** A soft expiry once a quarter of the 32-bit space is left, so pluto rekeys in time; the SA keeps working. */
  @Test
  void withoutEsnASoftExpiryComesWellBeforeTheEnd() throws Exception {
    west.skipSequence(outId, SaState.SOFT_SEQUENCE - 1);
    sendThrough(ping(1));
    assertNull(westEvents.poll(QUIET.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS), "soft expiry too early");
    sendThrough(ping(2));
    sendThrough(ping(3));
    assertEquals(new KernelEvent.Expire(outId, false), westEvents.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
    assertNull(westEvents.poll(QUIET.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS), "expiry raised twice");
    for (int i = 1; i <= 3; i++) {
      assertArrayEquals(ping(i), eastTun.delivered(WAIT));
    }
  }
}
