package org.openswanj.kernel.klips;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.kernel.klips.esp.EspCodec;
import org.openswanj.kernel.klips.esp.EspException;
import org.openswanj.kernel.klips.net.IpPacket;
import org.openswanj.kernel.klips.net.RawSocket;
import org.openswanj.kernel.klips.net.SockAddr;

/**
 * The user-space ESP data path, shaped like wireguard-go's.
 *
 * <pre>
 * outbound:  ipsecN reader(s) --> [sequential: eroute lookup, SA, sequence number] --+--> work queue --> crypto workers (2, parallel)
 *                                                                                    +--> out-order queue --> sender (1): waits for each
 *                                                                                         element in turn, sends raw ESP / ESP-in-UDP
 * inbound:   raw ESP receivers, pluto's UDP 4500 --> [sequential: SPI lookup, ESN inference, replay pre-check] --+--> work queue --> workers
 *                                                                                    +--> in-order queue --> deliverer (1): replay window
 *                                                                                         update, selector check, write to ipsecN
 * </pre>
 *
 * Threading contract: the two sequential stages each run under their own lock (several readers feed
 * them), so sequence numbers follow queue order; workers run in parallel and touch only their element;
 * the sender and deliverer keep arrival order because elements enter the order queues before the work
 * queue. Elements come from a fixed pool of direct buffers (back-pressure when it is empty): no
 * allocation per packet on the IPsec path (the JCE still makes its small parameter objects).
 */
final class DataPath implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(DataPath.class);
  private static final int POOL = 256;
  private static final int POLL_MILLIS = 200;

  /** What the data path asks of the backend. */
  interface Tables {
    Eroute[] eroutes();

    SaState inbound(int spi);

    void acquire(Eroute eroute, ByteBuffer packet, int off, int len);

    void expire(SaState sa, boolean hard);

    void mapping(SaState sa, InetSocketAddress peer);

    void sendUdp(SaState sa, ByteBuffer esp) throws IOException;
  }

  private final Tables tables;
  private final LongSupplier epochSeconds;
  private final ArrayBlockingQueue<Element> pool = new ArrayBlockingQueue<>(POOL);
  private final ArrayBlockingQueue<Element> work = new ArrayBlockingQueue<>(POOL);
  private final ArrayBlockingQueue<Element> outOrder = new ArrayBlockingQueue<>(POOL);
  private final ArrayBlockingQueue<Element> inOrder = new ArrayBlockingQueue<>(POOL);
  private final Object outLock = new Object();
  private final Object inLock = new Object();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  final AtomicLong unknownSpi = new AtomicLong();
  final AtomicLong noEroute = new AtomicLong();
  final AtomicLong malformed = new AtomicLong();
  final AtomicLong shunted = new AtomicLong();
  final AtomicLong sendErrors = new AtomicLong();

  DataPath(Tables tables, LongSupplier epochSeconds, int workers) {
    this.tables = tables;
    this.epochSeconds = epochSeconds;
    for (int i = 0; i < POOL; i++) {
      pool.add(new Element());
    }
    for (int i = 0; i < workers; i++) {
      start("klips-crypto-" + i, this::workerLoop);
    }
    start("klips-send", this::senderLoop);
    start("klips-deliver", this::delivererLoop);
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

  /** Reads packets routed into {@code ifc} until closed. */
  void startTunReader(IpsecInterface ifc) {
    start("klips-read-" + ifc.name, () -> {
      while (running) {
        Element e = take();
        if (e == null) {
          return;
        }
        try {
          int n = ifc.tun.read(e.clear, e.clearAddress, 0, POLL_MILLIS);
          if (n <= 0) {
            pool.add(e);
            if (n < 0) {
              return;
            }
            continue;
          }
          e.clear.position(0).limit(n);
          outbound(e, ifc);
        } catch (IOException ex) {
          pool.add(e);
          LOG.warn("{}: {}", ifc.name, ex.getMessage());
        }
      }
    });
  }

  /** Receives raw ESP (IP protocol 50) until closed. IPv4 raw sockets deliver the IP header first. */
  void startRawReceiver(RawSocket socket) {
    start(socket.ipv6() ? "klips-esp6" : "klips-esp4", () -> {
      while (running) {
        Element e = take();
        if (e == null) {
          return;
        }
        try {
          int n = socket.receive(e.wireAddress, 0, Element.BUFFER, POLL_MILLIS);
          if (n <= 0) {
            pool.add(e);
            if (n < 0) {
              return;
            }
            continue;
          }
          int skip = socket.ipv6() ? 0 : (e.wire.get(0) & 0x0f) * 4;
          e.espOffset = skip;
          e.espLength = n - skip;
          inbound(e, null);
        } catch (IOException ex) {
          pool.add(e);
          LOG.warn("raw ESP receive: {}", ex.getMessage());
        }
      }
    });
  }

  /** ESP-in-UDP handed over by pluto (RFC 3948 §2.2: no non-ESP marker). Never blocks the caller. */
  void receiveUdp(InetSocketAddress from, ByteBuffer esp) {
    if (esp.remaining() == 1 && esp.get(esp.position()) == (byte) 0xff) {
      return; // RFC 3948 §2.3 NAT-keepalive
    }
    if (esp.remaining() > Element.BUFFER) {
      malformed.incrementAndGet();
      return;
    }
    Element e = pool.poll();
    if (e == null) {
      return; // overloaded: drop rather than stall pluto's loop
    }
    e.reset();
    e.wire.put(esp.duplicate());
    e.espOffset = 0;
    e.espLength = e.wire.position();
    inbound(e, from);
  }

  /** Re-runs a held packet through the eroute table (its %trap was replaced). */
  void inject(byte[] packet, IpsecInterface ifc) {
    Element e = take();
    if (e == null) {
      return;
    }
    e.clear.put(packet).flip();
    outbound(e, ifc);
  }

  private Element take() {
    try {
      Element e = pool.take();
      e.reset();
      return e;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  // ---- outbound sequential stage ----

  private void outbound(Element e, IpsecInterface ifc) {
    ByteBuffer b = e.clear;
    int len = b.limit();
    if (!IpPacket.valid(b, 0, len)) {
      malformed.incrementAndGet();
      pool.add(e);
      return;
    }
    synchronized (outLock) {
      Eroute r = lookup(tables.eroutes(), b, len);
      if (r == null) {
        noEroute.incrementAndGet(); // KLIPS drops what is routed into ipsecN without an eroute
        pool.add(e);
        return;
      }
      switch (r.spec().action()) {
        case IPSEC -> protect(e, r.sa(), len);
        case TRAP, HOLD -> hold(e, r, len);
        case PASS -> pass(e, ifc, len);
        case DROP -> drop(e);
        case REJECT -> reject(e, ifc, len);
      }
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

  private void protect(Element e, SaState sa, int len) {
    if (sa == null || sa.hardExpired.get()) {
      drop(e);
      return;
    }
    long seq = sa.nextSeq.getAndIncrement();
    if (sa.sequenceExhausted(seq)) {
      if (sa.hardExpired.compareAndSet(false, true)) {
        tables.expire(sa, true);
      }
      drop(e);
      return;
    }
    e.outbound = true;
    e.sa = sa;
    e.seq = seq;
    if (sa.spec.mode() == org.openswanj.kernel.IpsecMode.TUNNEL) {
      e.nextHeader = IpPacket.version(e.clear, 0) == 4 ? IpPacket.PROTO_IPIP : IpPacket.PROTO_IPV6;
    } else {
      e.nextHeader = IpPacket.protocol(e.clear, 0);
      e.clear.position(IpPacket.headerLength(e.clear, 0)); // RFC 4303 §3.1.1: ESP follows the IP header
    }
    enqueue(outOrder, e);
  }

  private void hold(Element e, Eroute r, int len) {
    byte[] copy = new byte[len];
    e.clear.get(0, copy);
    if (r.hold().hold(copy) && r.spec().action() == org.openswanj.kernel.PolicyAction.TRAP) {
      tables.acquire(r, e.clear, 0, len);
    }
    pool.add(e);
  }

  private void pass(Element e, IpsecInterface ifc, int len) {
    try {
      boolean v6 = IpPacket.version(e.clear, 0) == 6;
      byte[] dst = new byte[v6 ? 16 : 4];
      e.clear.get(IpPacket.addressOffset(e.clear, 0, true), dst);
      ifc.passSocket(v6).send(e.clearAddress, 0, len, SockAddr.of(InetAddress.getByAddress(dst), 0));
      shunted.incrementAndGet();
    } catch (IOException ex) {
      sendErrors.incrementAndGet();
    }
    pool.add(e);
  }

  private void drop(Element e) {
    shunted.incrementAndGet();
    pool.add(e);
  }

  private void reject(Element e, IpsecInterface ifc, int len) {
    int n = IpPacket.icmpUnreachable(e.clear, 0, len, e.wire, 0);
    try {
      ifc.tun.write(e.wireAddress, 0, n);
    } catch (IOException ex) {
      sendErrors.incrementAndGet();
    }
    drop(e);
  }

  // ---- inbound sequential stage ----

  private void inbound(Element e, InetSocketAddress from) {
    if (e.espLength < EspCodec.HEADER) {
      malformed.incrementAndGet();
      pool.add(e);
      return;
    }
    synchronized (inLock) {
      SaState sa = tables.inbound(e.wire.getInt(e.espOffset));
      if (sa == null) {
        unknownSpi.incrementAndGet();
        pool.add(e);
        return;
      }
      int seqLow = e.wire.getInt(e.espOffset + 4);
      long seq = sa.window != null ? sa.window.infer(seqLow) : seqLow & 0xffffffffL;
      if (sa.window != null && !sa.window.check(seq)) {
        sa.replayFailures.incrementAndGet(); // RFC 4303 §3.4.3: before the costly ICV check
        pool.add(e);
        return;
      }
      e.outbound = false;
      e.sa = sa;
      e.seq = seq;
      e.udpFrom = from;
      enqueue(inOrder, e);
    }
  }

  private void enqueue(ArrayBlockingQueue<Element> order, Element e) {
    try {
      order.put(e);
      work.put(e);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- parallel stage ----

  private void workerLoop() {
    while (running) {
      Element e;
      try {
        e = work.take();
      } catch (InterruptedException ex) {
        return;
      }
      e.done(e.outbound ? seal(e) : open(e));
    }
  }

  private static int seal(Element e) {
    try {
      SaState sa = e.sa;
      EspCodec.encode(sa.transform, sa.id.spi(), e.seq, sa.spec.esn(), e.nextHeader, e.clear, e.wire);
      e.wire.flip();
      return Element.OK;
    } catch (java.security.GeneralSecurityException | RuntimeException ex) {
      return Element.DROP_OTHER;
    }
  }

  private static int open(Element e) {
    SaState sa = e.sa;
    e.wire.limit(e.espOffset + e.espLength).position(e.espOffset);
    e.clear.clear().position(Element.HEADROOM);
    try {
      e.nextHeader = EspCodec.decode(sa.transform, e.seq, sa.spec.esn(), e.wire, e.clear);
      return Element.OK;
    } catch (EspException ex) {
      return ex.reason() == EspException.Reason.INTEGRITY ? Element.DROP_INTEGRITY : Element.DROP_MALFORMED;
    }
  }

  // ---- ordered stages ----

  private void senderLoop() {
    while (running) {
      Element e;
      int status;
      try {
        e = outOrder.take();
        status = e.awaitDone();
      } catch (InterruptedException ex) {
        return;
      }
      if (status == Element.OK) {
        send(e);
      }
      pool.add(e);
    }
  }

  private void send(Element e) {
    SaState sa = e.sa;
    int len = e.wire.remaining();
    try {
      if (sa.rawSender != null) {
        sa.rawSender.send(e.wireAddress, 0, len, sa.rawPeer);
      } else {
        tables.sendUdp(sa, e.wire);
      }
      sa.lastSendNanos = System.nanoTime();
      sa.count(len, epochSeconds.getAsLong());
      checkBytes(sa);
    } catch (IOException ex) {
      sendErrors.incrementAndGet();
    }
  }

  private void delivererLoop() {
    while (running) {
      Element e;
      int status;
      try {
        e = inOrder.take();
        status = e.awaitDone();
      } catch (InterruptedException ex) {
        return;
      }
      switch (status) {
        case Element.OK -> deliver(e);
        case Element.DROP_INTEGRITY -> e.sa.integrityFailures.incrementAndGet();
        default -> malformed.incrementAndGet();
      }
      pool.add(e);
    }
  }

  private void deliver(Element e) {
    SaState sa = e.sa;
    if (sa.window != null && !sa.window.accept(e.seq)) {
      sa.replayFailures.incrementAndGet(); // a duplicate that overtook its twin in the workers
      return;
    }
    ByteBuffer b = e.clear;
    if (sa.spec.mode() == org.openswanj.kernel.IpsecMode.TRANSPORT) {
      Inner.rebuildTransportHeader(e);
    } else if (e.nextHeader != IpPacket.PROTO_IPIP && e.nextHeader != IpPacket.PROTO_IPV6) {
      sa.selectorFailures.incrementAndGet(); // tunnel mode carries whole IP packets only
      return;
    }
    int off = b.position();
    int len = b.remaining();
    // RFC 4301 §5.2: the decrypted packet must match the SA's selector, else it is dropped.
    if (!IpPacket.valid(b, off, len) || !sa.selector.matches(b, off, len)) {
      sa.selectorFailures.incrementAndGet();
      return;
    }
    if (e.udpFrom != null && sa.encapPeer != null && !e.udpFrom.equals(sa.encapPeer)
        && !e.udpFrom.equals(sa.reportedMapping)) {
      sa.reportedMapping = e.udpFrom; // RFC 3948 §5: authenticated traffic from a new NAT mapping
      tables.mapping(sa, e.udpFrom);
    }
    try {
      sa.tun.write(e.clearAddress, off, len);
      sa.count(e.espLength, epochSeconds.getAsLong());
      checkBytes(sa);
    } catch (IOException ex) {
      sendErrors.incrementAndGet();
    }
  }

  /** RFC 4301 §4.4.2.1: soft then hard byte lifetimes, each raised once. */
  void checkBytes(SaState sa) {
    org.openswanj.kernel.Lifetime l = sa.spec.lifetime();
    long b = sa.bytes.get();
    if (l.softBytes() > 0 && b >= l.softBytes() && sa.softExpired.compareAndSet(false, true)) {
      tables.expire(sa, false);
    }
    if (l.hardBytes() > 0 && b >= l.hardBytes() && sa.hardExpired.compareAndSet(false, true)) {
      tables.expire(sa, true);
    }
  }

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
