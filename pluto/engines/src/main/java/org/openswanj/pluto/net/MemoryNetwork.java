package org.openswanj.pluto.net;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * An in-memory network for the two-peer harness: each pluto registers the addresses it listens on; a tap
 * may record, drop (return null) or corrupt messages in flight.
 */
public final class MemoryNetwork {
  public record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {}

  private final Map<InetSocketAddress, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final List<Datagram> log = new ArrayList<>();
  private volatile UnaryOperator<Datagram> tap = UnaryOperator.identity();

  private record Endpoint(Executor loop, IkePacketHandler handler) {}

  public void attach(InetSocketAddress address, Executor loop, IkePacketHandler handler) {
    endpoints.put(address, new Endpoint(loop, handler));
  }

  public void setTap(UnaryOperator<Datagram> tap) {
    this.tap = tap;
  }

  public synchronized List<Datagram> log() {
    return List.copyOf(log);
  }

  /** A transport for one host. A NAT-keepalive is logged as its one byte and, as the NAT-T socket does, not delivered. */
  public IkeTransport transport() {
    return new IkeTransport() {
      @Override
      public void send(InetSocketAddress local, InetSocketAddress remote, byte[] ikeMessage) {
        deliver(local, remote, ikeMessage);
      }

      @Override
      public void sendNatKeepalive(InetSocketAddress local, InetSocketAddress remote) {
        synchronized (MemoryNetwork.this) {
          log.add(new Datagram(local, remote, new byte[] {(byte) 0xff}));
        }
      }
    };
  }

  /** Injects a datagram as if it came from the wire (fuzz tests). */
  public void inject(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    Endpoint e = endpoints.get(to);
    if (e != null) {
      e.loop().execute(() -> e.handler().onIkePacket(to, from, bytes));
    }
  }

  private void deliver(InetSocketAddress local, InetSocketAddress remote, byte[] msg) {
    Datagram d = tap.apply(new Datagram(local, remote, msg.clone()));
    synchronized (this) {
      log.add(new Datagram(local, remote, msg.clone()));
    }
    if (d != null) {
      inject(d.from(), d.to(), d.bytes());
    }
  }
}
