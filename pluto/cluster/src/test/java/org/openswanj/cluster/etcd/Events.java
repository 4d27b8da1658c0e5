package org.openswanj.cluster.etcd;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that records what the cluster told the daemon, with when (System.nanoTime). */
final class Events implements ClusterListener {
  enum Kind { FENCED, ACTIVE, REJOINED }

  record Event(Kind kind, long nanos, String detail) {}

  private final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void fenced(FenceReason reason, String why) {
    events.add(new Event(Kind.FENCED, System.nanoTime(), reason + ": " + why));
  }

  @Override
  public void becameActive(InetAddress vip) {
    events.add(new Event(Kind.ACTIVE, System.nanoTime(), vip.getHostAddress()));
  }

  @Override
  public void rejoined() {
    events.add(new Event(Kind.REJOINED, System.nanoTime(), ""));
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  /** The first event of {@code kind} after {@code sinceNanos}, waiting up to {@code timeout}; null if none. */
  Event await(Kind kind, long sinceNanos, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      for (Event e : events) {
        if (e.kind() == kind && e.nanos() - sinceNanos >= 0) {
          return e;
        }
      }
      Thread.sleep(10);
    } while (System.nanoTime() < deadline);
    return null;
  }

  long count(Kind kind) {
    return events.stream().filter(e -> e.kind() == kind).count();
  }
}
