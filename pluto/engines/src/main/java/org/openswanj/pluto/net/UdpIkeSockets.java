package org.openswanj.pluto.net;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.UdpEncapSocket;

/**
 * pluto's UDP sockets: the IKE port (500) and the NAT-T port (4500) on each listening address.
 *
 * <p>Threading: one receive thread runs the selector and posts each IKE message to the event loop; ESP in
 * UDP (RFC 3948) goes straight to the backend's hook from the receive thread. {@link #send} may be called from
 * any thread (DatagramChannel.send is thread-safe).
 */
public final class UdpIkeSockets implements IkeTransport, UdpEncapSocket, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger("pluto");
  /** RFC 3948 §2.2: IKE on the NAT-T port carries four zero octets before the IKE header. */
  private static final int NON_ESP_MARKER = 4;
  /** The port-4500 socket's receive buffer when it takes ESP in UDP for the backend (bursts of coalesced data). */
  private static final int GRO_RCVBUF = 4 << 20;

  /** Receives ESP-in-UDP datagrams (no marker) on the receive thread. */
  public interface EspSink {
    /** One datagram, {@code esp} from its position to its limit and valid only during the call. */
    void onEsp(InetSocketAddress from, InetSocketAddress to, ByteBuffer esp);

    /** After each batch of {@link #onEsp} calls. */
    default void endOfBatch() {}

    /** True to have the kernel coalesce ESP in UDP on the port-4500 sockets (UDP GRO; split again before onEsp). */
    default boolean coalesced() {
      return false;
    }

    /** The backend's ESP-in-UDP hooks (see {@link KernelBackend#receiveUdpEncapsulated}). */
    static EspSink of(KernelBackend backend) {
      return new EspSink() {
        @Override
        public void onEsp(InetSocketAddress from, InetSocketAddress to, ByteBuffer esp) {
          backend.receiveUdpEncapsulated(from, to, esp);
        }

        @Override
        public void endOfBatch() {
          backend.udpEncapsulatedBatchEnd();
        }

        @Override
        public boolean coalesced() {
          return backend.decapsulatesUdpInBatches();
        }
      };
    }
  }

  /** What a registered socket's selection key carries: its address, and its descriptor if read natively (GRO). */
  private record Bound(InetSocketAddress local, int groFd) {}

  private final int ikePort;
  private final int nattPort;
  private final Executor loop;
  private final IkePacketHandler handler;
  private final EspSink espSink;
  private final Map<InetSocketAddress, DatagramChannel> channels = new ConcurrentHashMap<>();
  /** Each channel's descriptor, read once at bind (klips asks for it per batch of packets it sends). */
  private final Map<InetSocketAddress, Integer> fds = new ConcurrentHashMap<>();
  private final Selector selector;
  private final Thread receiver;
  /** Used by the receive thread only. */
  private final UdpBatchReceiver batchReceiver;
  private volatile boolean closed;

  public UdpIkeSockets(int ikePort, int nattPort, Executor loop, IkePacketHandler handler, EspSink espSink)
      throws IOException {
    this.ikePort = ikePort;
    this.nattPort = nattPort;
    this.loop = loop;
    this.handler = handler;
    this.espSink = espSink;
    this.selector = Selector.open();
    this.batchReceiver = espSink != null && espSink.coalesced() ? new UdpBatchReceiver() : null;
    this.receiver = new Thread(this::receiveLoop, "pluto-udp");
    this.receiver.setDaemon(true);
  }

  /** The addresses of this host's interfaces, as Openswan lists them (loopback left out unless asked). */
  public static List<InetAddress> interfaceAddresses(boolean includeLoopback) throws SocketException {
    List<InetAddress> out = new ArrayList<>();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      // not ni.isUp(): the JDK also wants carrier (IFF_RUNNING), and a veth whose peer is not up yet, or a
      // cable unplugged at boot, would be skipped; an address that is configured is one we can bind and own
      if ((ni.isLoopback() && !includeLoopback) || ni.getName().startsWith("ipsec")) {
        continue;
      }
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        if (a instanceof Inet6Address v6 && v6.isLinkLocalAddress()) {
          continue;
        }
        // the JDK gives every IPv6 address its interface's scope ("2001:db8::45%eth0"); only a link-local one
        // needs it (RFC 4007 §6), and a conn's left= made from it would not parse
        out.add(a instanceof Inet6Address ? unscoped(a) : a);
      }
    }
    return out;
  }

  private static InetAddress unscoped(InetAddress a) {
    try {
      return InetAddress.getByAddress(a.getAddress());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("16 octets are an IPv6 address", e); // getByAddress throws for other lengths only
    }
  }

  /** Binds the IKE and NAT-T ports on {@code address}; returns the lines Openswan logs for it. */
  public synchronized List<String> listen(InetAddress address, String ifName) throws IOException {
    List<String> log = new ArrayList<>();
    for (int port : new int[] {ikePort, nattPort}) {
      InetSocketAddress local = new InetSocketAddress(address, port);
      if (channels.containsKey(local)) {
        continue;
      }
      DatagramChannel ch = DatagramChannel.open(
          address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(local);
      ch.configureBlocking(false);
      int fd = SocketFds.fd(ch);
      int groFd = -1;
      if (port == nattPort && batchReceiver != null) {
        if (fd >= 0 && UdpBatchReceiver.enable(fd, GRO_RCVBUF)) {
          groFd = fd; // ESP in UDP arrives coalesced: read natively and split (RFC 3948 datagrams each)
        } else {
          LOG.debug("no UDP GRO on {}: ESP in UDP is read one datagram at a time", local);
        }
      }
      channels.put(local, ch);
      fds.put(local, fd);
      selector.wakeup();
      synchronized (this) {
        ch.register(selector, SelectionKey.OP_READ, new Bound(local, groFd));
      }
      log.add(String.format("adding interface %s/%s %s:%d", ifName, ifName, com.google.common.net.InetAddresses.toAddrString(address), port));
    }
    return log;
  }

  /** Closes the sockets on {@code address} (an interface went away). */
  public synchronized void unlisten(InetAddress address) throws IOException {
    for (int port : new int[] {ikePort, nattPort}) {
      InetSocketAddress local = new InetSocketAddress(address, port);
      fds.remove(local);
      DatagramChannel ch = channels.remove(local);
      if (ch != null) {
        ch.close();
      }
    }
  }

  /** ESP-in-UDP receive statistics: coalesced buffers read natively and the datagrams split out of them. */
  long[] groCounts() {
    return batchReceiver == null ? new long[2] : new long[] {batchReceiver.received, batchReceiver.datagrams};
  }

  public List<InetSocketAddress> boundAddresses() {
    return List.copyOf(channels.keySet());
  }

  public void start() {
    receiver.start();
  }

  private void receiveLoop() {
    ByteBuffer buf = ByteBuffer.allocateDirect(65536);
    while (!closed) {
      try {
        selector.select(500);
        synchronized (this) {
          // registration happens under the lock (see listen); nothing to do here but order
        }
        var it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          receiveFrom(key, buf);
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.warn("error receiving on IKE sockets: {}", e.toString());
        }
      }
    }
  }

  private void receiveFrom(SelectionKey key, ByteBuffer buf) throws IOException {
    DatagramChannel ch = (DatagramChannel) key.channel();
    Bound bound = (Bound) key.attachment();
    InetSocketAddress local = bound.local();
    try {
      if (bound.groFd() >= 0 && key.isValid() && ch.isOpen()) {
        // read natively only while the channel is open: a closed channel's key is no longer valid
        batchReceiver.receive(bound.groFd(), (from, datagram) -> dispatch(local, from, datagram));
        return;
      }
      while (true) {
        buf.clear();
        InetSocketAddress from = (InetSocketAddress) ch.receive(buf);
        if (from == null) {
          return;
        }
        buf.flip();
        dispatch(local, from, buf);
      }
    } finally {
      if (local.getPort() == nattPort && espSink != null) {
        espSink.endOfBatch();
      }
    }
  }

  private void dispatch(InetSocketAddress local, InetSocketAddress from, ByteBuffer buf) {
    if (local.getPort() == nattPort) {
      int at = buf.position();
      if (buf.remaining() == 1 && (buf.get(at) & 0xff) == 0xff) {
        return; // RFC 3948 §2.3 NAT-keepalive
      }
      if (buf.remaining() >= NON_ESP_MARKER && buf.getInt(at) == 0) {
        buf.position(at + NON_ESP_MARKER);
      } else {
        if (espSink != null && buf.remaining() >= 8) {
          espSink.onEsp(from, local, buf); // RFC 3948 §2.1: ESP in UDP, SPI is never zero
        }
        return;
      }
    }
    byte[] msg = new byte[buf.remaining()];
    buf.get(msg);
    loop.execute(() -> handler.onIkePacket(local, from, msg));
  }

  @Override
  public void send(InetSocketAddress local, InetSocketAddress remote, byte[] ikeMessage) {
    DatagramChannel ch = channelFor(local);
    if (ch == null) {
      LOG.warn("cannot send to {}: no socket bound to {}", remote, local);
      return;
    }
    ByteBuffer out;
    if (local.getPort() == nattPort) {
      out = ByteBuffer.allocate(NON_ESP_MARKER + ikeMessage.length);
      out.putInt(0).put(ikeMessage).flip();
    } else {
      out = ByteBuffer.wrap(ikeMessage);
    }
    try {
      ch.send(out, remote);
    } catch (IOException e) {
      LOG.warn("error sending {} bytes from {} to {}: {}", ikeMessage.length, local, remote, e.getMessage());
    }
  }

  @Override
  public void sendNatKeepalive(InetSocketAddress local, InetSocketAddress remote) {
    DatagramChannel ch = channelFor(local);
    if (ch == null) {
      LOG.warn("cannot send a NAT-keepalive to {}: no socket bound to {}", remote, local);
      return;
    }
    try {
      ch.send(ByteBuffer.wrap(new byte[] {(byte) 0xff}), remote);
    } catch (IOException e) {
      LOG.warn("error sending a NAT-keepalive from {} to {}: {}", local, remote, e.getMessage());
    }
  }

  /** RFC 3948: ESP-in-UDP from the NAT-T socket (for the klips backend). */
  @Override
  public void send(InetSocketAddress from, InetSocketAddress to, ByteBuffer datagram) throws IOException {
    DatagramChannel ch = channelFor(from);
    if (ch == null) {
      throw new IOException("no socket bound to " + from);
    }
    ch.send(datagram, to);
  }

  @Override
  public int fileDescriptor(InetSocketAddress local) {
    return fds.getOrDefault(local, -1);
  }

  private DatagramChannel channelFor(InetSocketAddress local) {
    DatagramChannel ch = channels.get(local);
    if (ch == null) {
      for (Map.Entry<InetSocketAddress, DatagramChannel> e : channels.entrySet()) {
        if (e.getKey().getPort() == local.getPort() && e.getKey().getAddress().isAnyLocalAddress()) {
          return e.getValue();
        }
      }
    }
    return ch;
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    for (DatagramChannel ch : channels.values()) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
