package org.openswanj.pluto.daemon.control;

import org.openswanj.whack.proto.Rc;

/**
 * The reply stream of one whack exchange: lines {@code NNN text} (whack/PROTOCOL.md). Thread-safe and
 * non-blocking (lines are queued and written by the control server), so the event loop may call it.
 */
public interface WhackReply {
  /** One line to the client; after {@link #close()} (or once the client has gone) a no-op. */
  default void line(Rc rc, String text) {
    line(rc.code(), text);
  }

  /**
   * One line with a raw code, for the ranges: {@code Rc.NEW_STATE.code() + state} and
   * {@code Rc.NOTIFICATION.code() + notify}. Text with newlines becomes several lines with the same code.
   */
  void line(int code, String text);

  /** Ends this client's exchange: queued lines are written, then the socket closes. Idempotent. */
  void close();

  boolean closed();
}
