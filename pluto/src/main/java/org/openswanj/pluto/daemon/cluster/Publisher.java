package org.openswanj.pluto.daemon.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.openswanj.cluster.etcd.ClusterNode;
import org.openswanj.cluster.state.ChildAlgorithms;
import org.openswanj.cluster.state.ChildKeys;
import org.openswanj.cluster.state.ChildSaRecord;
import org.openswanj.cluster.state.ChildSaRef;
import org.openswanj.cluster.state.ChildSpis;
import org.openswanj.cluster.state.Endpoint;
import org.openswanj.cluster.state.IkeAlgorithms;
import org.openswanj.cluster.state.IkeKeys;
import org.openswanj.cluster.state.IkeMessageIds;
import org.openswanj.cluster.state.IkePeers;
import org.openswanj.cluster.state.IkeRole;
import org.openswanj.cluster.state.IkeSaRecord;
import org.openswanj.cluster.state.IkeSaRef;
import org.openswanj.cluster.state.IkeSpis;
import org.openswanj.cluster.state.MessageIdSync;
import org.openswanj.cluster.state.NatState;
import org.openswanj.cluster.state.RecordWrite;
import org.openswanj.cluster.state.SaRecord;
import org.openswanj.cluster.state.SaTimes;
import org.openswanj.cluster.state.TrafficSelectors;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.UdpEncap;
import org.openswanj.pluto.crypto.SecretBytes;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.ikev2.ChildSa;
import org.openswanj.pluto.ikev2.IkeSa;
import org.openswanj.pluto.ikev2.SaLogFacade;
import org.openswanj.pluto.ikev2.SaReplication;

/**
 * The one adapter between the IKEv2 engine's SAs and the cluster's records (docs/HA.md, "Replication"): while
 * this node is active for the SA's virtual address it publishes an {@link IkeSaRecord} when an IKE SA is
 * established, rekeyed or its message IDs move, a {@link ChildSaRecord} when a Child SA is installed, and
 * deletes them when the SAs go. Writes are etcd futures: the loop never waits; results come back through it.
 *
 * <p>Outbound sequence numbers: a Child SA's record carries a reservation, the kernel's packet count plus
 * {@code reservation}; every second the counts are read and a record is published again once its counter is
 * past half its reservation, so the counter never passes a published high-water before etcd has it. Inbound
 * likewise, from the packets received (RFC 6311 §5.2: the floor a new node's inbound SA starts from).
 */
public final class Publisher implements SaReplication {
  private static final Duration SEQ_CHECK = Duration.ofSeconds(1);

  private final Membership service;
  private final EventLoop loop;
  private final long reservation;
  private KernelBackend backend;
  private final Map<IkeSa, IkeSaRecord> ikes = new IdentityHashMap<>();
  private final Map<ChildSa, ChildSaRecord> children = new IdentityHashMap<>();
  /** Per record key, the last write issued and not yet answered (loop only); see {@link #write}. */
  private final Map<String, CompletableFuture<Void>> inFlight = new java.util.HashMap<>();
  private final Map<String, Waiting> waiting = new java.util.HashMap<>();
  /** Writes sent in this loop turn, per virtual address, until {@link #flush} (loop only). */
  private final Map<InetAddress, java.util.List<Batched>> batch = new java.util.LinkedHashMap<>();
  private boolean flushQueued;
  private long transactions;
  private long written;
  private long refused;
  private long failed;
  /** Writes replaced by a newer state of the same key before they were sent. */
  private long coalesced;
  private String lastError = "";
  private EventLoop.Timer seqTimer;

  Publisher(Membership service, EventLoop loop, long reservation) {
    this.service = service;
    this.loop = loop;
    this.reservation = reservation;
  }

  /** Where outbound packet counters are read; starts the sequence check. On the loop. */
  public void attach(KernelBackend backend) {
    this.backend = backend;
    if (seqTimer == null) {
      seqTimer = loop.schedule(SEQ_CHECK, this::checkSequences);
    }
  }

  // ---- SaReplication, on the loop ----

  @Override
  public void ikeChanged(IkeSa sa) {
    InetAddress vip = vipOf(sa);
    if (vip == null || sa.keys() == null || sa.established() == null) {
      return;
    }
    IkeSaRecord r = ikeRecord(sa);
    ikes.put(sa, r);
    write(vip, r, true);
  }

  @Override
  public void childInstalled(ChildSa child) {
    IkeSa sa = child.parent();
    InetAddress vip = vipOf(sa);
    if (vip == null || child.encOut() == null) {
      return;
    }
    if (!ikes.containsKey(sa)) {
      ikeChanged(sa); // IKE_AUTH: the IKE SA is published with its first Child SA
    }
    ChildSaRecord r = childRecord(child, outboundPackets(child) + reservation, inboundPackets(child) + reservation);
    children.put(child, r);
    write(vip, r, true);
  }

  @Override
  public void ikeGone(IkeSa sa) {
    IkeSaRecord r = ikes.remove(sa);
    InetAddress vip = vipOf(sa);
    if (r != null && vip != null) {
      write(vip, r, false);
    }
  }

  @Override
  public void childGone(ChildSa child) {
    ChildSaRecord r = children.remove(child);
    InetAddress vip = vipOf(child.parent());
    if (r != null && vip != null) {
      write(vip, r, false);
    }
  }

  /** The SA's virtual address if it is one of the cluster's and we are active for it, else null. */
  private InetAddress vipOf(IkeSa sa) {
    InetSocketAddress l = sa.local();
    if (l == null || !service.isVip(l.getAddress())) {
      return null;
    }
    return service.activeFor(l.getAddress()) ? l.getAddress() : null;
  }

  /**
   * One record's writes reach etcd in the order they were made: each waits for the answer to the previous
   * write of the same key. Concurrent gRPC calls may be applied in any order, and an SA established and deleted
   * at once (a put, then a delete) would otherwise leave the put behind: a record of a dead SA that a standby
   * takes over. Writes of different keys still run concurrently. While a key's write is in flight, only its
   * newest state waits behind it: a later put or delete replaces the one waiting (a standby needs the latest
   * state, never the ones between), so an IKE SA whose message counters moved three times and was deleted while
   * its first put was on the way costs two writes, not five.
   */
  private void write(InetAddress vip, SaRecord r, boolean put) {
    String key = vip.getHostAddress() + " " + r.keySuffix();
    // a waiting state first: between the answer to the write in flight and the loop task that sends the waiting
    // one, the key is no longer in flight, and a write sent at once then would race the older waiting one to
    // etcd (LoadClusterSmokeIT found 7 dead SAs' records left behind that way)
    Waiting w = waiting.get(key);
    if (w != null) {
      w.record = r;
      w.put = put;
      w.vip = vip;
      coalesced++;
      return;
    }
    CompletableFuture<Void> before = inFlight.get(key);
    if (before == null) {
      send(key, vip, r, put);
      return;
    }
    Waiting next = new Waiting(vip, r, put);
    waiting.put(key, next);
    before.whenComplete((x, y) -> loop.execute(() -> {
      waiting.remove(key, next);
      send(key, next.vip, next.record, next.put);
    }));
  }

  /** The newest state of a key, waiting for the key's write in flight. */
  private static final class Waiting {
    InetAddress vip;
    SaRecord record;
    boolean put;

    Waiting(InetAddress vip, SaRecord record, boolean put) {
      this.vip = vip;
      this.record = record;
      this.put = put;
    }
  }

  /**
   * The write goes out with the others made before the loop gets to {@link #flush}: an IKE SA and its first Child
   * SA, an IKE SA's records deleted together, and under load the writes of many SAs share one etcd transaction
   * (one round trip, one raft entry, one watch event for the standby). The key is in flight from now on.
   */
  private void send(String key, InetAddress vip, SaRecord r, boolean put) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    batch.computeIfAbsent(vip, v -> new java.util.ArrayList<>()).add(new Batched(new RecordWrite(r, put), f));
    if (!flushQueued) {
      flushQueued = true;
      loop.execute(this::flush);
    }
    CompletableFuture<Void> done = f.handle((ok, ex) -> null);
    inFlight.put(key, done);
    f.whenComplete((ok, ex) -> loop.execute(() -> {
      inFlight.remove(key, done);
      if (ex != null) {
        failed++;
        String why = String.valueOf(ex.getCause() != null ? ex.getCause().getMessage() : ex.getMessage());
        if (!why.equals(lastError)) {
          SaLogFacade.global("cluster: cannot write " + r.keySuffix() + " to etcd: " + why);
        }
        lastError = why;
      } else if (ok) {
        written++;
      } else {
        refused++; // not (or no longer) active: etcd refused the guarded write
      }
    }));
  }

  private record Batched(RecordWrite write, CompletableFuture<Boolean> answer) {}

  /** Sends the writes batched since the last flush: per address, transactions of up to MAX_BATCH writes. */
  private void flush() {
    flushQueued = false;
    for (Map.Entry<InetAddress, java.util.List<Batched>> e : batch.entrySet()) {
      java.util.List<Batched> all = e.getValue();
      for (int i = 0; i < all.size(); i += ClusterNode.MAX_BATCH) {
        java.util.List<Batched> part = java.util.List.copyOf(all.subList(i, Math.min(all.size(),
            i + ClusterNode.MAX_BATCH)));
        transactions++;
        CompletableFuture<Boolean> sent;
        try {
          sent = service.writeAll(e.getKey(), part.stream().map(Batched::write).toList());
        } catch (RuntimeException ex) {
          sent = CompletableFuture.failedFuture(ex);
        }
        sent.whenComplete((ok, ex) -> {
          for (Batched b : part) {
            if (ex != null) {
              b.answer().completeExceptionally(ex);
            } else {
              b.answer().complete(ok);
            }
          }
        });
      }
    }
    batch.clear();
  }

  // ---- the outbound sequence reservation ----

  private void checkSequences() {
    seqTimer = loop.schedule(SEQ_CHECK, this::checkSequences);
    for (Map.Entry<ChildSa, ChildSaRecord> e : children.entrySet()) {
      ChildSa c = e.getKey();
      long used = outboundPackets(c);
      long received = inboundPackets(c);
      if (used > e.getValue().outboundSeqHighWater() - reservation / 2
          || received > e.getValue().inboundSeqHighWater() - reservation / 2) {
        InetAddress vip = vipOf(c.parent());
        if (vip != null) {
          ChildSaRecord r = childRecord(c, used + reservation, received + reservation);
          e.setValue(r);
          write(vip, r, true);
        }
      }
    }
  }

  /**
   * How far the peer's numbers on the inbound SA may have come: the packets received on it past where they started
   * ({@link ChildSa#inboundSeqBase}). A count, not the highest number seen: packets lost on the way are not in it,
   * the reservation covers them (RFC 6311 §5.2 is what the new node does with it).
   */
  private long inboundPackets(ChildSa c) {
    long base = c.inboundSeqBase();
    if (backend == null) {
      return base;
    }
    IkeSa sa = c.parent();
    try {
      long n = backend.querySa(new SaId(sa.remote().getAddress(), sa.local().getAddress(), c.inboundSpi(),
          IpsecProto.ESP)).packets();
      return base > Long.MAX_VALUE - n ? Long.MAX_VALUE : base + n;
    } catch (KernelException ex) {
      return base;
    }
  }

  /** Packets sent on the outbound SA so far (its last ESP sequence number, RFC 4303 §3.3.3). */
  private long outboundPackets(ChildSa c) {
    if (backend == null) {
      return c.firstOutboundSeq() - 1;
    }
    IkeSa sa = c.parent();
    try {
      return c.firstOutboundSeq() - 1 + backend.querySa(new SaId(sa.local().getAddress(), sa.remote().getAddress(),
          c.outboundSpi(), IpsecProto.ESP)).packets();
    } catch (KernelException ex) {
      return c.firstOutboundSeq() - 1;
    }
  }

  // ---- records from the engine's SAs ----

  static IkeSaRecord ikeRecord(IkeSa sa) {
    var a = sa.algs();
    var k = sa.keys();
    NatState nat = sa.natLocal() && sa.natRemote() ? NatState.BOTH_BEHIND_NAT
        : sa.natLocal() ? NatState.LOCAL_BEHIND_NAT : sa.natRemote() ? NatState.REMOTE_BEHIND_NAT : NatState.NONE;
    String remoteId = sa.peerId() != null ? sa.peerId().toString() : String.valueOf(sa.conn().remoteId());
    IkePeers peers = new IkePeers(endpoint(sa.local()), endpoint(sa.remote()), String.valueOf(sa.conn().localId()),
        remoteId, nat, org.openswanj.cluster.state.FragmentState.of(sa.fragmentsAnnounced(), sa.peerFragments()));
    IkeKeys keys = new IkeKeys(key(k.skD()), key(k.skAi()), key(k.skAr()), key(k.skEi()), key(k.skEr()));
    IkeRole role = sa.originalInitiator() ? IkeRole.ORIGINAL_INITIATOR : IkeRole.ORIGINAL_RESPONDER;
    long est = sa.established().getEpochSecond();
    long rekeyAt = sa.replaceTimer() == null ? 0 : sa.replaceTimer().due().getEpochSecond();
    SaTimes times = new SaTimes(est, Math.max(0, rekeyAt), est + sa.conn().config().ikeLifetime().getSeconds());
    // RFC 6311 §6.1: what the peer announced decides how a takeover resynchronises (docs/HA.md)
    IkeMessageIds ids = new IkeMessageIds(sa.nextRequestId(), sa.expectedRequestId(), switch (sa.peerSync()) {
      case NONE -> MessageIdSync.UNSUPPORTED;
      case MESSAGE_ID -> MessageIdSync.MESSAGE_ID;
      case MESSAGE_ID_AND_REPLAY -> MessageIdSync.MESSAGE_ID_AND_REPLAY;
    });
    return new IkeSaRecord(new IkeSaRef(sa.conn().name(), new IkeSpis(sa.spiI(), sa.spiR()), role), peers,
        new IkeAlgorithms(a.enc(), a.keyBits(), a.integ(), a.prf(), a.dh()), keys, times, ids);
  }

  static ChildSaRecord childRecord(ChildSa c, long highWater, long inboundHighWater) {
    IkeSa sa = c.parent();
    var a = c.algs();
    boolean nat = sa.natDetected();
    UdpEncap udp = nat ? new UdpEncap(sa.local().getPort(), sa.remote().getPort()) : null;
    ChildAlgorithms algs = new ChildAlgorithms(a.enc(), a.keyBits(), a.integ(),
        c.transport() ? IpsecMode.TRANSPORT : IpsecMode.TUNNEL,
        new Replay(sa.conn().config().replayWindow(), false), udp);
    ChildKeys keys = new ChildKeys(copy(c.encIn()), copy(c.integIn()), copy(c.encOut()), copy(c.integOut()));
    var sels = c.outboundSelectors();
    TrafficSelectors ts = new TrafficSelectors(sels, sels.stream().map(org.openswanj.kernel.Selector::reversed)
        .toList());
    Instant est = c.established() == null ? Instant.EPOCH : c.established();
    long rekeyAt = c.replaceTimer() == null ? 0 : Math.max(0, c.replaceTimer().due().getEpochSecond());
    SaTimes times = new SaTimes(est.getEpochSecond(), rekeyAt,
        est.getEpochSecond() + sa.conn().config().saLifetime().getSeconds());
    ChildSaRef ref = new ChildSaRef(sa.conn().name(), new IkeSpis(sa.spiI(), sa.spiR()), c.reqid(),
        new ChildSpis(c.inboundSpi(), c.outboundSpi(), IpsecProto.ESP));
    return new ChildSaRecord(ref, ts, algs, keys, times, highWater, inboundHighWater);
  }

  private static Endpoint endpoint(InetSocketAddress a) {
    return new Endpoint(a.getAddress(), a.getPort());
  }

  private static SecretKey key(SecretBytes b) {
    return new SecretKey(b == null ? new byte[0] : b.bytes());
  }

  private static SecretKey copy(SecretKey k) {
    return new SecretKey(k == null ? new byte[0] : k.bytes());
  }

  /** Loop only: the records now published, for tests. */
  int publishedCount() {
    return ikes.size() + children.size();
  }

  /** One line for whack --status. */
  String summary() {
    return "published " + ikes.size() + " IKE SAs, " + children.size() + " Child SAs; etcd writes: " + written
        + " done, " + refused + " refused (not active), " + failed + " failed, " + coalesced + " superseded; "
        + transactions + " transactions"
        + (lastError.isEmpty() ? ""
        : " (last: " + lastError + ")");
  }
}
