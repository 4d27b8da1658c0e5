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

  private final Connection instance;
  private final Outcome outcome;
  private String lastProblem = "no answer from the peer";
  private boolean closed;

  OeWatcher(Connection instance, Outcome outcome) {
    this.instance = instance;
    this.outcome = outcome;
  }

  @Override
  public void line(int code, String text) {
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
