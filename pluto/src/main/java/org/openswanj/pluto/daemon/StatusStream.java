package org.openswanj.pluto.daemon;

import java.time.Duration;
import java.util.Iterator;
import org.openswanj.pluto.daemon.control.WhackReply;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.whack.proto.Rc;

/**
 * A long reply (the status of a gateway with 100,000 SAs) written in slices on the event loop: each slice
 * queues {@link #SLICE} lines and gives the loop back, so IKE keeps being served while a status streams;
 * while the client has not read {@link #HIGH_WATER} queued lines the next slice waits, so the reply is
 * never held whole in memory and a slow reader costs a bounded queue. A reply whose client has gone stops.
 */
final class StatusStream implements Runnable {
  static final int SLICE = 2_000;
  static final int HIGH_WATER = 20_000;
  private static final Duration WAIT = Duration.ofMillis(2);
  private final EventLoop loop;
  private final WhackReply reply;
  private final Iterator<String> lines;

  private StatusStream(EventLoop loop, WhackReply reply, Iterator<String> lines) {
    this.loop = loop;
    this.reply = reply;
    this.lines = lines;
  }

  /** Sends {@code lines} as COMMENT lines and closes the reply; the first slice is written before returning. */
  static void send(EventLoop loop, WhackReply reply, Iterator<String> lines) {
    new StatusStream(loop, reply, lines).run();
  }

  @Override
  public void run() {
    if (reply.closed()) {
      return; // the client went away: nothing to finish
    }
    if (reply.backlog() > HIGH_WATER) {
      loop.schedule(WAIT, this);
      return;
    }
    for (int n = 0; n < SLICE && lines.hasNext(); n++) {
      reply.line(Rc.COMMENT, lines.next());
    }
    if (lines.hasNext()) {
      loop.execute(this); // behind whatever IKE work arrived meanwhile
    } else {
      reply.close();
    }
  }
}
