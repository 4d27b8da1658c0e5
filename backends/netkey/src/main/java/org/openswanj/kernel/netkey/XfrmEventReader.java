package org.openswanj.kernel.netkey;

import java.util.Optional;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.KernelListener;

/**
 * The event side of the backend: its own NETLINK_XFRM socket bound to XFRMNLGRP_ACQUIRE, _EXPIRE and
 * _MAPPING, read by one daemon thread that parses each message and hands it to the current listener.
 * The receive times out every {@value #POLL_MILLIS} ms so that {@link #close()} stops the thread.
 */
final class XfrmEventReader implements Runnable, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(XfrmEventReader.class);
  static final int POLL_MILLIS = 500;

  private final NetlinkSocket socket;
  private final Supplier<KernelListener> listener;
  private final java.util.function.BiPredicate<org.openswanj.kernel.SaId, Long> staleExpire;
  private final Thread thread;
  private volatile boolean running = true;

  /** Opens the socket in the caller's network namespace and starts the reader thread. */
  XfrmEventReader(Supplier<KernelListener> listener,
      java.util.function.BiPredicate<org.openswanj.kernel.SaId, Long> staleExpire) throws NetlinkException {
    int groups = Xfrm.groupMask(Xfrm.GRP_ACQUIRE) | Xfrm.groupMask(Xfrm.GRP_EXPIRE) | Xfrm.groupMask(Xfrm.GRP_MAPPING);
    this.socket = NetlinkSocket.open(NetlinkSocket.NETLINK_XFRM, groups, POLL_MILLIS);
    this.listener = listener;
    this.staleExpire = staleExpire;
    this.thread = new Thread(this, "netkey-events");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    while (running) {
      try {
        for (NetlinkSocket.Message m : socket.receiveOrTimeout()) {
          decode(m).filter(e -> !stale(e, m)).ifPresent(this::deliver);
        }
      } catch (NetlinkException e) {
        if (running) {
          LOG.warn("netkey: reading XFRM events failed: {}", e.getMessage());
          sleepQuietly();
        }
      }
    }
  }

  /** ACQUIRE, EXPIRE and MAPPING become events; anything else (or a short message) is ignored. */
  static Optional<? extends KernelEvent> decode(NetlinkSocket.Message m) {
    return switch (m.type()) {
      case Xfrm.MSG_ACQUIRE -> XfrmParse.acquire(m.payload()).map(a ->
          new KernelEvent.Acquire(a.packet(), a.policy(), Ownership.plutoReqid(a.reqid())));
      case Xfrm.MSG_EXPIRE -> XfrmParse.expire(m.payload());
      case Xfrm.MSG_MAPPING -> XfrmParse.mapping(m.payload());
      default -> Optional.empty();
    };
  }

  /** An EXPIRE of a state older than the SA now holding its SPI (see NetkeyBackend#staleExpire): dropped, logged. */
  private boolean stale(KernelEvent e, NetlinkSocket.Message m) {
    if (!(e instanceof KernelEvent.Expire x)) {
      return false;
    }
    long added = XfrmParse.expireAddTime(m.payload());
    if (!staleExpire.test(x.sa(), added)) {
      return false;
    }
    LOG.info("netkey: ignoring the {} expire of SA {}'s larval state (added at {}, before the SA itself)",
        x.hard() ? "hard" : "soft", XfrmErrors.sa(x.sa()), added);
    return true;
  }

  private void deliver(KernelEvent e) {
    KernelListener l = listener.get();
    if (l == null) {
      return;
    }
    try {
      l.onEvent(e);
    } catch (RuntimeException ex) {
      LOG.error("netkey: the event listener failed on {}: {}", e, ex.toString());
    }
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(2L * POLL_MILLIS + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    socket.close();
  }
}
