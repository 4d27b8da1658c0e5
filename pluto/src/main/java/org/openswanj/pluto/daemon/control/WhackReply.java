package org.openswanj.pluto.daemon.control;

import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.Watcher;
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

  /** Lines queued and not yet written to the client (a long reply waits while this is high). */
  default int backlog() {
    return 0;
  }

  /** This reply as the engines see the client waiting on an SA: each outcome becomes its whack reply code. */
  default Watcher asWatcher() {
    WhackReply reply = this;
    return new Watcher() {
      @Override
      public void line(Outcome what, String text) {
        reply.line(code(what), text);
      }

      @Override
      public void close() {
        reply.close();
      }

      @Override
      public boolean closed() {
        return reply.closed();
      }
    };
  }

  /** Openswan's rc_type for what an engine reports. */
  static Rc code(Outcome what) {
    return switch (what) {
      case COMMENT -> Rc.COMMENT;
      case NEW_STATE -> Rc.NEW_STATE;
      case SUCCESS -> Rc.SUCCESS;
      case LOG_SERIOUS -> Rc.LOG_SERIOUS;
      case AUTHFAILED -> Rc.AUTHFAILED;
      case BADID -> Rc.BADID;
      case NOKEY -> Rc.NOKEY;
      case NOPEERIP -> Rc.NOPEERIP;
      case NORETRANSMISSION -> Rc.NORETRANSMISSION;
    };
  }
}
