package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.Ikev2Fragmentation;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.net.MemoryNetwork.Datagram;
import org.openswanj.whack.proto.WhackRequest;

/**
 * IKEv2 fragmentation (RFC 7383), pluto to pluto in one JVM: the notify in IKE_SA_INIT (§2.3), a certificate
 * IKE_AUTH cut into separately sealed SKF payloads both ways (§2.5) and read back against the MUSTs byte by byte,
 * retransmission of every fragment (§2.6.1), and the receiving side's refusals and bounds (§2.6).
 */
class FragmentationTwoPeerTest {
  private static final int SKF = 53;
  private static final int IKE_AUTH = 35;
  private static final int INFORMATIONAL = 37;

  @TempDir Path dir;

  private TwoPlutos certPair(String westFrag, String eastFrag) throws Exception {
    CertAuthTwoPeerTest.Pki p = CertAuthTwoPeerTest.pki(false, TestCa.UNTIL);
    TwoPlutos t = CertAuthTwoPeerTest.plutos(dir, p, p.ca().cert);
    CertAuthTwoPeerTest.addBoth(t, CertAuthTwoPeerTest.conn("fragmentation", westFrag),
        CertAuthTwoPeerTest.conn("fragmentation", eastFrag));
    return t;
  }

  private static TwoPlutos pskPair(String westFrag, String eastFrag) throws Exception {
    TwoPlutos t = new TwoPlutos(Ikev2TwoPeerTest.PSK, Ikev2TwoPeerTest.PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.conn("fragmentation", westFrag));
    t.add(t.east, "west-east", TwoPlutos.conn("fragmentation", eastFrag));
    return t;
  }

  private static List<Datagram> sent(TwoPlutos t, TwoPlutos.Node from, int exchange, Predicate<Datagram> more) {
    List<Datagram> out = new ArrayList<>();
    for (Datagram d : t.net.log()) {
      if (d.from().getAddress().equals(from.address) && (d.bytes()[18] & 0xff) == exchange && more.test(d)) {
        out.add(d);
      }
    }
    return out;
  }

  private static boolean announces(Datagram init) throws Exception {
    return Ikev2Fragmentation.peerSupports(IkeCodec.decode(init.bytes()).payloads());
  }

  /**
   * The MUSTs of RFC 7383 §2.5 on one message's fragments, read from the bytes: Next Payload 53 in the header, the
   * same Message ID, numbers 1..N each once, Total N in all, the first inner type only in fragment 1, each datagram
   * within the §2.5.1 size. Returns N.
   */
  private static int checkFragments(List<Datagram> frags, int messageId, int firstInner, int maxSize) {
    int total = -1;
    boolean[] seen = null;
    for (Datagram d : frags) {
      ByteBuffer b = ByteBuffer.wrap(d.bytes());
      assertEquals(SKF, b.get(16) & 0xff, "IKE header Next Payload is SKF");
      assertEquals(messageId, b.getInt(20), "every fragment has the message's ID");
      assertTrue(d.bytes().length <= maxSize, d.bytes().length + " bytes > " + maxSize);
      int next = b.get(28) & 0xff;
      assertEquals(0, b.get(29), "critical bit and RESERVED clear");
      assertEquals(d.bytes().length - 28, b.getShort(30) & 0xffff, "SKF runs to the end of the datagram");
      int number = b.getShort(32) & 0xffff;
      int tot = b.getShort(34) & 0xffff;
      if (total < 0) {
        total = tot;
        seen = new boolean[tot + 1];
      }
      assertEquals(total, tot, "Total Fragments is the same in every fragment");
      assertTrue(number >= 1 && number <= total && !seen[number], "fragment number " + number + " of " + total);
      seen[number] = true;
      assertEquals(number == 1 ? firstInner : 0, next, "only fragment 1 names the first inner payload");
    }
    assertEquals(total, frags.size(), "every fragment sent once");
    return total;
  }

  @Test
  void aCertificateIkeAuthGoesInSeparatelySealedFragmentsBothWays() throws Exception {
    TwoPlutos t = certPair("yes", "yes");
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("IPsec SA established"), r.text());
    // §2.3: both IKE_SA_INIT messages carry IKEV2_FRAGMENTATION_SUPPORTED
    assertTrue(announces(sent(t, t.west, 34, d -> true).get(0)));
    assertTrue(announces(sent(t, t.east, 34, d -> true).get(0)));
    List<Datagram> req = sent(t, t.west, IKE_AUTH, d -> true);
    List<Datagram> resp = sent(t, t.east, IKE_AUTH, d -> true);
    int n = checkFragments(req, 1, 35 /* IDi */, 548);
    int m = checkFragments(resp, 1, 36 /* IDr */, 548);
    assertTrue(n > 1 && m > 1, n + " and " + m + " fragments");
    // §2.5: each fragment is sealed on its own: east opens every one with its keys, alone
    IkeSa east = t.east.pluto.engine().ikeSas().get(0);
    IkeSa west = t.west.pluto.engine().ikeSas().get(0);
    for (Datagram d : req) {
      IkeCodec.openFragment(d.bytes(), IkeCodec.decode(d.bytes()), Fragments.opener(east));
    }
    assertEquals(n, west.fragmentsSent());
    assertEquals(n, east.fragmentsReceived());
    assertEquals(m, east.fragmentsSent());
    assertEquals(m, west.fragmentsReceived());
    assertTrue(r.text().contains("sending IKE_AUTH request of ") && r.text().contains(" in " + n + " fragments"
        + " of at most 548 bytes (RFC 7383)"), r.text());
    assertTrue(r.text().contains("received IKE_AUTH response in " + m + " fragments"), r.text());
    assertEquals(Ikev2State.STATE_PARENT_R2, east.state);
    String status = t.whack(t.east, new WhackRequest.Status(false)).text();
    assertTrue(status.contains("fragments: " + m + " sent, " + n + " received;"), status);
  }

  @Test
  void fragmentationNoOnEitherSideSendsTheMessageWhole() throws Exception {
    for (String[] sides : new String[][] {{"yes", "no"}, {"no", "yes"}}) {
      TwoPlutos t = certPair(sides[0], sides[1]);
      dir = dir.resolve("next");
      TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
      assertTrue(r.text().contains("IPsec SA established"), r.text());
      assertEquals(sides[0].equals("yes"), announces(sent(t, t.west, 34, d -> true).get(0)));
      // §2.3: the responder announces only in answer to the initiator's notify
      assertFalse(announces(sent(t, t.east, 34, d -> true).get(0)), String.join("/", sides));
      List<Datagram> req = sent(t, t.west, IKE_AUTH, d -> true);
      assertEquals(1, req.size());
      assertEquals(46, req.get(0).bytes()[16] & 0xff, "one SK payload");
      assertTrue(req.get(0).bytes().length > 548, "the certificate IKE_AUTH is larger than the fragment size");
    }
  }

  @Test
  void forceFragmentsEvenASmallInformational() throws Exception {
    TwoPlutos t = pskPair("force", "yes");
    assertTrue(t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text().contains("IPsec SA established"));
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    List<Datagram> delete = sent(t, t.west, INFORMATIONAL, d -> true);
    assertEquals(1, delete.size());
    assertEquals(1, checkFragments(delete, 2, 42 /* D */, 548));
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty(), "east reassembled the one-fragment Delete and acted on it");
    // east has no force: its answer (empty, small) goes whole
    assertEquals(46, sent(t, t.east, INFORMATIONAL, d -> true).get(0).bytes()[16] & 0xff);
  }

  @Test
  void aLostFragmentIsRecoveredByResendingEveryFragment() throws Exception {
    TwoPlutos t = certPair("yes", "yes");
    int[] authFrags = {0};
    // the second IKE_AUTH fragment west sends is lost once
    t.net.setTap(d -> d.from().getAddress().equals(t.west.address) && (d.bytes()[18] & 0xff) == IKE_AUTH
        && ++authFrags[0] == 2 ? null : d);
    t.whack(t.west, new WhackRequest.Initiate("west-east", true));
    assertTrue(t.east.pluto.engine().ikeSas().get(0).state == Ikev2State.STATE_PARENT_R1, "east still waits");
    t.loop.advance(Duration.ofSeconds(1)); // RFC 7383 §2.6.1: the retransmission resends all fragments
    IkeSa west = t.west.pluto.engine().ikeSas().get(0);
    assertEquals(Ikev2State.STATE_PARENT_I3, west.state);
    List<Datagram> req = sent(t, t.west, IKE_AUTH, d -> true);
    int n = req.size() / 2;
    checkFragments(req.subList(n, 2 * n), 1, 35, 548);
    assertEquals(2 * n, authFrags[0], "the whole set went twice");
    // a retransmitted fragmented request is answered once, on fragment 1 only (§2.6.1)
    int responses = sent(t, t.east, IKE_AUTH, d -> true).size();
    for (Datagram d : req.subList(n, 2 * n)) {
      t.net.inject(d.from(), d.to(), d.bytes());
    }
    t.loop.runPending();
    assertEquals(2 * responses, sent(t, t.east, IKE_AUTH, d -> true).size(), "the response went again, once");
  }

  /** A protected INFORMATIONAL request (a liveness check) from west's keys, as {@code limit}-byte fragments. */
  private static List<byte[]> fragmentedRequest(IkeSa w, IkeSa e, List<Payload> payloads, int limit) {
    IkeHeader h = IkeHeader.v2(w.spiI, w.spiR, ExchangeType.INFORMATIONAL, true, false, (int) e.expectedRequestId());
    return Ikev2Fragmentation.split(h, payloads, Fragments.sealer(w), limit);
  }

  private static void inject(TwoPlutos t, IkeSa w, IkeSa e, byte[] d) {
    t.net.inject(new InetSocketAddress(w.local.getAddress(), w.local.getPort()), e.local, d);
  }

  private static List<Payload> padding(int notifies) {
    List<Payload> p = new ArrayList<>();
    for (int i = 0; i < notifies; i++) {
      p.add(new NotifyPayload(0, null, 40960 + i, new byte[100])); // private-use status types: ignored
    }
    return p;
  }

  @Test
  void fragmentsAreAcceptedOnlyWhenWeAnnouncedSupport() throws Exception {
    for (String eastFrag : new String[] {"yes", "no"}) {
      TwoPlutos t = pskPair("yes", eastFrag);
      t.whack(t.west, new WhackRequest.Initiate("west-east", false));
      IkeSa w = t.west.pluto.engine().ikeSas().get(0);
      IkeSa e = t.east.pluto.engine().ikeSas().get(0);
      int before = sent(t, t.east, INFORMATIONAL, d -> true).size();
      for (byte[] f : fragmentedRequest(w, e, padding(8), 300)) {
        inject(t, w, e, f);
      }
      t.loop.runPending();
      int answers = sent(t, t.east, INFORMATIONAL, d -> true).size() - before;
      assertEquals(eastFrag.equals("yes") ? 1 : 0, answers, "fragmentation=" + eastFrag);
      assertEquals(0, t.east.pluto.engine().internalErrors());
    }
  }

  @Test
  void forgedDuplicateAndMalformedFragmentsAreDroppedAndMemoryStaysBounded() throws Exception {
    TwoPlutos t = pskPair("yes", "yes");
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    IkeSa w = t.west.pluto.engine().ikeSas().get(0);
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);
    List<byte[]> probe = fragmentedRequest(w, e, padding(8), 300);
    assertTrue(probe.size() > 3);
    Random rnd = new Random(5);
    // every byte-level mutation of every fragment: none is kept (the ICV fails or the header is malformed)
    for (byte[] f : probe) {
      for (byte[] m : MalformedMessageTest.mutations(f, 0, rnd)) {
        inject(t, w, e, m);
      }
    }
    t.loop.runPending();
    assertEquals(0, t.east.pluto.engine().internalErrors(), "a malformed fragment reached the bug guard");
    assertTrue(e.requestFragments == null || e.requestFragments.retainedBytes() <= 2 * 64 * 1024);
    // a flood of authenticated fragments with random totals and numbers never holds more than the limits
    IkeHeader h = IkeHeader.v2(w.spiI, w.spiR, ExchangeType.INFORMATIONAL, true, false, (int) e.expectedRequestId());
    for (int i = 0; i < 3000; i++) {
      int total = 1 + rnd.nextInt(rnd.nextBoolean() ? 80 : 60000);
      int number = 2 + rnd.nextInt(Math.max(1, total - 1));
      if (number > total) {
        continue;
      }
      inject(t, w, e, IkeCodec.encodeFragment(h, 0, number, total, new byte[rnd.nextInt(1200)],
          Fragments.sealer(w)));
      if (i % 100 == 0) {
        t.loop.runPending();
        assertTrue(e.requestFragments.retainedBytes() <= 2L * 64 * 1024, e.requestFragments.retainedBytes() + "");
        assertTrue(e.requestFragments.pending() <= 2);
      }
    }
    t.loop.runPending();
    assertEquals(0, t.east.pluto.engine().internalErrors());
    // after the timeout nothing is held, and the real message (its fragments twice over) is answered once
    t.loop.advance(Duration.ofSeconds(31));
    assertEquals(0, e.requestFragments.retainedBytes());
    int before = sent(t, t.east, INFORMATIONAL, d -> true).size();
    long expected = e.expectedRequestId();
    List<byte[]> real = fragmentedRequest(w, e, padding(8), 300);
    for (byte[] f : real) {
      inject(t, w, e, f);
      inject(t, w, e, f);
    }
    t.loop.runPending();
    assertEquals(before + 1, sent(t, t.east, INFORMATIONAL, d -> true).size());
    assertEquals(expected + 1, e.expectedRequestId(), "the reassembled request was processed once");
    assertEquals(1, t.east.pluto.engine().ikeSas().size());
    // the engine's count of what all SAs hold follows, and a deleted SA holds nothing
    IkeHeader h2 = IkeHeader.v2(w.spiI, w.spiR, ExchangeType.INFORMATIONAL, true, false, (int) e.expectedRequestId());
    inject(t, w, e, IkeCodec.encodeFragment(h2, 0, 2, 3, new byte[500], Fragments.sealer(w)));
    t.loop.runPending();
    assertEquals(500, e.requestFragments.retainedBytes());
    assertEquals(500, t.east.pluto.engine().fragments.retainedBytes());
    w.window.resume(e.expectedRequestId(), w.expectedRequestId()); // west sends the next request ID east expects
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty());
    assertEquals(0, t.east.pluto.engine().fragments.retainedBytes());
  }

  // RFC 7383 §5: all IKE SAs together hold a bounded amount; beyond it a fragment is dropped, not stored
  @Test
  void fragmentsBeyondTheEnginesBudgetAreDropped() throws Exception {
    TwoPlutos t = pskPair("yes", "yes");
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    IkeSa w = t.west.pluto.engine().ikeSas().get(0);
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);
    t.east.pluto.engine().fragments.budget(1000);
    int before = sent(t, t.east, INFORMATIONAL, d -> true).size();
    for (byte[] f : fragmentedRequest(w, e, padding(12), 300)) {
      inject(t, w, e, f);
    }
    t.loop.runPending();
    assertEquals(before, sent(t, t.east, INFORMATIONAL, d -> true).size(), "over budget: not reassembled");
    assertTrue(t.east.pluto.engine().fragments.retainedBytes() <= 1000);
    t.east.pluto.engine().fragments.budget(Fragments.BUDGET);
    t.loop.advance(Duration.ofSeconds(31)); // the partial message expires
    for (byte[] f : fragmentedRequest(w, e, padding(12), 300)) {
      inject(t, w, e, f);
    }
    t.loop.runPending();
    assertEquals(before + 1, sent(t, t.east, INFORMATIONAL, d -> true).size(), "within budget: answered");
  }
}
