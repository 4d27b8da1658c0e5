package org.openswanj.cluster.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.cluster.ClusterConfig;
import org.openswanj.cluster.Samples;
import org.openswanj.cluster.codec.ClusterKey;
import org.openswanj.cluster.etcd.Events.Event;
import org.openswanj.cluster.etcd.Events.Kind;
import org.openswanj.cluster.state.ChildSaRecord;
import org.openswanj.cluster.state.MessageIdSync;
import org.openswanj.cluster.state.RecordWrite;
import org.openswanj.cluster.state.SaRecord;
import org.openswanj.cluster.takeover.TakeoverPlan;
import org.openswanj.cluster.takeover.TakeoverPlanner;

/** Two cluster nodes in one JVM against a real etcd on loopback: election, fencing, failover, warm copy. */
class ClusterIT {
  private static final InetAddress VIP = InetAddresses.forString("192.0.2.10");
  // generous: on a loaded 2-core machine a 3 s lease missed keep-alives and fenced for the wrong reason
  private static final Duration TTL = Duration.ofSeconds(6);
  private static final byte[] CLUSTER_KEY = Samples.keyBytes(200, 32);

  @TempDir
  Path dir;
  private EtcdProcess etcd;
  private final List<AutoCloseable> closeLast = new ArrayList<>();

  @BeforeEach
  void startEtcd() throws Exception {
    etcd = EtcdProcess.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeLast) {
      c.close();
    }
    etcd.close();
  }

  private ClusterNode node(String name, URI endpoint, Events events) throws ClusterException {
    ClusterConfig cfg = new ClusterConfig(List.of(endpoint), name, List.of(VIP), Optional.empty(), TTL, 65_536);
    ClusterNode n = ClusterNode.start(cfg, new ClusterKey(CLUSTER_KEY, new SecureRandom()), events);
    closeLast.add(0, n);
    return n;
  }

  private static void await(String what, Duration timeout, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!cond.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out: " + what);
      Thread.sleep(20);
    }
  }

  private static long ms(long fromNanos, Event e) {
    return TimeUnit.NANOSECONDS.toMillis(e.nanos() - fromNanos);
  }

  @Test
  void electedNodePublishesStandbyKeepsAWarmCopyAndTakesOverWhenTheLeaseIsRevoked() throws Exception {
    Events ea = new Events();
    Events eb = new Events();
    ClusterNode a = node("a", etcd.endpoint(), ea);
    assertNotNull(ea.await(Kind.ACTIVE, 0, Duration.ofSeconds(5)), "first node elected");
    ClusterNode b = node("b", etcd.endpoint(), eb);
    List<SaRecord> published = List.of(Samples.ike(12, MessageIdSync.MESSAGE_ID), Samples.child(0xcafe0001, 500_000,
        false));
    List<RecordWrite> puts = published.stream().map(r -> new RecordWrite(r, true)).toList();
    assertTrue(a.writeAll(VIP, puts).get(5, TimeUnit.SECONDS), "active node's two puts accepted in one transaction");
    assertFalse(b.publish(VIP, published.get(0)).get(5, TimeUnit.SECONDS), "standby may not publish");
    assertFalse(b.writeAll(VIP, puts).get(5, TimeUnit.SECONDS), "nor write in a transaction");
    assertFalse(b.isActive(VIP));
    await("warm copy equals what was published", Duration.ofSeconds(3),
        () -> b.warmCopy().forVip("192.0.2.10").containsAll(published) && b.warmCopy().snapshot().size() == 2);
    assertNoKeyBytesInEtcd();

    long t0 = System.nanoTime();
    try (Client admin = Client.builder().endpoints(etcd.endpoint()).build()) {
      admin.getLeaseClient().revoke(a.leaseId()).get(5, TimeUnit.SECONDS);
    }
    Event fenced = ea.await(Kind.FENCED, t0, TTL);
    Event active = eb.await(Kind.ACTIVE, t0, TTL);
    assertNotNull(fenced, "revoked node fenced within the lease TTL");
    assertNotNull(active, "standby elected within the lease TTL");
    assertTrue(fenced.detail().startsWith("LEASE_LOST"), fenced.detail());
    assertTrue(ms(t0, fenced) < 1000, "a revoked lease fences at once (election key watch), not at the next keep-alive");
    System.out.printf("revoke: fenced_ms=%d failover_ms=%d%n", ms(t0, fenced), ms(t0, active));
    assertTrue(b.isActive(VIP));

    TakeoverPlan plan = new TakeoverPlanner(65_536).plan(b.warmCopy().forVip("192.0.2.10"));
    assertEquals(500_000 + 65_536 + 1, plan.childSas().get(0).nextOutboundSeq());
    assertEquals(1, plan.ikeSas().size());

    assertNotNull(ea.await(Kind.REJOINED, t0, Duration.ofSeconds(5)), "old node rejoins");
    Thread.sleep(TTL.toMillis());
    assertFalse(a.isActive(VIP), "returning node stays standby");
    assertEquals(1, ea.count(Kind.ACTIVE));
    assertFalse(a.publish(VIP, published.get(1)).get(5, TimeUnit.SECONDS));
    ChildSaRecord rekeyed = Samples.child(0xcafe0002, 0, false);
    assertTrue(b.writeAll(VIP, List.of(new RecordWrite(rekeyed, true), new RecordWrite(published.get(1), false)))
        .get(5, TimeUnit.SECONDS), "a put and a delete in one transaction");
    await("old node's warm copy follows the new active", Duration.ofSeconds(3),
        () -> a.warmCopy().snapshot().containsValue(rekeyed) && !a.warmCopy().snapshot().containsValue(published.get(1)));
  }

  /**
   * A node whose first answers from etcd come later than its TTL (the first gRPC call of a fresh JVM on a loaded
   * machine took over 2 s) still joins: it waits up to {@link ClusterNode#FIRST_ANSWER_WAIT_S} (it gave up after
   * the TTL before, and pluto did not start), renews the slow grant before counting on it, and is not fenced for it.
   */
  @Test
  void aNodeWhoseFirstAnswersComeAfterItsTtlStillJoinsUnfenced() throws Exception {
    Events ea = new Events();
    TcpProxy slow = new TcpProxy(etcd.endpoint().getPort());
    closeLast.add(slow);
    slow.holdAnswers(Duration.ofMillis(2_500));
    ClusterConfig cfg = new ClusterConfig(List.of(slow.endpoint()), "a", List.of(VIP), Optional.empty(),
        Duration.ofSeconds(2), 65_536);
    long t0 = System.nanoTime();
    ClusterNode a = ClusterNode.start(cfg, new ClusterKey(CLUSTER_KEY, new SecureRandom()), ea);
    closeLast.add(0, a);
    long joinedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(joinedMs >= 2_000, "the proxy held the answers back: " + joinedMs + " ms");
    assertNotNull(ea.await(Kind.ACTIVE, 0, Duration.ofSeconds(5)), "elected");
    Thread.sleep(3_000); // longer than the TTL: the lease is kept alive
    assertTrue(a.isActive(VIP) && !a.isFenced(), "active and not fenced for its slow start");
    assertTrue(ea.events().stream().noneMatch(e -> e.kind() == Kind.FENCED), ea.events().toString());
  }

  @Test
  void crashedActiveIsFencedBeforeTheStandbyTakesOver() throws Exception {
    Events ea = new Events();
    Events eb = new Events();
    TcpProxy link = new TcpProxy(etcd.endpoint().getPort());
    closeLast.add(link);
    node("a", link.endpoint(), ea);
    assertNotNull(ea.await(Kind.ACTIVE, 0, Duration.ofSeconds(5)));
    ClusterNode b = node("b", etcd.endpoint(), eb);
    Thread.sleep(500);
    long t0 = System.nanoTime();
    link.cut(); // a's machine is gone as far as etcd can tell
    Event fenced = ea.await(Kind.FENCED, t0, TTL);
    Event active = eb.await(Kind.ACTIVE, t0, TTL.plusSeconds(3));
    assertNotNull(fenced, "cut-off node fenced within the lease TTL");
    assertNotNull(active, "standby elected after the lease expired");
    assertTrue(fenced.nanos() < active.nanos(), "the old node stops before the new one starts");
    assertTrue(fenced.detail().startsWith("ETCD_UNREACHABLE"), fenced.detail());
    System.out.printf("crash: fenced_ms=%d failover_ms=%d%n", ms(t0, fenced), ms(t0, active));
    assertTrue(b.isActive(VIP));
  }

  @Test
  void losingTheStandbyChangesNothingForTheActive() throws Exception {
    Events ea = new Events();
    Events eb = new Events();
    ClusterNode a = node("a", etcd.endpoint(), ea);
    assertNotNull(ea.await(Kind.ACTIVE, 0, Duration.ofSeconds(5)));
    TcpProxy link = new TcpProxy(etcd.endpoint().getPort());
    closeLast.add(link);
    node("b", link.endpoint(), eb);
    Thread.sleep(500);
    long t0 = System.nanoTime();
    link.cut();
    // that it fences, not how fast (crashedActiveIsFenced… holds the TTL bound): one run of the whole suite saw
    // no fence within the bare TTL while a fuzzer ran at nice 19 beside it
    assertNotNull(eb.await(Kind.FENCED, t0, TTL.plusSeconds(2)), "the cut-off standby fences itself");
    Thread.sleep(TTL.toMillis() + 1000); // past the standby's lease expiry
    assertNull(ea.await(Kind.FENCED, 0, Duration.ZERO), "active node undisturbed");
    assertTrue(a.isActive(VIP));
    assertTrue(a.publish(VIP, Samples.ike(1, MessageIdSync.UNSUPPORTED)).get(5, TimeUnit.SECONDS));
  }

  @Test
  void etcdDownFencesTheActiveAndTheClusterRecoversWithItsRecords() throws Exception {
    Events ea = new Events();
    Events eb = new Events();
    ClusterNode a = node("a", etcd.endpoint(), ea);
    assertNotNull(ea.await(Kind.ACTIVE, 0, Duration.ofSeconds(5)));
    ClusterNode b = node("b", etcd.endpoint(), eb);
    SaRecord ike = Samples.ike(3, MessageIdSync.UNSUPPORTED);
    assertTrue(a.publish(VIP, ike).get(5, TimeUnit.SECONDS));
    await("warm copy", Duration.ofSeconds(3), () -> b.warmCopy().snapshot().containsValue(ike));

    long t0 = System.nanoTime();
    etcd.kill();
    Event fenced = ea.await(Kind.FENCED, t0, TTL);
    assertNotNull(fenced, "active node fenced within the lease TTL of etcd dying");
    System.out.printf("etcd down: fenced_ms=%d%n", ms(t0, fenced));
    assertTrue(b.warmCopy().snapshot().containsValue(ike), "standby keeps its copy while etcd is down");

    etcd.restart();
    long t1 = System.nanoTime();
    await("one node active again", Duration.ofSeconds(15), () -> a.isActive(VIP) ^ b.isActive(VIP));
    System.out.printf("etcd back: active_again_ms=%d%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1));
    ClusterNode active = a.isActive(VIP) ? a : b;
    ClusterNode standby = active == a ? b : a;
    SaRecord child = Samples.child(0xbeef0001, 10, true);
    assertTrue(active.publish(VIP, child).get(5, TimeUnit.SECONDS));
    await("standby's copy resynchronised after the restart", Duration.ofSeconds(5),
        () -> standby.warmCopy().snapshot().values().containsAll(List.of(ike, child)));
  }

  private void assertNoKeyBytesInEtcd() throws Exception {
    try (Client admin = Client.builder().endpoints(etcd.endpoint()).build()) {
      var all = admin.getKVClient().get(KeyLayout.bytes("/"), GetOption.builder().isPrefix(true).build())
          .get(5, TimeUnit.SECONDS).getKvs();
      assertFalse(all.isEmpty());
      for (KeyValue kv : all) {
        byte[] v = kv.getValue().getBytes();
        for (byte[] k : Samples.allKeys()) {
          assertFalse(Samples.contains(v, java.util.Arrays.copyOf(k, 8)), "key bytes in " + kv.getKey());
        }
        assertFalse(Samples.contains(v, java.util.Arrays.copyOf(CLUSTER_KEY, 8)), "cluster key in etcd");
      }
    }
  }
}
