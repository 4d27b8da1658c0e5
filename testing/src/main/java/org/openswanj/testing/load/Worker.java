package org.openswanj.testing.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;

/**
 * One thread of the generator: a UDP socket per source address it owns, a fixed number of handshakes in flight
 * (a finished or failed one is replaced at once), retransmission by timer. Everything here runs on this
 * worker's thread only; workers share nothing but the plan.
 */
final class Worker implements Callable<Recorder> {
  private final LoadPlan plan;
  private final int index;
  private final int concurrency;
  private final long quota;
  private final List<InetAddress> sources;
  private final long endNanos;
  private final Recorder recorder;
  private final SecureRandom random;
  private final Ikev2Initiator initiator;
  private static final int NON_ESP_MARKER = 4;
  private static final int NAT_T_PORT = 4500;
  private final Map<Long, Handshake> inFlight = new HashMap<>();
  private final List<DatagramChannel> channels = new ArrayList<>();
  private final ByteBuffer buf = ByteBuffer.allocate(65536);
  private long started;

  Worker(LoadPlan plan, int index, int concurrency, long quota, List<InetAddress> sources, long windowStartNanos,
      long endNanos) throws java.security.NoSuchAlgorithmException {
    this.plan = plan;
    this.index = index;
    this.concurrency = concurrency;
    this.quota = quota;
    this.sources = List.copyOf(sources);
    this.endNanos = endNanos;
    this.recorder = new Recorder(windowStartNanos);
    this.random = SecureRandom.getInstance("DRBG");
    this.initiator = new Ikev2Initiator(plan.shape().suite(), plan.psk(), random, plan.shape().keReuse());
  }

  /** Binds one socket per source address (port chosen by the kernel); fails naming the address. */
  void bind(Selector selector) throws LoadException {
    for (InetAddress a : sources) {
      try {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        ch.bind(new InetSocketAddress(a, 0));
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ, ch);
        channels.add(ch);
      } catch (IOException e) {
        throw new LoadException("cannot bind a UDP socket to source address " + a.getHostAddress() + ": "
            + e.getMessage() + " (is it configured on this host?)");
      }
    }
  }

  @Override
  public Recorder call() throws IOException, LoadException {
    try (Selector selector = Selector.open()) {
      bind(selector);
      for (int i = 0; i < concurrency && started < quota; i++) {
        start();
      }
      while (System.nanoTime() < endNanos && (started < quota || !inFlight.isEmpty())) {
        selector.select(5);
        for (SelectionKey k : selector.selectedKeys()) {
          drain((DatagramChannel) k.attachment());
        }
        selector.selectedKeys().clear();
        expire(System.nanoTime());
      }
    } finally {
      for (DatagramChannel ch : channels) {
        ch.close();
      }
      inFlight.values().forEach(Handshake::wipe);
    }
    return recorder;
  }

  int inFlight() {
    return inFlight.size();
  }

  private void start() {
    DatagramChannel ch = channels.get((int) (started % channels.size()));
    long spi;
    do {
      spi = random.nextLong();
    } while ((spi >>> 32) == 0 || inFlight.containsKey(spi)); // never a non-ESP marker look-alike
    long n = started++ * plan.shape().threads() + index;
    InetSocketAddress local = (InetSocketAddress) localAddress(ch);
    Handshake h = new Handshake(spi, local, plan.target(), plan.ids().fqdn(n), System.nanoTime());
    h.channel = ch;
    h.selectors = plan.selectors().forHandshake(n, local.getAddress(), plan.target().getAddress());
    inFlight.put(spi, h);
    send(h, initiator.saInit(h));
  }

  private static java.net.SocketAddress localAddress(DatagramChannel ch) {
    try {
      return ch.getLocalAddress();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void send(Handshake h, byte[] datagram) {
    h.lastRequest = datagram;
    h.tries = 1;
    h.timeoutNanos = plan.timing().retransmitMillis() * 1_000_000L;
    h.deadlineNanos = System.nanoTime() + h.timeoutNanos;
    transmit(h);
  }

  private void transmit(Handshake h) {
    try {
      if (h.natT) {
        ByteBuffer b = ByteBuffer.allocate(NON_ESP_MARKER + h.lastRequest.length).putInt(0).put(h.lastRequest);
        h.channel.send(b.flip(), new InetSocketAddress(h.peer.getAddress(), NAT_T_PORT));
      } else {
        h.channel.send(ByteBuffer.wrap(h.lastRequest), h.peer);
      }
    } catch (IOException e) {
      // a full socket buffer or an unreachable peer: the retransmission timer tries again
      recorder.failed("send: " + e.getClass().getSimpleName() + " (retried by timer)");
    }
  }

  private void drain(DatagramChannel ch) throws IOException {
    while (true) {
      buf.clear();
      if (ch.receive(buf) == null) {
        return;
      }
      buf.flip();
      // RFC 3948 §2.2: on port 4500 IKE follows four zero bytes; our SPIs never start with them
      if (buf.remaining() > NON_ESP_MARKER && buf.getInt(0) == 0) {
        buf.position(NON_ESP_MARKER);
      }
      byte[] raw = new byte[buf.remaining()];
      buf.get(raw);
      handle(raw);
    }
  }

  private void handle(byte[] raw) {
    IkeHeader hdr;
    try {
      hdr = IkeCodec.decodeHeader(raw);
    } catch (IkeProtocolException e) {
      recorder.stray();
      return;
    }
    Handshake h = inFlight.get(hdr.initiatorSpi());
    int expectedId = h == null ? -1 : h.phase == Handshake.Phase.IKE_SA_INIT ? 0 : 1;
    ExchangeType expected = h == null ? null
        : h.phase == Handshake.Phase.IKE_SA_INIT ? ExchangeType.IKE_SA_INIT : ExchangeType.IKE_AUTH;
    // RFC 7296 §2.2: a response must carry the message ID of our outstanding request
    if (h == null || !hdr.response() || hdr.messageId() != expectedId || hdr.exchange() != expected) {
      recorder.stray();
      return;
    }
    try {
      IkeMessage m = IkeCodec.decode(raw);
      step(h, m, raw);
    } catch (IkeProtocolException e) {
      finish(h, expected + ": undecodable response (" + e.getClass().getSimpleName() + ")");
    } catch (HandshakeFailure f) {
      finish(h, f.reason() + (h.ambiguous && h.phase == Handshake.Phase.IKE_AUTH
          ? " (after a COOKIE for a retransmitted IKE_SA_INIT: which request was answered is ambiguous)" : ""));
    }
  }

  private void step(Handshake h, IkeMessage m, byte[] raw) throws HandshakeFailure {
    if (plan.shape().initOnly()) {
      // RFC 7296 §2.6: a spoofed source never sees the COOKIE, so it never comes back
      if (m.notify(org.openswanj.pluto.ike.wire.NotifyType.COOKIE).isPresent()) {
        recorder.cookie();
      } else {
        recorder.completed(h.startedNanos, System.nanoTime());
      }
      finish(h, null);
      return;
    }
    if (h.phase == Handshake.Phase.IKE_SA_INIT) {
      byte[] next = initiator.onSaInitResponse(h, m, raw, h.cookies);
      if (next == null) {
        recorder.stray();
        return;
      }
      if (h.phase == Handshake.Phase.IKE_SA_INIT) {
        h.cookies++;
        recorder.cookie();
      }
      send(h, next);
      return;
    }
    initiator.onAuthResponse(h, m, raw);
    recorder.completed(h.startedNanos, System.nanoTime());
    if (plan.shape().delete()) {
      h.lastRequest = initiator.delete(h);
      transmit(h); // answered or not, the slot goes to a new handshake at once
    }
    finish(h, null);
  }

  /** Ends a handshake (a failure if {@code reason} is not null) and starts the next one in its slot. */
  private void finish(Handshake h, String reason) {
    if (reason != null) {
      recorder.failed(reason);
    }
    inFlight.remove(h.spiI);
    h.wipe();
    if (System.nanoTime() < endNanos && started < quota) {
      start();
    }
  }

  /** RFC 7296 §2.1: the initiator retransmits its request, with a growing interval, then gives up. */
  private void expire(long now) {
    List<Handshake> due = new ArrayList<>();
    for (Handshake h : inFlight.values()) {
      if (h.deadlineNanos <= now) {
        due.add(h);
      }
    }
    for (Handshake h : due) {
      if (h.tries >= plan.timing().tries()) {
        finish(h, "timeout: no " + h.phase + " response after " + h.tries + " tries");
        continue;
      }
      h.tries++;
      h.timeoutNanos *= 2;
      h.deadlineNanos = now + h.timeoutNanos;
      recorder.retransmitted();
      transmit(h);
    }
  }
}
