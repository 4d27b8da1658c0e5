package org.openswanj.kernel.klips.net;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * An in-memory IP network for the klips data path (wireguard-go's bindtest): each {@link #host} has
 * addresses, {@link MemoryTun} devices and ESP sockets; an ESP datagram sent to an address reaches the raw ESP
 * receivers of the host that owns it, IPv4 ones with a 20-byte IP header first, as Linux raw sockets deliver
 * it. A test watches, alters or drops what crosses the wire ({@link #onTheWire}) and sends its own
 * ({@link #transmit}). Receive queues are bounded; overflow is dropped and counted, as a socket buffer would.
 *
 * <p>Thread-safety: any number of threads.
 */
public final class MemoryNet {
  private static final int QUEUE = 4096;
  private static final int ESP = 50;

  private final Map<InetAddress, List<Receiver>> receivers = new ConcurrentHashMap<>();
  private final AtomicLong lost = new AtomicLong();
  private volatile UnaryOperator<byte[]> wire = UnaryOperator.identity();

  /** Sees every ESP datagram sent (without IP header); returns what to deliver, or null to lose it. */
  public void onTheWire(UnaryOperator<byte[]> filter) {
    this.wire = filter;
  }

  /** Datagrams lost: no host has the address, or its receive queue was full. */
  public long lost() {
    return lost.get();
  }

  /** A host owning {@code addresses}: its devices and sockets, for {@code KlipsBackend.open(config, io)}. */
  public Host host(InetAddress... addresses) {
    return new Host(List.of(addresses));
  }

  /** Sends an ESP datagram from {@code src} to {@code dst} through the wire filter. */
  public void transmit(InetAddress src, InetAddress dst, byte[] esp) {
    byte[] d = wire.apply(esp);
    if (d != null) {
      deliver(src, dst, d);
    }
  }

  /** Hands an ESP datagram to {@code dst}'s receivers, bypassing the wire filter (a replay, a forgery). */
  public void deliver(InetAddress src, InetAddress dst, byte[] esp) {
    List<Receiver> to = receivers.get(dst);
    if (to == null || to.isEmpty()) {
      lost.incrementAndGet();
      return;
    }
    for (Receiver r : to) {
      if (r.ipv6 == (dst.getAddress().length == 16) && !r.queue.offer(r.ipv6 ? esp.clone() : withIpv4Header(src, dst, esp))) {
        lost.incrementAndGet();
      }
    }
  }

  private static byte[] withIpv4Header(InetAddress src, InetAddress dst, byte[] esp) {
    byte[] d = new byte[20 + esp.length];
    d[0] = 0x45;
    d[2] = (byte) (d.length >>> 8);
    d[3] = (byte) d.length;
    d[8] = 64;
    d[9] = ESP;
    System.arraycopy(src.getAddress(), 0, d, 12, 4);
    System.arraycopy(dst.getAddress(), 0, d, 16, 4);
    System.arraycopy(esp, 0, d, 20, esp.length);
    return d;
  }

  /** One host on the in-memory network: its addresses and the devices opened on it. */
  public final class Host implements PacketIo {
    private final List<InetAddress> addresses;
    private final Map<String, MemoryTun> tuns = new ConcurrentHashMap<>();

    Host(List<InetAddress> addresses) {
      this.addresses = addresses;
    }

    /** The device {@code name} opened on this host, or null. */
    public MemoryTun tun(String name) {
      return tuns.get(name);
    }

    @Override
    public TunQueues openTun(String name, int mtu, int queues) {
      MemoryTun t = new MemoryTun(name, queues);
      tuns.put(name, t);
      return t;
    }

    @Override
    public int mtu(String name) {
      return 1500;
    }

    @Override
    public PacketSocket openReceiver(boolean ipv6, int protocol) throws IOException {
      if (protocol != ESP) {
        throw new IOException("the in-memory network carries ESP (protocol 50) only, not " + protocol);
      }
      Receiver r = new Receiver(ipv6);
      for (InetAddress a : addresses) {
        receivers.computeIfAbsent(a, k -> new CopyOnWriteArrayList<>()).add(r);
      }
      return r;
    }

    @Override
    public PacketSocket openSender(InetAddress local, int protocol, String device) throws IOException {
      if (!addresses.contains(local)) {
        throw new IOException("bind raw socket: " + local.getHostAddress() + " is not this host's address");
      }
      return new Sender(local);
    }

    @Override
    public PacketSocket openPass(boolean ipv6, String device) throws IOException {
      throw new IOException("the in-memory network has no clear-text path (%pass)");
    }
  }

  /** A raw ESP socket receiving what is addressed to its host. */
  private final class Receiver implements PacketSocket {
    final boolean ipv6;
    final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean closed;

    Receiver(boolean ipv6) {
      this.ipv6 = ipv6;
    }

    @Override
    public boolean ipv6() {
      return ipv6;
    }

    @Override
    public void send(long address, int offset, int length, SockAddr to) throws IOException {
      throw new IOException("receive-only socket");
    }

    @Override
    public int receiveBatch(MessageBatch batch, int count, int timeoutMillis) {
      if (closed) {
        return -1;
      }
      int n = 0;
      try {
        for (byte[] d = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS); d != null && n < count; d = queue.poll()) {
          int len = Math.min(d.length, batch.bufferLength(n));
          new Pointer(batch.address(n)).write(0, d, 0, len);
          batch.received(n++, len);
          if (n == count) {
            break;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
      return closed ? -1 : n;
    }

    @Override
    public void close() {
      closed = true;
      receivers.values().forEach(l -> l.remove(this));
    }
  }

  /** A send-only raw ESP socket bound to one of its host's addresses. */
  private final class Sender implements PacketSocket {
    private final InetAddress local;

    Sender(InetAddress local) {
      this.local = local;
    }

    @Override
    public boolean ipv6() {
      return local.getAddress().length == 16;
    }

    @Override
    public void send(long address, int offset, int length, SockAddr to) {
      transmit(local, to.address(), new Pointer(address + offset).getByteArray(0, length));
    }

    @Override
    public int receiveBatch(MessageBatch batch, int count, int timeoutMillis) {
      return 0; // send-only, as the real sender drops all it would receive
    }

    @Override
    public void close() {
      // nothing held
    }
  }
}
