package org.openswanj.pluto.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.openswanj.pluto.engine.EventLoop;

/**
 * A deterministic loop on virtual time for in-JVM tests: tasks run when the test calls {@link #runPending()}
 * or {@link #advance(Duration)}; helpers run inline. Several plutos may share one instance.
 */
public final class ManualEventLoop implements EventLoop {
  private final Deque<Runnable> ready = new ArrayDeque<>();
  private final PriorityQueue<Scheduled> timers =
      new PriorityQueue<>(Comparator.comparing(Scheduled::due).thenComparingLong(Scheduled::seq));
  private Instant now;
  private long seq;

  public ManualEventLoop(Instant start) {
    this.now = start;
  }

  @Override
  public void execute(Runnable task) {
    ready.add(task);
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    Scheduled s = new Scheduled(now.plus(delay), seq++, task);
    timers.add(s);
    return s;
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public <T> void offload(Supplier<T> work, Consumer<T> then, Consumer<RuntimeException> failed) {
    try {
      T r = work.get();
      execute(() -> then.accept(r));
    } catch (RuntimeException e) {
      execute(() -> failed.accept(e));
    }
  }

  @Override
  public boolean inLoop() {
    return true;
  }

  /** Runs every ready task (and those they post) until none is left; returns how many ran. */
  public int runPending() {
    int n = 0;
    while (!ready.isEmpty()) {
      ready.poll().run();
      if (++n > 1_000_000) {
        throw new IllegalStateException("event storm: over a million events without rest");
      }
    }
    return n;
  }

  /** Moves virtual time forward, firing timers in order, and running what they post. */
  public void advance(Duration d) {
    Instant end = now.plus(d);
    runPending();
    while (!timers.isEmpty() && !timers.peek().due().isAfter(end)) {
      Scheduled s = timers.poll();
      now = s.due();
      if (!s.cancelled) {
        s.task.run();
      }
      runPending();
    }
    now = end;
  }

  private static final class Scheduled implements Timer {
    private final Instant due;
    private final long seq;
    private final Runnable task;
    private boolean cancelled;

    Scheduled(Instant due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public Instant due() {
      return due;
    }

    long seq() {
      return seq;
    }
  }
}
