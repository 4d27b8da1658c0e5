package org.openswanj.pluto.daemon.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.cluster.state.ChildSaRecord;
import org.openswanj.cluster.state.IkeRole;
import org.openswanj.cluster.state.IkeSpis;
import org.openswanj.cluster.state.IsakmpFeatures;
import org.openswanj.cluster.state.IsakmpSaRecord;
import org.openswanj.cluster.state.RecordWrite;
import org.openswanj.cluster.takeover.TakeoverPlanner;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev1.IsakmpSa;
import org.openswanj.pluto.ikev1.QuickSa;
import org.openswanj.pluto.ikev1.V1Resume;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/**
 * East is a cluster gateway with an IKEv1 tunnel from west: what its IKEv1 engine publishes, read back as a standby
 * would, must let a fresh pluto at east's address (kill -9 and a new node: new kernel, no SAs) continue the ISAKMP
 * SA and the IPsec SA without west noticing: same cookies and SPIs, a DPD R_U_THERE answered, Quick Mode rekeys both
 * ways on the taken-over ISAKMP SA (their IVs hashed from the replicated phase 1 IV), and a Delete that still works.
 */
class PublisherV1Test {
  private static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  private static final int INFORMATIONAL = 5;

  /** The old node's view of the store: active until it is killed. */
  private static final class Until implements Membership {
    final PublisherTest.Store store;
    boolean dead;

    Until(PublisherTest.Store store) {
      this.store = store;
    }

    @Override
    public boolean isVip(InetAddress a) {
      return store.isVip(a);
    }

    @Override
    public boolean activeFor(InetAddress v) {
      return !dead && store.activeFor(v);
    }

    @Override
    public CompletableFuture<Boolean> writeAll(InetAddress v, List<RecordWrite> w) {
      return dead ? CompletableFuture.completedFuture(false) : store.writeAll(v, w);
    }
  }

  private static Map<String, String> conn() {
    return TwoPlutos.connFor("never", "dpddelay", "5", "dpdtimeout", "15", "dpdaction", "clear");
  }

  private static long informationals(TwoPlutos t, String from) {
    return t.net.log().stream().filter(d -> (d.bytes()[18] & 0xff) == INFORMATIONAL)
        .filter(d -> d.from().getAddress().getHostAddress().equals(from)).count();
  }

  @Test
  void anIkev1TunnelIsPublishedAndAFreshNodeContinuesItWithoutThePeerRenegotiating() throws Exception {
    PublisherTest.Store store = new PublisherTest.Store(InetAddress.getByName(TwoPlutos.EAST));
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    Until old = upWithEastPublishing(t, store);

    // what a standby reads: the ISAKMP SA (cookies, keys, phase 1 IV) and its IPsec SA under the cookies
    IsakmpSa e = t.east.pluto.ikev1().isakmpSas().get(0);
    QuickSa eq = t.east.pluto.ikev1().ipsecSas().get(0);
    IsakmpSaRecord isakmp = store.records(IsakmpSaRecord.class).get(0);
    ChildSaRecord ipsec = store.records(ChildSaRecord.class).get(0);
    assertEquals(2, store.records().size(), store.kv.keySet().toString());
    IkeSpis cookies = new IkeSpis(e.cookieI(), e.cookieR());
    assertEquals(cookies, isakmp.ref().spis());
    assertEquals(IkeRole.ORIGINAL_RESPONDER, isakmp.ref().role());
    assertArrayEquals(e.keys().skeyidA().bytes(), isakmp.keys().skeyidA().bytes());
    assertArrayEquals(e.keys().encKey().bytes(), isakmp.keys().encKey().bytes());
    assertArrayEquals(e.phase1Iv(), isakmp.keys().phase1Iv().bytes());
    assertTrue(isakmp.features().peerDpd(), "west announced DPD (RFC 3706 §4)");
    assertEquals(IsakmpFeatures.NattFlavour.RFC3947, isakmp.features().natt());
    assertEquals(cookies, ipsec.ref().parent());
    assertEquals(eq.inboundSpi(), ipsec.ref().spis().inbound());
    assertEquals(eq.outboundSpi(), ipsec.ref().spis().outbound());
    assertArrayEquals(eq.encOut().bytes(), ipsec.keys().outboundEnc().bytes());
    assertTrue(ipsec.outboundSeqHighWater() >= 65536, "a reservation ahead of the kernel's counter");

    // kill -9 of east; a fresh node at its address takes over from the records
    IsakmpSa w = t.west.pluto.ikev1().isakmpSas().get(0);
    QuickSa wq = t.west.pluto.ikev1().ipsecSas().get(0);
    old.dead = true;
    TwoPlutos.Node b = freshNode(t, store);
    long westInfoBefore = informationals(t, TwoPlutos.WEST);
    var plan = new TakeoverPlanner(65536).plan(store.records());
    List<V1Resume.Isakmp> resumes = Takeover.v1(plan);
    assertEquals(1, resumes.size());
    assertEquals(1, resumes.get(0).ipsecSas().size());
    assertEquals(ipsec.outboundSeqHighWater() + 65536 + 1, resumes.get(0).ipsecSas().get(0).firstOutboundSeq());
    String[] problem = new String[1];
    t.loop.execute(() -> problem[0] = b.pluto.ikev1().resume(resumes.get(0)));
    t.loop.runPending();
    assertNull(problem[0]);
    IsakmpSa nb = b.pluto.ikev1().isakmpSas().get(0);
    assertEquals(cookies, new IkeSpis(nb.cookieI(), nb.cookieR()));
    assertTrue(b.backend.sas().keySet().stream().anyMatch(id -> id.spi() == eq.inboundSpi()),
        b.backend.describe().toString());
    assertTrue(b.backend.sas().keySet().stream().anyMatch(id -> id.spi() == eq.outboundSpi()));
    assertTrue(informationals(t, TwoPlutos.WEST) > westInfoBefore, "west answered the R_U_THERE after the takeover");
    assertEquals(List.of(w), t.west.pluto.ikev1().isakmpSas(), "west kept its ISAKMP SA");
    assertEquals(List.of(wq), t.west.pluto.ikev1().ipsecSas(), "and its IPsec SA");

    // a Quick Mode rekey from west, then one from the new node, on the taken-over ISAKMP SA (new IVs, same keys)
    assertTrue(t.west.pluto.ikev1().onExpire(wq.inboundSpi(), false));
    t.loop.advance(Duration.ofSeconds(1));
    QuickSa fromWest = t.west.pluto.ikev1().ipsecSas().stream().filter(q -> q != wq && q.installed()).findFirst()
        .orElseThrow(() -> new AssertionError("west's rekey: " + t.west.backend.describe()));
    assertTrue(b.pluto.ikev1().ipsecSas().stream().anyMatch(q -> q.inboundSpi() == fromWest.outboundSpi()
        && q.installed()), "the new node answered west's Quick Mode");
    QuickSa bq = b.pluto.ikev1().ipsecSas().stream().filter(QuickSa::installed).reduce((x, y) -> y).orElseThrow();
    assertTrue(b.pluto.ikev1().onExpire(bq.inboundSpi(), false));
    t.loop.advance(Duration.ofSeconds(10));
    assertTrue(b.pluto.ikev1().ipsecSas().stream().anyMatch(q -> q.initiator() && q.installed()),
        "the new node's own Quick Mode: " + b.backend.describe());
    assertEquals(1, t.west.pluto.ikev1().isakmpSas().size(), "no new phase 1");
    assertEquals(w, t.west.pluto.ikev1().isakmpSas().get(0));

    // DPD goes on both ways, then west's Delete ends it all, in the store too
    t.loop.advance(Duration.ofSeconds(40));
    assertEquals(1, b.pluto.ikev1().isakmpSas().size(), "DPD answered both ways");
    assertNotEquals(0, store.records(ChildSaRecord.class).size());
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    t.loop.runPending();
    assertEquals(List.of(), b.pluto.ikev1().isakmpSas());
    assertEquals(List.of(), b.pluto.ikev1().ipsecSas());
    assertEquals(List.of(), store.records(), "nothing left for a standby to take over");
  }

  @Test
  void anIpsecSaWhoseSequenceSpaceIsNearlyUsedUpIsReplacedAtOnceByTheNewNode() throws Exception {
    PublisherTest.Store store = new PublisherTest.Store(InetAddress.getByName(TwoPlutos.EAST));
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    Until old = upWithEastPublishing(t, store);
    QuickSa wq = t.west.pluto.ikev1().ipsecSas().get(0);
    old.dead = true;
    TwoPlutos.Node b = freshNode(t, store);
    // a margin of 2^31 leaves less than the margin before 2^32: the plan asks for a new SA (RFC 4303 §3.3.3)
    List<V1Resume.Isakmp> resumes = Takeover.v1(new TakeoverPlanner(1L << 31).plan(store.records()));
    assertTrue(resumes.get(0).ipsecSas().get(0).rekeyAtOnce());
    String[] problem = new String[1];
    t.loop.execute(() -> problem[0] = b.pluto.ikev1().resume(resumes.get(0)));
    t.loop.runPending();
    t.loop.advance(Duration.ofSeconds(1)); // west's own replacement is minutes away
    assertNull(problem[0]);
    assertTrue(b.pluto.ikev1().ipsecSas().stream().anyMatch(q -> q.initiator() && q.installed()),
        "the new node's own Quick Mode: " + b.backend.describe());
    assertTrue(t.west.pluto.ikev1().ipsecSas().stream().anyMatch(q -> q != wq && q.installed()),
        "west has the new IPsec SA: " + t.west.backend.describe());
    assertEquals(1, t.west.pluto.ikev1().isakmpSas().size(), "no new phase 1");
  }

  /** West brings the tunnel up to east, whose IKEv1 engine publishes into {@code store} until it is killed. */
  private static Until upWithEastPublishing(TwoPlutos t, PublisherTest.Store store) throws Exception {
    return upWithEastPublishing(t, store, conn());
  }

  private static Until upWithEastPublishing(TwoPlutos t, PublisherTest.Store store, Map<String, String> conn)
      throws Exception {
    t.add(t.west, "west-east", conn);
    t.add(t.east, "west-east", conn);
    Until old = new Until(store);
    Publisher p = new Publisher(old, t.loop, 65536);
    t.east.pluto.ikev1().setReplication(p);
    p.attach(t.east.backend);
    String up = t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text();
    assertTrue(up.contains("IPsec SA established"), up);
    return old;
  }

  /** A fresh node at east's address (new kernel, no SAs) with the conn, publishing into {@code store}. */
  private static TwoPlutos.Node freshNode(TwoPlutos t, PublisherTest.Store store) throws Exception {
    return freshNode(t, store, conn());
  }

  private static TwoPlutos.Node freshNode(TwoPlutos t, PublisherTest.Store store, Map<String, String> conn)
      throws Exception {
    TwoPlutos.Node b = t.killAndRestart(t.east, IkeSettings.defaults());
    t.add(b, "west-east", conn);
    Publisher pb = new Publisher(store, t.loop, 65536);
    b.pluto.ikev1().setReplication(pb);
    pb.attach(b.backend);
    return b;
  }

  @Test
  void anXauthUsersSaIsTakenOverWithTheUserAndTheAddressModeConfigGave(@TempDir Path eastIpsecD) throws Exception {
    // alice's password as openssl passwd -1 -salt abcdefgh alice-pw hashes it (Ikev1XauthTest's)
    Files.writeString(eastIpsecD.resolve("passwd"), "alice:$1$abcdefgh$/rjHnY0UaDSC5WvrpEXr21:west-east\n");
    PublisherTest.Store store = new PublisherTest.Store(InetAddress.getByName(TwoPlutos.EAST));
    TwoPlutos t = new TwoPlutos(PSK + "@alice : XAUTH \"alice-pw\"\n", PSK, IkeSettings.defaults(), null, eastIpsecD);
    Map<String, String> conn = TwoPlutos.connFor("never", "leftxauthclient", "yes", "rightxauthserver", "yes",
        "leftxauthusername", "alice", "leftaddresspool", "10.9.100.10-10.9.100.20", "esp", "aes128-sha1");
    Until old = upWithEastPublishing(t, store, conn);
    IsakmpSaRecord published = store.records(IsakmpSaRecord.class).get(0);
    assertEquals("alice", published.features().xauthUser(), "published again once XAUTH and ModeConfig were done");
    assertEquals(InetAddress.getByName("10.9.100.10"), published.features().modecfgAddress());

    old.dead = true;
    TwoPlutos.Node b = freshNode(t, store, conn);
    List<V1Resume.Isakmp> resumes = Takeover.v1(new TakeoverPlanner(65536).plan(store.records()));
    String[] problem = new String[1];
    t.loop.execute(() -> problem[0] = b.pluto.ikev1().resume(resumes.get(0)));
    t.loop.runPending();
    assertNull(problem[0]);
    IsakmpSa nb = b.pluto.ikev1().isakmpSas().get(0);
    assertEquals(java.util.Optional.of("alice"), nb.xauthUser());
    assertEquals(java.util.Optional.of(InetAddress.getByName("10.9.100.10")), nb.modecfgAddress());
    String status = t.whack(b, new WhackRequest.Status(false)).text();
    assertTrue(status.contains("XAUTHuser=alice; ModeCfg=10.9.100.10;"), status);
  }

  @Test
  void aStandbyPublishesNoIkev1Sa() throws Exception {
    PublisherTest.Store store = new PublisherTest.Store(InetAddress.getByName(TwoPlutos.EAST));
    store.active = false;
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", conn());
    t.add(t.east, "west-east", conn());
    Publisher p = new Publisher(store, t.loop, 65536);
    t.east.pluto.ikev1().setReplication(p);
    String up = t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text();
    assertTrue(up.contains("IPsec SA established"), up);
    assertEquals(0, store.writes);
  }
}
