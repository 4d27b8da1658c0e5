package org.openswanj.pluto.daemon.control;

import org.openswanj.whack.proto.Rc;

/**
 * One whack reply shared by the conns a command acts on through their alias (Openswan's
 * foreach_connection_by_alias): each conn gets a {@link #child()}, their lines go out as they come, and the client's
 * reply closes when the last child closes. whack's exit status is its last significant line, so a later conn's
 * SUCCESS would hide an earlier one's failure: when any conn failed, a last line carries the first failure's code.
 * Thread-safe, as {@link WhackReply} must be.
 */
public final class JointReply {
  private final WhackReply parent;
  private final String alias;
  private final int expected;
  private int closed;
  private int failed;
  private int firstFailure;

  /** {@code expected} children will be asked for; the parent closes when that many have closed. */
  public JointReply(WhackReply parent, String alias, int expected) {
    this.parent = parent;
    this.alias = alias;
    this.expected = expected;
  }

  /** The reply one conn's handler writes to. */
  public WhackReply child() {
    return new WhackReply() {
      private int status;
      private boolean done;

      @Override
      public void line(int code, String text) {
        synchronized (JointReply.this) {
          if (done) {
            return;
          }
          if (Rc.significant(code)) {
            status = code == Rc.SUCCESS.code() ? 0 : code & 0xFF; // whack.c's rule, per conn
          }
          parent.line(code, text);
        }
      }

      @Override
      public void close() {
        synchronized (JointReply.this) {
          if (!done) {
            done = true;
            childClosed(status);
          }
        }
      }

      @Override
      public boolean closed() {
        synchronized (JointReply.this) {
          return done || parent.closed();
        }
      }
    };
  }

  private void childClosed(int status) {
    if (status != 0 && failed++ == 0) {
      firstFailure = status;
    }
    if (++closed == expected) {
      if (failed > 0) {
        parent.line(firstFailure, "\"" + alias + "\": " + failed + " of " + expected
            + " connections with this alias failed");
      }
      parent.close();
    }
  }
}
