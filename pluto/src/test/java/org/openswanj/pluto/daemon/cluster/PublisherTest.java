package org.openswanj.pluto.daemon.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.openswanj.cluster.codec.ClusterKey;
import org.openswanj.cluster.codec.RecordCodec;
import org.openswanj.cluster.etcd.KeyLayout;
import org.openswanj.cluster.state.ChildSaRecord;
import org.openswanj.cluster.state.IkeRole;
import org.openswanj.cluster.state.IkeSaRecord;
import org.openswanj.cluster.state.RecordWrite;
import org.openswanj.cluster.state.SaRecord;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.ChildSa;
import org.openswanj.pluto.ikev2.IkeSa;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/**
 * East is a cluster gateway for its own address: what its IKEv2 engine publishes, read back through the record
 * codec as a standby would, must describe its SAs exactly (SPIs, keys, message IDs) and follow establish, rekey
 * and delete. No etcd here: the writes land in a map (ClusterIT covers etcd itself).
 */
class PublisherTest {
  private static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";

  /** A cluster of one address whose writes are encoded, kept, and decoded on read, as etcd and a standby do. */
  static final class Store implements Membership {
    final InetAddress vip;
    boolean active = true;
    final RecordCodec codec = new RecordCodec(new ClusterKey(new byte[32], new SecureRandom()));
    final Map<String, byte[]> kv = new LinkedHashMap<>();
    int writes;
    /** The size of each transaction, in order. */
    final List<Integer> transactions = new java.util.ArrayList<>();
    /** When set, writes are held (as etcd's answers in flight are) until {@link #answer} applies them. */
    boolean deferred;
    final List<Held> held = new java.util.ArrayList<>();
    int mostHeldForOneKey;

    record Held(String key, Runnable apply, CompletableFuture<Boolean> answer) {}

    private CompletableFuture<Boolean> write(String key, Runnable apply) {
      writes++;
      if (!deferred) {
        apply.run();
        return CompletableFuture.completedFuture(true);
      }
      CompletableFuture<Boolean> f = new CompletableFuture<>();
      held.add(new Held(key, apply, f));
      mostHeldForOneKey = Math.max(mostHeldForOneKey, (int) held.stream().filter(h -> h.key().equals(key)).count());
      return f;
    }

    /** Applies and answers the held writes newest first: the order concurrent gRPC calls may take in etcd. */
    void answerNewestFirst() {
      List<Held> now = new java.util.ArrayList<>(held);
      held.clear();
      java.util.Collections.reverse(now);
      for (Held h : now) {
        h.apply().run();
        h.answer().complete(true);
      }
    }

    Store(InetAddress vip) {
      this.vip = vip;
    }

    @Override
    public boolean isVip(InetAddress a) {
      return a.equals(vip);
    }

    @Override
    public boolean activeFor(InetAddress v) {
      return active && v.equals(vip);
    }

    /** One transaction: each write kept (or held) as etcd would; {@link #transactions} records its size. */
    @Override
    public CompletableFuture<Boolean> writeAll(InetAddress v, List<RecordWrite> ws) {
      transactions.add(ws.size());
      List<CompletableFuture<Boolean>> each = new java.util.ArrayList<>();
      for (RecordWrite w : ws) {
        String key = KeyLayout.record(v, w.record());
        byte[] value = w.put() ? codec.encode(w.record(), key) : null;
        each.add(write(key, () -> {
          if (value != null) {
            kv.put(key, value);
          } else {
            kv.remove(key);
          }
        }));
      }
      return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
          .thenApply(x -> each.stream().allMatch(CompletableFuture::join));
    }

    List<SaRecord> records() throws Exception {
      List<SaRecord> out = new java.util.ArrayList<>();
      for (var e : kv.entrySet()) {
        out.add(codec.decode(e.getValue(), e.getKey()));
      }
      return out;
    }

    <T> List<T> records(Class<T> type) throws Exception {
      return records().stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  private static TwoPlutos up(Store store, Map<String, String> conn) throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", conn);
    t.add(t.east, "west-east", conn);
    Publisher p = new Publisher(store, t.loop, 65536);
    lastPublisher = p;
    t.east.pluto.engine().setReplication(p);
    p.attach(t.east.backend);
    return t;
  }

  /** West initiates conn west-east to east, which publishes into {@code store}; the loop run to quiet. */
  private static TwoPlutos initiated(Store store) throws Exception {
    TwoPlutos t = up(store, TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.runPending();
    return t;
  }

  @Test
  void establishedSasArePublishedWithTheEnginesSpisKeysAndMessageIds() throws Exception {
    Store store = new Store(InetAddress.getByName(TwoPlutos.EAST));
    TwoPlutos t = initiated(store);
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);
    ChildSa ec = e.children().get(0);
    IkeSaRecord ike = store.records(IkeSaRecord.class).get(0);
    ChildSaRecord child = store.records(ChildSaRecord.class).get(0);
    assertEquals(2, store.records().size(), store.kv.keySet().toString());
    assertEquals(e.spiI(), ike.ref().spis().initiator());
    assertEquals(e.spiR(), ike.ref().spis().responder());
    assertEquals(IkeRole.ORIGINAL_RESPONDER, ike.ref().role());
    assertEquals("west-east", ike.ref().conn());
    assertArrayEquals(e.keys().skD().bytes(), ike.keys().skD().bytes());
    assertArrayEquals(e.keys().skEr().bytes(), ike.keys().skEr().bytes());
    assertEquals(e.expectedRequestId(), ike.messageIds().nextExpectedRequest());
    assertEquals(e.nextRequestId(), ike.messageIds().nextSendRequest());
    assertEquals(2, ike.messageIds().nextExpectedRequest(), "IKE_SA_INIT and IKE_AUTH seen");
    assertEquals(TwoPlutos.WEST + ":500", ike.peers().remote().toString());
    assertEquals(ec.inboundSpi(), child.ref().spis().inbound());
    assertEquals(ec.outboundSpi(), child.ref().spis().outbound());
    assertEquals(e.spiR(), child.ref().parent().responder());
    assertArrayEquals(ec.encOut().bytes(), child.keys().outboundEnc().bytes());
    assertArrayEquals(ec.encIn().bytes(), child.keys().inboundEnc().bytes());
    assertEquals("192.0.2.0/24 -> 192.0.1.0/24", child.selectors().local().get(0).toString());
    assertTrue(child.outboundSeqHighWater() >= 65536, "a reservation ahead of the kernel's counter");
  }

  @Test
  void anIkeRekeyReplacesTheRecordAndMovesTheChildAndADeleteRemovesAll() throws Exception {
    Store store = new Store(InetAddress.getByName(TwoPlutos.EAST));
    Map<String, String> c = TwoPlutos.conn("ikelifetime", "120s", "rekeymargin", "20s", "rekeyfuzz", "0%");
    TwoPlutos t = up(store, c);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    long oldSpiI = store.records(IkeSaRecord.class).get(0).ref().spis().initiator();
    t.loop.advance(Duration.ofSeconds(101));
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);
    List<IkeSaRecord> ikes = store.records(IkeSaRecord.class);
    assertEquals(1, ikes.size(), "the old IKE SA's record is deleted");
    assertEquals(e.spiI(), ikes.get(0).ref().spis().initiator());
    assertTrue(e.spiI() != oldSpiI);
    assertEquals(e.spiI(), store.records(ChildSaRecord.class).get(0).ref().parent().initiator(),
        "the Child SA's record names its new parent");
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    t.loop.runPending();
    assertEquals(List.of(), store.records(), "nothing left for a standby to take over");
  }

  @Test
  void theWarmCopyBecomesAResumeWithTheOutboundSequencePastTheReservation() throws Exception {
    Store store = new Store(InetAddress.getByName(TwoPlutos.EAST));
    TwoPlutos t = initiated(store);
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);
    ChildSa ec = e.children().get(0);
    long highWater = store.records(ChildSaRecord.class).get(0).outboundSeqHighWater();
    var plan = new org.openswanj.cluster.takeover.TakeoverPlanner(65536).plan(store.records());
    List<org.openswanj.pluto.ikev2.Resume.Ike> resumes = Takeover.of(plan);
    assertEquals(1, resumes.size());
    var r = resumes.get(0);
    assertEquals(e.spiI(), r.spiI());
    assertEquals(e.spiR(), r.spiR());
    assertEquals(e.local(), r.local());
    assertEquals(e.remote(), r.remote());
    assertEquals(e.algs(), r.algs());
    assertArrayEquals(e.keys().skAr().bytes(), r.keys().skAr().bytes());
    assertEquals(e.expectedRequestId(), r.expectedRequestId());
    // west (a pluto on the none backend) announced RFC 6311 with §5.2 (§6.1): the record says so and the takeover
    // syncs, offering 16 past the old node's last request; a peer without it gets the liveness probe from the
    // recorded ID
    assertEquals(org.openswanj.cluster.state.MessageIdSync.MESSAGE_ID_AND_REPLAY,
        store.records(IkeSaRecord.class).get(0).messageIds().sync());
    assertEquals(org.openswanj.pluto.ikev2.MidSync.Support.MESSAGE_ID_AND_REPLAY, r.peerSync());
    assertEquals(e.nextRequestId() + 16, r.nextRequestId());
    assertEquals("@west", r.peerId());
    var c = r.children().get(0);
    assertEquals(ec.inboundSpi(), c.inboundSpi());
    assertEquals(ec.outboundSpi(), c.outboundSpi());
    assertEquals(ec.algs(), c.algs());
    assertArrayEquals(ec.encIn().bytes(), c.encIn().bytes());
    assertEquals(ec.outboundSelectors(), c.outboundSelectors());
    assertEquals(highWater + 65536 + 1, c.firstOutboundSeq(), "RFC 4303 §3.3.3: past anything the old node sent");
    // RFC 6311 §5.2: the inbound SA starts a margin past the published inbound reservation (none counts no packets)
    long inboundHighWater = store.records(ChildSaRecord.class).get(0).inboundSeqHighWater();
    assertEquals(65536, inboundHighWater, "the packets received (none) plus the reservation");
    assertEquals(inboundHighWater + 65536 + 1, c.inboundFloor());
  }

  /**
   * An SA established and deleted while etcd has answered none of its writes (the handshake bench does this
   * hundreds of times a second): etcd may apply concurrent calls in any order, so a record's delete must not be
   * sent before its put is answered, or the put lands last and a standby later takes over a dead SA.
   */
  @Test
  void aRecordsWritesAreNotReorderedWhenEtcdAnswersOutOfOrder() throws Exception {
    Store store = new Store(InetAddress.getByName(TwoPlutos.EAST));
    store.deferred = true;
    TwoPlutos t = initiated(store);
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    t.loop.runPending();
    assertEquals(0, t.east.pluto.engine().ikeSas().size(), "east deleted the SAs");
    for (int i = 0; i < 20 && !store.held.isEmpty(); i++) {
      store.answerNewestFirst();
      t.loop.runPending();
    }
    assertEquals(List.of(), store.held);
    assertEquals(1, store.mostHeldForOneKey, "one write per record in flight at a time");
    // while each record's first put was unanswered, its later states (message counters moved by the Delete
    // exchange, then the delete) replaced one another: one put and one delete per record reach etcd
    assertEquals(4, store.writes, "an IKE and a Child SA put and deleted, the states between superseded");
    assertTrue(publisher(t).summary().matches(".*etcd writes: 4 done, 0 refused \\(not active\\), 0 failed, [1-9][0-9]* "
        + "superseded; [1-9][0-9]* transactions"), publisher(t).summary());
    assertEquals(List.of(), store.records(), "nothing left for a standby to take over");
  }

  /**
   * The IKE SA and its first Child SA go to etcd in one transaction, and so do their deletes: one round trip and
   * one raft entry each instead of two (the cluster's handshake rate is bound by what each write costs).
   */
  @Test
  void anIkeSaAndItsChildSaShareOneTransactionWhenPublishedAndWhenDeleted() throws Exception {
    Store store = new Store(InetAddress.getByName(TwoPlutos.EAST));
    TwoPlutos t = initiated(store);
    assertEquals(2, store.records().size());
    assertEquals(2, store.transactions.get(0), "IKE_AUTH: the IKE SA and its Child SA together " + store.transactions);
    int before = store.transactions.size();
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    t.loop.runPending();
    assertEquals(List.of(), store.records(), "both deleted");
    assertTrue(store.transactions.subList(before, store.transactions.size()).contains(2),
        "the two deletes in one transaction: " + store.transactions);
  }

  /** The publisher {@link #up} attached to east (tests in a class run one at a time). */
  private static Publisher lastPublisher;

  private static Publisher publisher(TwoPlutos t) {
    return lastPublisher;
  }

  @Test
  void aStandbyPublishesNothing() throws Exception {
    Store store = new Store(InetAddress.getByName(TwoPlutos.EAST));
    store.active = false;
    TwoPlutos t = initiated(store);
    assertEquals(1, t.east.pluto.engine().ikeSas().size());
    assertEquals(0, store.writes);
  }

  @Test
  void anAddressOutsideTheClusterIsNotPublished() throws Exception {
    Store store = new Store(InetAddress.getByName("192.0.2.200"));
    TwoPlutos t = initiated(store);
    assertEquals(0, store.writes);
  }
}
