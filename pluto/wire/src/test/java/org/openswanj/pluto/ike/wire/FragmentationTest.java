package org.openswanj.pluto.ike.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 7383: the notify, the sizes of §2.5.1, splitting (§2.5) and bounded reassembly (§2.6) with a fake cipher. */
class FragmentationTest {
  private static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");
  private static final IkeHeader AUTH = IkeHeader.v2(0x0102030405060708L, 0x1112131415161718L, ExchangeType.IKE_AUTH,
      true, false, 1);

  private static List<Payload> bigAuth() {
    byte[] cert = new byte[3000];
    new Random(7).nextBytes(cert);
    return List.of(new IdPayload(false, IdType.ID_FQDN, "west.example.org".getBytes()),
        new CertPayload(CertPayload.X509_SIGNATURE, cert), new AuthPayload(AuthMethod.DIGITAL_SIGNATURE, new byte[300]),
        new NotifyPayload(NotifyType.INITIAL_CONTACT, new byte[0]));
  }

  @Test
  void supportedNotifyIsEmptyWithNoSpi() {
    // RFC 7383 §2.3: Protocol ID 0, SPI Size 0, type 16430, no data.
    assertEquals("000000080000402e",
        IkeCodec.hex(IkeCodec.encodeChain(2, List.of(Ikev2Fragmentation.supportedNotify()))));
    assertTrue(Ikev2Fragmentation.peerSupports(List.of(new NotifyPayload(NotifyType.NAT_DETECTION_SOURCE_IP,
        new byte[20]), Ikev2Fragmentation.supportedNotify())));
    assertTrue(!Ikev2Fragmentation.peerSupports(List.of()));
  }

  // RFC 7383 §2.5.1: 576 (IPv4) and 1280 (IPv6) minus IP and UDP headers, minus the non-ESP marker on 4500.
  @Test
  void messageSizesFollowSection251() {
    assertEquals(548, Ikev2Fragmentation.defaultMaxMessageSize(Ikev2Fragmentation.IpVersion.IPV4,
        Ikev2Fragmentation.Encapsulation.PORT_500));
    assertEquals(544, Ikev2Fragmentation.defaultMaxMessageSize(Ikev2Fragmentation.IpVersion.IPV4,
        Ikev2Fragmentation.Encapsulation.PORT_4500));
    assertEquals(1232, Ikev2Fragmentation.defaultMaxMessageSize(Ikev2Fragmentation.IpVersion.IPV6,
        Ikev2Fragmentation.Encapsulation.PORT_500));
    assertEquals(1472, Ikev2Fragmentation.maxMessageSize(Ikev2Fragmentation.IpVersion.IPV4, 1500,
        Ikev2Fragmentation.Encapsulation.PORT_500));
  }

  @Test
  void splitSealsEachFragmentAndReassemblesToTheSameChain() throws Exception {
    SkCodecTest.FakeCipher c = new SkCodecTest.FakeCipher();
    List<byte[]> frags = Ikev2Fragmentation.split(AUTH, bigAuth(), c, 548);
    // 3345 chain bytes; 548 - 28 (header) - 8 (SKF) = 512 for IV 8 + padded + ICV 16, so 479 bytes a piece.
    assertEquals(7, frags.size());
    FragmentReassembler r = new FragmentReassembler(FragmentReassembler.Limits.DEFAULT);
    List<byte[]> shuffled = new ArrayList<>(frags);
    Collections.reverse(shuffled);
    FragmentReassembler.Outcome last = null;
    for (byte[] d : shuffled) {
      IkeMessage m = IkeCodec.decode(d);
      SkfPayload skf = (SkfPayload) m.payloads().get(0);
      assertTrue(d.length <= 548 && (d.length > 548 - 16 || skf.fragmentNumber() == 7), d.length + " bytes");
      assertEquals(1, m.header().messageId());
      assertEquals(frags.size(), skf.totalFragments());
      // RFC 7383 §2.5: only fragment 1 names the first inner payload.
      assertEquals(skf.fragmentNumber() == 1 ? PayloadType.IDI.wireValue() : 0, skf.firstInnerPayload());
      last = r.offer(d, m, c, T0);
    }
    FragmentReassembler.Outcome.Complete done = assertInstanceOf(FragmentReassembler.Outcome.Complete.class, last);
    assertArrayEquals(IkeCodec.encodeChain(2, bigAuth()), done.chain());
    List<Payload> back = IkeCodec.decodeChain(2, done.firstPayload(), done.chain(), 0, done.chain().length);
    assertEquals(3000, ((CertPayload) back.get(1)).data().length);
    assertEquals(0, r.pending());
    assertEquals(0, r.retainedBytes());
    assertThrows(IllegalArgumentException.class, () -> Ikev2Fragmentation.split(AUTH, bigAuth(), c, 60));
  }

  @Test
  void tamperedFragmentsNeverReachTheStore() throws Exception {
    SkCodecTest.FakeCipher c = new SkCodecTest.FakeCipher();
    byte[] d = Ikev2Fragmentation.split(AUTH, bigAuth(), c, 548).get(2);
    d[d.length - 1] ^= 1;
    FragmentReassembler r = new FragmentReassembler(FragmentReassembler.Limits.DEFAULT);
    assertThrows(IntegrityCheckFailedException.class, () -> r.offer(d, IkeCodec.decode(d), c, T0));
    assertEquals(0, r.pending());
  }

  private static SkfPayload skf(int number, int total) {
    return new SkfPayload(number == 1 ? 35 : 0, number, total, new byte[0]);
  }

  // RFC 7383 §2.6.1: duplicates dropped; a smaller total is stale; a larger one restarts reassembly.
  @Test
  void section261DuplicatesAndInconsistentTotals() {
    FragmentReassembler r = new FragmentReassembler(FragmentReassembler.Limits.DEFAULT);
    assertEquals(new FragmentReassembler.Outcome.Incomplete(1, 3), r.offer(5, skf(2, 3), new byte[] {2}, T0));
    assertTrue(((FragmentReassembler.Outcome.Dropped) r.offer(5, skf(2, 3), new byte[] {9}, T0)).reason()
        .contains("duplicate"));
    assertTrue(((FragmentReassembler.Outcome.Dropped) r.offer(5, skf(1, 2), new byte[] {1}, T0)).reason()
        .contains("older than the 3-fragment set"));
    assertEquals(new FragmentReassembler.Outcome.Incomplete(1, 4), r.offer(5, skf(4, 4), new byte[] {4}, T0));
    r.offer(5, skf(3, 4), new byte[] {3}, T0);
    r.offer(5, skf(1, 4), new byte[] {1}, T0);
    FragmentReassembler.Outcome.Complete c = assertInstanceOf(FragmentReassembler.Outcome.Complete.class,
        r.offer(5, skf(2, 4), new byte[] {2}, T0));
    assertArrayEquals(new byte[] {1, 2, 3, 4}, c.chain());
    assertEquals(35, c.firstPayload());
  }

  @Test
  void limitsOnFragmentsBytesAgeAndMessages() {
    FragmentReassembler.Limits l = new FragmentReassembler.Limits(4, 100, Duration.ofSeconds(30), 2);
    FragmentReassembler r = new FragmentReassembler(l);
    assertInstanceOf(FragmentReassembler.Outcome.Dropped.class, r.offer(1, skf(1, 5), new byte[1], T0));
    r.offer(1, skf(1, 3), new byte[60], T0);
    FragmentReassembler.Outcome.Dropped big = assertInstanceOf(FragmentReassembler.Outcome.Dropped.class,
        r.offer(1, skf(2, 3), new byte[60], T0));
    assertEquals("message 1 would exceed 100 bytes in fragments; discarded", big.reason());
    assertEquals(0, r.pending());
    r.offer(2, skf(1, 2), new byte[10], T0);
    r.offer(2, skf(2, 2), new byte[0], T0.plusSeconds(29));
    r.offer(3, skf(1, 2), new byte[10], T0);
    assertEquals(1, r.pending());
    r.expire(T0.plusSeconds(30));
    assertEquals(0, r.pending());
    assertEquals(0, r.retainedBytes());
    for (int id = 10; id < 20; id++) {
      r.offer(id, skf(1, 2), new byte[10], T0);
    }
    assertEquals(2, r.pending(), "the oldest message gives way");
  }

  // A flood of bogus (but authenticated-looking) fragments: held state never exceeds the limits.
  @Test
  void memoryStaysBoundedUnderAFlood() {
    FragmentReassembler.Limits l = FragmentReassembler.Limits.DEFAULT;
    FragmentReassembler r = new FragmentReassembler(l);
    Random rnd = new Random(42);
    long bound = (long) l.maxMessages() * l.maxMessageBytes();
    long maxSeen = 0;
    for (int i = 0; i < 200_000; i++) {
      int total = 1 + rnd.nextInt(rnd.nextBoolean() ? 64 : 65535);
      int number = 1 + rnd.nextInt(total);
      r.offer(rnd.nextInt(8), skf(number, total), new byte[rnd.nextInt(1500)], T0.plusMillis(i));
      maxSeen = Math.max(maxSeen, r.retainedBytes());
      assertTrue(r.pending() <= l.maxMessages());
    }
    assertTrue(maxSeen <= bound, maxSeen + " > " + bound);
    // A real message still gets through afterwards.
    r.offer(1000, skf(2, 2), new byte[] {2}, T0.plusSeconds(300));
    assertInstanceOf(FragmentReassembler.Outcome.Complete.class, r.offer(1000, skf(1, 2), new byte[] {1},
        T0.plusSeconds(300)));
  }
}
