package org.openswanj.pluto.daemon.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
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
import org.openswanj.pluto.ikev1.IsakmpSa;
import org.openswanj.pluto.ikev1.QuickSa;
import org.openswanj.pluto.ikev1.V1Replication;

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
public final class Publisher implements SaReplication, V1Replication {
  private static final Duration SEQ_CHECK = Duration.ofSeconds(1);

  private final Membership service;
  private final EventLoop loop;
  private final long reservation;
  private KernelBackend backend;
  /** The IKE SAs (IKEv2) and ISAKMP SAs (IKEv1) published, by the engine's SA. */
  private final Map<Object, SaRecord> ikes = new IdentityHashMap<>();
  /** The Child SAs (IKEv2) and IPsec SAs (IKEv1) published, by the engine's SA. */
  private final Map<Object, Published> children = new IdentityHashMap<>();
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
    publishEsp(child, vip, () -> esp(child));
  }

  /** A Child SA or IPsec SA installed: its record with reservations past the kernel's counts. */
  private void publishEsp(Object sa, InetAddress vip, java.util.function.Supplier<Esp> view) {
    Esp esp = view.get();
    ChildSaRecord r = childRecord(esp, outboundPackets(esp) + reservation, inboundPackets(esp) + reservation);
    children.put(sa, new Published(view, r));
    write(vip, r, true);
  }

  @Override
  public void ikeGone(IkeSa sa) {
    gone(ikes.remove(sa), vipOf(sa.local()));
  }

  @Override
  public void childGone(ChildSa child) {
    espGone(child, child.parent().local());
  }

  private void espGone(Object sa, InetSocketAddress local) {
    Published p = children.remove(sa);
    gone(p == null ? null : p.record(), vipOf(local));
  }

  private void gone(SaRecord r, InetAddress vip) {
    if (r != null && vip != null) {
      write(vip, r, false);
    }
  }

  // ---- V1Replication, on the loop ----

  @Override
  public void isakmpEstablished(IsakmpSa sa) {
    InetAddress vip = vipOf(sa.local());
    if (vip == null || sa.keys() == null || sa.established() == null) {
      return;
    }
    SaRecord r = V1Records.isakmp(sa);
    ikes.put(sa, r);
    write(vip, r, true);
  }

  @Override
  public void ipsecInstalled(QuickSa q) {
    InetAddress vip = vipOf(q.parent().local());
    if (vip == null || q.encOut() == null || !q.installed()) {
      return;
    }
    if (!ikes.containsKey(q.parent())) {
      isakmpEstablished(q.parent());
    }
    publishEsp(q, vip, () -> V1Records.esp(q));
  }

  @Override
  public void isakmpGone(IsakmpSa sa) {
    gone(ikes.remove(sa), vipOf(sa.local()));
  }

  @Override
  public void ipsecGone(QuickSa q) {
    espGone(q, q.parent().local());
  }

  /** The SA's virtual address if it is one of the cluster's and we are active for it, else null. */
  private InetAddress vipOf(InetSocketAddress l) {
    if (l == null || !service.isVip(l.getAddress())) {
      return null;
    }
    return service.activeFor(l.getAddress()) ? l.getAddress() : null;
  }

  private InetAddress vipOf(IkeSa sa) {
    return vipOf(sa.local());
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
    for (Map.Entry<Object, Published> e : children.entrySet()) {
      Esp c = e.getValue().esp().get();
      long used = outboundPackets(c);
      long received = inboundPackets(c);
      ChildSaRecord was = e.getValue().record();
      if (used > was.outboundSeqHighWater() - reservation / 2
          || received > was.inboundSeqHighWater() - reservation / 2) {
        InetAddress vip = vipOf(c.local());
        if (vip != null) {
          ChildSaRecord r = childRecord(c, used + reservation, received + reservation);
          e.setValue(new Published(e.getValue().esp(), r));
          write(vip, r, true);
        }
      }
    }
  }

  /**
   * An installed ESP SA pair of either engine (an IKEv2 Child SA, an IKEv1 IPsec SA) as its record needs it, read
   * afresh from the engine's SA each time (a NAT mapping may move its ports): where the kernel counts its packets
   * and where its numbers started.
   *
   * @param parent the SPIs (IKEv2) or cookies (IKEv1) of the SA that keys it
   * @param encapsulated UDP encapsulation (RFC 3948) between {@code local} and {@code remote}
   * @param keys in, in-integrity, out, out-integrity; integrity null for AEAD
   * @param inboundSeqBase where the peer's numbers on the inbound SA started (RFC 6311 §5.2 after a takeover), else 0
   */
  record Esp(org.openswanj.pluto.conn.Connection conn, IkeSpis parent, InetSocketAddress local,
      InetSocketAddress remote, boolean encapsulated, int reqid, int inboundSpi, int outboundSpi,
      org.openswanj.pluto.conn.ProposalPolicy.EspChoice algs, boolean transport,
      List<org.openswanj.kernel.Selector> outboundSelectors, List<SecretKey> keys, Instant established,
      EventLoop.Timer replaceTimer, long firstOutboundSeq, long inboundSeqBase) {
    @Override
    public String toString() {
      return String.format("Esp[in=0x%08x out=0x%08x]", inboundSpi, outboundSpi);
    }
  }

  private record Published(java.util.function.Supplier<Esp> esp, ChildSaRecord record) {}

  /** An IKEv2 Child SA as an {@link Esp}. */
  private static Esp esp(ChildSa c) {
    IkeSa sa = c.parent();
    return new Esp(sa.conn(), new IkeSpis(sa.spiI(), sa.spiR()), sa.local(), sa.remote(), sa.natDetected(), c.reqid(),
        c.inboundSpi(), c.outboundSpi(), c.algs(), c.transport(), c.outboundSelectors(),
        java.util.Arrays.asList(c.encIn(), c.integIn(), c.encOut(), c.integOut()), c.established(), c.replaceTimer(),
        c.firstOutboundSeq(), c.inboundSeqBase());
  }

  /**
   * How far the peer's numbers on the inbound SA may have come: the packets received on it past where they started
   * ({@link Esp#inboundSeqBase}). A count, not the highest number seen: packets lost on the way are not in it,
   * the reservation covers them (RFC 6311 §5.2 is what the new node does with it).
   */
  private long inboundPackets(Esp c) {
    long base = c.inboundSeqBase();
    if (backend == null) {
      return base;
    }
    try {
      long n = backend.querySa(new SaId(c.remote().getAddress(), c.local().getAddress(), c.inboundSpi(),
          IpsecProto.ESP)).packets();
      return base > Long.MAX_VALUE - n ? Long.MAX_VALUE : base + n;
    } catch (KernelException ex) {
      return base;
    }
  }

  /** Packets sent on the outbound SA so far (its last ESP sequence number, RFC 4303 §3.3.3). */
  private long outboundPackets(Esp c) {
    if (backend == null) {
      return c.firstOutboundSeq() - 1;
    }
    try {
      return c.firstOutboundSeq() - 1 + backend.querySa(new SaId(c.local().getAddress(), c.remote().getAddress(),
          c.outboundSpi(), IpsecProto.ESP)).packets();
    } catch (KernelException ex) {
      return c.firstOutboundSeq() - 1;
    }
  }

  // ---- records from the engine's SAs ----

  static IkeSaRecord ikeRecord(IkeSa sa) {
    var a = sa.algs();
    var k = sa.keys();
    NatState nat = V1Records.natState(sa.natLocal(), sa.natRemote());
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
    return childRecord(esp(c), highWater, inboundHighWater);
  }

  static ChildSaRecord childRecord(Esp c, long highWater, long inboundHighWater) {
    var a = c.algs();
    UdpEncap udp = c.encapsulated() ? new UdpEncap(c.local().getPort(), c.remote().getPort()) : null;
    ChildAlgorithms algs = new ChildAlgorithms(a.enc(), a.keyBits(), a.integ(),
        c.transport() ? IpsecMode.TRANSPORT : IpsecMode.TUNNEL,
        new Replay(c.conn().config().replayWindow(), false), udp);
    List<SecretKey> k = c.keys();
    ChildKeys keys = new ChildKeys(copy(k.get(0)), copy(k.get(1)), copy(k.get(2)), copy(k.get(3)));
    var sels = c.outboundSelectors();
    TrafficSelectors ts = new TrafficSelectors(sels, sels.stream().map(org.openswanj.kernel.Selector::reversed)
        .toList());
    Instant est = c.established() == null ? Instant.EPOCH : c.established();
    long rekeyAt = c.replaceTimer() == null ? 0 : Math.max(0, c.replaceTimer().due().getEpochSecond());
    SaTimes times = new SaTimes(est.getEpochSecond(), rekeyAt,
        est.getEpochSecond() + c.conn().config().saLifetime().getSeconds());
    ChildSaRef ref = new ChildSaRef(c.conn().name(), c.parent(), c.reqid(),
        new ChildSpis(c.inboundSpi(), c.outboundSpi(), IpsecProto.ESP));
    return new ChildSaRecord(ref, ts, algs, keys, times, highWater, inboundHighWater);
  }

  static Endpoint endpoint(InetSocketAddress a) {
    return new Endpoint(a.getAddress(), a.getPort());
  }

  static SecretKey key(SecretBytes b) {
    return new SecretKey(b == null ? new byte[0] : b.bytes());
  }

  static SecretKey copy(SecretKey k) {
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
