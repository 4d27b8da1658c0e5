package org.openswanj.pluto.engine;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.openswanj.pluto.net.IkeTransport;

/**
 * NAT-keepalives (RFC 3948 §2.3, §4) for IKE SAs with us behind a NAT, or every NAT-T SA with
 * {@code force_keepalive=yes}: the one byte 0xFF from our NAT-T port to the peer's, every {@code keep_alive=}
 * seconds, skipped while another packet went to that peer within the interval (§4: only when there is no other
 * traffic to keep the mapping). It is also the engines' transport, so it sees every IKE message sent; ESP the kernel
 * sends is not seen, so a busy tunnel still gets its keepalives. Backends that send their own (klips's data path) get
 * none from here. Loop thread only; a timer reads only its SA's addresses.
 */
public final class NatKeepalives implements IkeTransport {
  /** {@code keep_alive=} (0: none) and {@code force_keepalive=}. */
  public record Settings(Duration interval, boolean force) {
    /** Openswan's: every 20 s, only when we are behind the NAT. */
    public static final Settings DEFAULT = new Settings(Duration.ofSeconds(20), false);
  }

  /** One IKE SA's keepalives: the peer it keeps the mapping to, and the next keepalive's timer. */
  private record Watch(InetSocketAddress peer, EventLoop.Timer timer) {}

  private final EventLoop loop;
  private final IkeTransport wire;
  private final Settings settings;
  private final boolean enabled;
  private final Map<Long, Watch> watches = new HashMap<>();
  /** How many watched SAs each peer has; only these peers' last sends are remembered, so memory stays bounded. */
  private final Map<InetSocketAddress, Integer> watchedPeers = new HashMap<>();
  private final Map<InetSocketAddress, Instant> lastSent = new HashMap<>();

  /** {@code backendSends}: the kernel backend keeps NAT mappings alive itself, so none are sent from here. */
  public NatKeepalives(EventLoop loop, IkeTransport wire, Settings settings, boolean backendSends) {
    this.loop = loop;
    this.wire = wire;
    this.settings = settings;
    this.enabled = !backendSends && !settings.interval().isZero();
  }

  @Override
  public void send(InetSocketAddress local, InetSocketAddress remote, byte[] ikeMessage) {
    sentTo(remote);
    wire.send(local, remote, ikeMessage);
  }

  @Override
  public void sendNatKeepalive(InetSocketAddress local, InetSocketAddress remote) {
    sentTo(remote);
    wire.sendNatKeepalive(local, remote);
  }

  private void sentTo(InetSocketAddress remote) {
    if (watchedPeers.containsKey(remote)) {
      lastSent.put(remote, loop.now());
    }
  }

  /**
   * IKE SA {@code serial} has done NAT detection (RFC 7296 §2.23, RFC 3947 §3): if NAT was found and we are behind
   * it (or force_keepalive=yes), its peer gets keepalives from now on, until {@link #forget}. {@code endpoints}
   * gives the SA's current (local, remote) addresses, or null once it is gone.
   */
  public void watch(long serial, boolean natDetected, boolean weAreBehindNat,
      Supplier<InetSocketAddress[]> endpoints) {
    loop.assertInLoop();
    if (!enabled || !natDetected || !(weAreBehindNat || settings.force()) || watches.containsKey(serial)) {
      return;
    }
    InetSocketAddress[] e = endpoints.get();
    if (e != null) {
      watchPeer(e[1]);
      watches.put(serial, new Watch(e[1], loop.schedule(settings.interval(), () -> fire(serial, endpoints))));
    }
  }

  /** The SA died: its keepalives stop. */
  public void forget(long serial) {
    Watch w = watches.remove(serial);
    if (w != null) {
      w.timer().cancel();
      unwatchPeer(w.peer());
    }
  }

  private void fire(long serial, Supplier<InetSocketAddress[]> endpoints) {
    Watch w = watches.get(serial);
    InetSocketAddress[] e = endpoints.get();
    if (w == null || e == null) {
      forget(serial);
      return;
    }
    if (!e[1].equals(w.peer())) { // the peer's NAT mapping moved (RFC 7296 §2.23)
      unwatchPeer(w.peer());
      watchPeer(e[1]);
    }
    Instant last = lastSent.get(e[1]);
    Duration idle = last == null ? settings.interval() : Duration.between(last, loop.now());
    Duration next = settings.interval();
    if (idle.compareTo(settings.interval()) >= 0) {
      sendNatKeepalive(e[0], e[1]);
    } else {
      next = settings.interval().minus(idle); // another packet kept the mapping alive: count from it
    }
    watches.put(serial, new Watch(e[1], loop.schedule(next, () -> fire(serial, endpoints))));
  }

  private void watchPeer(InetSocketAddress peer) {
    watchedPeers.merge(peer, 1, Integer::sum);
  }

  private void unwatchPeer(InetSocketAddress peer) {
    if (watchedPeers.merge(peer, -1, Integer::sum) <= 0) {
      watchedPeers.remove(peer);
      lastSent.remove(peer);
    }
  }
}
