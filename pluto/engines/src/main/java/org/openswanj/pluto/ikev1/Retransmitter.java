package org.openswanj.pluto.ikev1;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.function.Supplier;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.net.IkeTransport;

/**
 * IKEv1 message timing for one exchange: our last message is resent with doubling delays until the peer's
 * next one arrives; a repeat of the peer's last message is answered with our last one from the cache (IKEv1
 * phase 1 has no message IDs, so "repeat" means the same bytes, as Openswan compares them).
 */
final class Retransmitter {
  /** Called when the retransmissions ran out. */
  interface GiveUp {
    void run(int attempts);
  }

  /** Schedules on the event loop, through the SA's guard. */
  interface Scheduler {
    EventLoop.Timer schedule(java.time.Duration delay, Runnable task);
  }

  private final Scheduler loop;
  private final IkeTransport transport;
  private final IkeSettings settings;
  private final Supplier<InetSocketAddress[]> endpoints;
  private byte[] lastSent;
  private byte[] lastReceived;
  private EventLoop.Timer timer;
  private int sent;

  Retransmitter(Scheduler loop, IkeTransport transport, IkeSettings settings,
      Supplier<InetSocketAddress[]> endpoints) {
    this.loop = loop;
    this.transport = transport;
    this.settings = settings;
    this.endpoints = endpoints;
  }

  /** Sends a message; with {@code giveUp} it is resent until {@link #received} or the limit. */
  void send(byte[] bytes, GiveUp giveUp) {
    cancel();
    lastSent = bytes;
    sent = 0;
    transmit(giveUp);
  }

  private void transmit(GiveUp giveUp) {
    InetSocketAddress[] ends = endpoints.get();
    transport.send(ends[0], ends[1], lastSent);
    sent++;
    if (giveUp == null) {
      return;
    }
    long factor = 1L << Math.min(sent - 1, 10);
    byte[] mine = lastSent;
    timer = loop.schedule(settings.retransmitBase().multipliedBy(factor), () -> {
      if (lastSent != mine) {
        return;
      }
      if (sent > settings.maxRetransmits()) {
        timer = null;
        giveUp.run(settings.maxRetransmits());
        return;
      }
      transmit(giveUp);
    });
  }

  /** The peer's next message arrived (and was accepted): stop resending, remember it for duplicates. */
  void received(byte[] bytes) {
    cancel();
    lastReceived = bytes;
  }

  /** True (and our last message resent) when {@code bytes} repeats the peer's last accepted message. */
  boolean answerDuplicate(byte[] bytes) {
    if (lastReceived == null || !Arrays.equals(lastReceived, bytes)) {
      return false;
    }
    if (lastSent != null) {
      InetSocketAddress[] ends = endpoints.get();
      transport.send(ends[0], ends[1], lastSent);
    }
    return true;
  }

  void cancel() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
