package org.openswanj.pluto.daemon;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.openswanj.pluto.engine.EventLoop;

/** The event loop's time as a {@link Clock}, for code outside the loop that must agree with it (pluto-pki). */
final class LoopClock extends Clock {
  private final EventLoop loop;

  LoopClock(EventLoop loop) {
    this.loop = loop;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return loop.now();
  }
}
