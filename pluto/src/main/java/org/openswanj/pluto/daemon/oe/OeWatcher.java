package org.openswanj.pluto.daemon.oe;

import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.daemon.control.WhackReply;
import org.openswanj.whack.proto.Rc;

/**
 * Follows one OE negotiation the way {@code ipsec auto --up} does, through the whack reply stream the IKE engine
 * writes to: when the engine closes it, the instance is up if it owns its eroute, else it failed, and the last
 * serious line says why.
 */
final class OeWatcher implements WhackReply {
  /** Told once, on the loop, when the negotiation ends. */
  interface Outcome {
    void ended(boolean up, String why);
  }

  /** Where the negotiation's lines go as they come (whack --oppohere clients). */
  interface Progress {
    void line(int code, String text);
  }

  private final Connection instance;
  private final Outcome outcome;
  private final Progress progress;
  private String lastProblem = "no answer from the peer";
  private boolean closed;

  OeWatcher(Connection instance, Outcome outcome, Progress progress) {
    this.instance = instance;
    this.outcome = outcome;
    this.progress = progress;
  }

  @Override
  public void line(int code, String text) {
    if (!closed && code != Rc.SUCCESS.code()) { // the outcome line is the controller's to give
      progress.line(code, text);
    }
    if (!closed && code != Rc.COMMENT.code() && code != Rc.LOG.code() && code < Rc.NEW_STATE.code()) {
      lastProblem = text.replaceFirst("^\"[^\"]*\" #\\d+: ", "");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    outcome.ended(instance.erouteOwner() != 0, lastProblem);
  }

  @Override
  public boolean closed() {
    return closed;
  }
}
