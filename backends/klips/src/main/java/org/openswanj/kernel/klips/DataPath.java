package org.openswanj.kernel.klips;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.klips.net.MessageBatch;
import org.openswanj.kernel.klips.net.PacketSocket;
import org.openswanj.kernel.klips.net.SockAddr;
import org.openswanj.kernel.klips.net.TcpCoalescer;
import org.openswanj.kernel.klips.net.TsoSegmenter;
import org.openswanj.kernel.klips.net.UdpGsoBatch;

/**
 * The user-space ESP data path: run to completion, one thread per input queue, batched system calls.
 *
 * <pre>
 * outbound, one thread per ipsecN TUN queue (IFF_MULTI_QUEUE; the kernel hashes each flow to one queue):
 *   read up to BATCH packets (non-blocking after the first; TCP arrives as 64 KB TSO super-packets, cut into
 *   MTU-sized segments by TsoSegmenter) --> per packet: eroute lookup, SA sequence number, ESP encrypt
 *   (OutboundStage; IPv4 fragments for a transport-mode SA wait in the Reassembly table all outbound threads share
 *   until their datagram is whole, which is sealed as one packet) --> sendmmsg in batches of up to BATCH on the SA's
 *   raw ESP socket, in read order
 *   (ESP-in-UDP goes out through pluto's port-4500 socket, its descriptor used natively: runs of equal-sized
 *   packets to one peer as one UDP GSO send each, UdpGsoBatch; a reassembled datagram's ESP goes alone). Neither
 *   socket sets IP_HDRINCL or IP_MTU_DISCOVER: an ESP packet longer than the route's MTU is fragmented by the kernel
 *   after ESP (RFC 4303 §3.3.5), as XFRM does
 * inbound, one thread per raw ESP socket (IPv4, IPv6):
 *   recvmmsg up to BATCH datagrams --> per packet: SPI lookup, ESN inference (ESN SAs only), replay
 *   pre-check, ICV check and decrypt, replay window update, selector check (InboundStage) --> TcpCoalescer
 *   merges consecutive TCP segments of a flow (GRO) --> write to ipsecN, flushed at the end of each batch
 * inbound ESP-in-UDP: run to completion on pluto's port-4500 receive thread (it takes the datagrams in batches,
 *   coalesced by the kernel's UDP GRO and split again by segment size): each is copied into that thread's slot
 *   and runs the same InboundStage; the TcpCoalescer is flushed when pluto says the batch ended.
 * </pre>
 *
 * I/O goes through {@link org.openswanj.kernel.klips.net.TunQueues} and
 * {@link org.openswanj.kernel.klips.net.PacketSocket} (the Linux TUN device and raw sockets, or the in-memory
 * fakes of {@link org.openswanj.kernel.klips.net.MemoryNet} in tests).
 *
 * <p>Threading contract: each thread owns its batch of {@link Element}s (direct buffers allocated once, plus the
 * cipher's per-thread heap scratch arrays: no allocation per packet on the IPsec path apart from the JCE's small
 * parameter objects) and keeps its input's
 * order to the output. Threads share only the copy-on-write tables, the SAs' atomic counters and their
 * synchronized replay windows. Two threads may serve one SA (two TUN queues; raw and UDP input): the SA's
 * atomic sequence counter keeps numbers unique, and the window is re-checked after decryption, so replay
 * protection holds; per-flow order holds because a flow stays on one queue. On two cores this beats the
 * former reader/worker/sender hand-offs (three context switches per packet) by far.
 */
final class DataPath implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(DataPath.class);
  static final int BATCH = 64;
  private static final int POLL_MILLIS = 200;
  /** A TCP super-packet from the TUN device (TSO, up to 64 KB) plus its virtio header. */
  static final int SUPER_PACKET = 65536 + TsoSegmenter.VNET_HDR;

  /** What the data path asks of the backend. */
  interface Tables {
    Eroute[] eroutes();

    SaState inbound(int spi);

    void acquire(Eroute eroute, ByteBuffer packet, int off, int len);

    void expire(SaState sa, boolean hard);

    void mapping(SaState sa, InetSocketAddress peer);

    void sendUdp(SaState sa, ByteBuffer esp) throws IOException;

    /** The descriptor of the UDP socket {@code sa}'s ESP in UDP leaves from, for batched sends; -1 if there is none. */
    default int udpFd(SaState sa) {
      return -1;
    }
  }

  private final Tables tables;
  private final LongSupplier epochSeconds;
  final Counters counters = new Counters();
  /** IPv4 fragments for transport-mode SAs, shared by the outbound threads (a datagram's may reach two queues). */
  final Reassembly reassembly = new Reassembly(Element.MAX_PACKET, System::nanoTime, counters);
  private final OutboundStage out;
  private final InboundStage in;
  /** Owned by the one thread that hands over ESP in UDP (pluto's receive thread, see {@link #receiveUdp}). */
  private final Element udpSlot = new Element();
  private final TcpCoalescer udpGro = new TcpCoalescer();
  private final Element injectSlot = new Element();
  private final MessageBatch injectBatch = new MessageBatch(1);
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  /** UDP GSO for ESP in UDP, until the kernel refuses it once (then off for the rest of the run). */
  private volatile boolean gso = true;

  DataPath(Tables tables, LongSupplier epochSeconds) {
    this.tables = tables;
    this.epochSeconds = epochSeconds;
    this.out = new OutboundStage(tables, counters, epochSeconds, reassembly);
    this.in = new InboundStage(tables, counters);
  }

  private void start(String name, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (RuntimeException e) {
        LOG.error("{} stopped: {}", name, e.toString(), e);
      }
    }, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /** Starts one thread per TUN queue of {@code ifc}, reading what is routed into it until closed. */
  void startTunReader(IpsecInterface ifc) {
    for (int q = 0; q < ifc.tun.queues(); q++) {
      int queue = q;
      start("klips-out-" + ifc.name + "-" + q, () -> outboundLoop(ifc, queue));
    }
  }

  private void outboundLoop(IpsecInterface ifc, int queue) {
    TunReader reader = new TunReader(ifc);
    while (running) {
      for (int reads = 0; reads < BATCH; reads++) {
        int n;
        try {
          n = ifc.tun.read(queue, reader.address, SUPER_PACKET, reads == 0 ? POLL_MILLIS : 0);
        } catch (IOException ex) {
          LOG.warn("{}: {}", ifc.name, ex.getMessage());
          break;
        }
        if (n < 0) {
          return;
        }
        if (n == 0) {
          break;
        }
        reader.process(n);
      }
      reader.flush();
    }
  }

  /** A reader of {@code ifc}'s outbound packets that runs on the caller's thread (the outbound fuzz target). */
  TunReader tunReader(IpsecInterface ifc) {
    return new TunReader(ifc);
  }

  /**
   * What one outbound thread owns: the buffer a TUN read fills, the TSO segmenter and the send queue. The
   * thread (or a test, on its own thread) reads into {@link #buffer}, calls {@link #process} per read and
   * {@link #flush} at the end of a batch of reads. Not thread-safe.
   */
  final class TunReader {
    /** One read: the virtio header, then the packet (a TCP super-packet up to 64 KB). */
    final ByteBuffer buffer = ByteBuffer.allocateDirect(SUPER_PACKET).order(java.nio.ByteOrder.BIG_ENDIAN);
    final long address = org.openswanj.kernel.klips.net.Libc.address(buffer);
    private final IpsecInterface ifc;
    private final TsoSegmenter segmenter = new TsoSegmenter(Element.MAX_PACKET);
    private final SendQueue q = new SendQueue();

    private TunReader(IpsecInterface ifc) {
      this.ifc = ifc;
    }

    /** The {@code n} bytes read into {@link #buffer}: cut into packets, each run through the eroutes, ESP queued. */
    void process(int n) {
      int packets = segmenter.begin(buffer, n);
      if (packets < 0) {
        counters.malformed.incrementAndGet();
      }
      for (int i = 0; i < packets; i++) {
        Element e = q.next();
        e.clear.position(0).limit(segmenter.segment(i, e.clear));
        if (out.process(e, ifc) == OutboundStage.Verdict.SEND) {
          q.commit(e);
        }
      }
    }

    /** Sends what is queued: the end of a batch of reads. */
    void flush() {
      q.flush();
    }
  }

  /**
   * One outbound thread's batch of ESP packets waiting for sendmmsg, in the order they were read: raw ESP for one
   * raw socket, or ESP-in-UDP for one UDP socket and peer (sent as GSO runs). A packet for another socket or peer,
   * or a full batch, flushes what is queued first. ESP-in-UDP without a native socket (the tests' fakes) leaves at
   * once.
   */
  private final class SendQueue {
    private final Element[] batch = Element.batch(BATCH);
    private final MessageBatch msgs = new MessageBatch(BATCH);
    private final UdpGsoBatch udp = new UdpGsoBatch(BATCH);
    private int ready;
    /** Where the queued packets go: a raw socket, or (socket null) the UDP socket {@code udpFd} to {@code udpPeer}. */
    private PacketSocket socket;
    private int udpFd = -1;
    private SockAddr udpPeer;
    /** The last SA whose UDP descriptor was looked up in this batch, and that descriptor. */
    private SaState fdSa;
    private int fdOfSa = -1;

    /** The free slot to fill next (the same one again until it is committed). */
    Element next() {
      Element e = batch[ready];
      e.reset();
      return e;
    }

    void commit(Element e) {
      PacketSocket raw = e.sa.rawSender;
      int fd = -1;
      SockAddr peer = null;
      if (raw == null) {
        // the descriptor once per SA and batch, not per packet
        fd = e.sa == fdSa ? fdOfSa : tables.udpFd(e.sa);
        fdSa = e.sa;
        fdOfSa = fd;
        if (fd < 0) {
          sendUdp(e);
          return;
        }
        peer = e.sa.encapPeerNative;
      }
      if (ready > 0 && (raw != socket || fd != udpFd || peer != udpPeer)) {
        int at = ready; // e's slot: it moves to the front once the others are sent
        flush();
        batch[at] = batch[0];
        batch[0] = e;
      }
      socket = raw;
      udpFd = fd;
      udpPeer = peer;
      if (++ready == BATCH) {
        flush();
      }
    }

    void flush() {
      if (ready > 0 && socket != null) {
        DataPath.this.flush(socket, batch, msgs, ready);
      } else if (ready > 0) {
        flushUdp(udpFd, udpPeer, batch, udp, ready);
      }
      ready = 0;
      socket = null;
      udpFd = -1;
      udpPeer = null;
      fdSa = null;
    }
  }

  private void flush(PacketSocket socket, Element[] batch, MessageBatch msgs, int count) {
    for (int i = 0; i < count; i++) {
      Element e = batch[i];
      msgs.set(i, e.wireAddress, e.wire.remaining(), e.sa.rawPeer);
    }
    int refused = socket.sendBatch(msgs, count);
    counters.sendErrors.addAndGet(refused);
    out.sent(batch, count); // counted as sent; refusals are rare (no route)
  }

  /** ESP-in-UDP to one peer: runs of equal-sized packets go as one UDP GSO send each while the kernel takes them. */
  private void flushUdp(int fd, SockAddr peer, Element[] batch, UdpGsoBatch udp, int count) {
    for (int i = 0; i < count; i++) {
      udp.add(batch[i].wireAddress, batch[i].wire.remaining(), batch[i].reassembled);
    }
    boolean withGso = gso;
    int refused = udp.send(fd, peer, withGso);
    if (withGso && udp.gsoRefused()) {
      gso = false;
      LOG.warn("klips: the kernel refused UDP GSO (UDP_SEGMENT) for ESP in UDP; sending one datagram per message from now on");
    }
    counters.sendErrors.addAndGet(refused);
    out.sent(batch, count);
  }

  private void sendUdp(Element e) {
    try {
      tables.sendUdp(e.sa, e.wire);
      out.sent(e);
    } catch (IOException ex) {
      counters.sendErrors.incrementAndGet();
    }
  }

  /** Starts a thread receiving raw ESP (IP protocol 50) until closed. IPv4 raw sockets deliver the IP header first. */
  void startRawReceiver(PacketSocket socket) {
    start(socket.ipv6() ? "klips-esp6" : "klips-esp4", () -> inboundLoop(socket));
  }

  private void inboundLoop(PacketSocket socket) {
    RawReader reader = new RawReader(socket.ipv6());
    while (running) {
      int n;
      try {
        n = reader.receive(socket, POLL_MILLIS);
      } catch (IOException ex) {
        LOG.warn("raw ESP receive: {}", ex.getMessage());
        continue;
      }
      if (n < 0) {
        return;
      }
      reader.process(n);
    }
  }

  /** A reader of raw ESP that runs on the caller's thread (the inbound fuzz target hands it reads of its own). */
  RawReader rawReader(boolean ipv6) {
    return new RawReader(ipv6);
  }

  /**
   * What one raw ESP receive thread owns: its batch of slots, the recvmmsg headers pointing at them and its TCP
   * coalescer. The thread (or a test, on its own thread) calls {@link #receive}, then {@link #process} on what came.
   * Not thread-safe.
   */
  final class RawReader {
    private final boolean ipv6;
    private final Element[] batch = Element.batch(BATCH);
    private final MessageBatch msgs = new MessageBatch(BATCH);
    private final TcpCoalescer gro = new TcpCoalescer();

    private RawReader(boolean ipv6) {
      this.ipv6 = ipv6;
      for (int i = 0; i < BATCH; i++) {
        msgs.set(i, batch[i].wireAddress, Element.BUFFER, null);
      }
    }

    /** Receives a batch from {@code socket} into the slots: how many datagrams, 0 on timeout, -1 once closed. */
    int receive(PacketSocket socket, int timeoutMillis) throws IOException {
      return socket.receiveBatch(msgs, BATCH, timeoutMillis);
    }

    /** Decrypts and delivers the {@code n} datagrams received, then flushes the coalescer: one batch. */
    void process(int n) {
      long now = epochSeconds.getAsLong(); // once per batch, not per packet
      for (int i = 0; i < n; i++) {
        Element e = batch[i];
        e.reset();
        int len = msgs.length(i);
        int skip = ipv6 ? 0 : espOffset(e.wire, len);
        if (skip < 0) {
          counters.malformed.incrementAndGet();
          continue;
        }
        e.espOffset = skip;
        e.espLength = len - skip;
        in.process(e, gro, now);
      }
      flushGro(gro);
    }
  }

  /**
   * Where ESP starts in an IPv4 raw socket's read (the IP header first), or -1 unless the read holds one whole
   * header of an unfragmented ESP datagram exactly as long as the read (RFC 791 §3.1: version 4, IHL 5 to 15
   * words, total length, protocol 50). The kernel checked all this before; a read it cut short (MSG_TRUNC) or
   * anything else is still no ESP to look into.
   */
  static int espOffset(ByteBuffer b, int len) {
    if (len < 20 || (b.get(0) & 0xf0) != 0x40) {
      return -1;
    }
    int ihl = (b.get(0) & 0x0f) * 4;
    boolean fragment = (b.getShort(6) & 0x3fff) != 0; // MF or an offset: the kernel delivers datagrams reassembled
    boolean esp = (b.get(9) & 0xff) == IpsecProto.ESP.ipProtocol();
    if (ihl < 20 || ihl > len || (b.getShort(2) & 0xffff) != len || !esp || fragment) {
      return -1;
    }
    return ihl;
  }

  /**
   * ESP-in-UDP handed over by pluto (RFC 3948 §2.2: no non-ESP marker), decrypted and delivered on the caller's
   * thread. Called from one thread at a time, which calls {@link #udpBatchEnd} after each batch (TCP segments are
   * held for merging until then).
   */
  void receiveUdp(InetSocketAddress from, ByteBuffer esp) {
    if (esp.remaining() == 1 && esp.get(esp.position()) == (byte) 0xff) {
      return; // RFC 3948 §2.3 NAT-keepalive
    }
    if (esp.remaining() > Element.BUFFER) {
      counters.malformed.incrementAndGet();
      return;
    }
    Element e = udpSlot;
    e.reset();
    e.wire.put(esp.duplicate());
    e.espOffset = 0;
    e.espLength = e.wire.position();
    e.udpFrom = from;
    in.process(e, udpGro, epochSeconds.getAsLong());
  }

  /** The end of a batch of {@link #receiveUdp}: what the TCP coalescer holds goes to ipsecN. */
  void udpBatchEnd() {
    flushGro(udpGro);
  }

  private void flushGro(TcpCoalescer gro) {
    try {
      gro.flush();
    } catch (IOException ex) {
      counters.sendErrors.incrementAndGet();
    }
  }

  /** Re-runs a held packet through the eroute table (its %trap was replaced), on the caller's thread. */
  synchronized void inject(byte[] packet, IpsecInterface ifc) {
    Element e = injectSlot;
    e.reset();
    e.clear.put(packet).flip();
    if (out.process(e, ifc) != OutboundStage.Verdict.SEND) {
      return;
    }
    if (e.sa.rawSender == null) {
      sendUdp(e);
    } else {
      flush(e.sa.rawSender, new Element[] {e}, injectBatch, 1);
    }
  }

  static Eroute lookup(Eroute[] table, ByteBuffer b, int len) {
    for (Eroute r : table) {
      if (r.selector().matches(b, 0, len)) {
        return r;
      }
    }
    return null;
  }

  /** RFC 4301 §4.4.2.1: soft then hard byte lifetimes, each raised once. */
  static void checkBytes(Tables tables, SaState sa) {
    org.openswanj.kernel.Lifetime l = sa.spec.lifetime();
    long b = sa.bytes.get();
    if (l.softBytes() > 0 && b >= l.softBytes() && sa.softExpired.compareAndSet(false, true)) {
      tables.expire(sa, false);
    }
    if (l.hardBytes() > 0 && b >= l.hardBytes() && sa.hardExpired.compareAndSet(false, true)) {
      tables.expire(sa, true);
    }
  }

  /** Stops every thread (each notices within its poll interval); the caller closes the fds afterwards. */
  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
