package org.openswanj.pluto.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.pluto.engine.EventLoop;

/**
 * The real loop: one scheduler thread for state, {@code nhelpers} threads for crypto (Openswan's helpers).
 * A task that throws is logged and dropped: one bad SA never stops the loop.
 */
public final class ThreadEventLoop implements EventLoop, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger("pluto");
  private final ScheduledThreadPoolExecutor loop;
  private final ExecutorService helpers;
  private final Clock clock;
  private volatile Thread loopThread;

  public ThreadEventLoop(int nhelpers, Clock clock) {
    this.clock = clock;
    this.loop = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "pluto-loop");
      loopThread = t;
      return t;
    });
    loop.setRemoveOnCancelPolicy(true);
    // close() drops the timers still pending (retransmits, DPD, rekeys of SAs being torn down): by default a
    // shut-down scheduler still runs every delayed task, and close() then waited its full 2 s for them
    loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    loop.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    AtomicInteger n = new AtomicInteger();
    this.helpers = Executors.newFixedThreadPool(Math.max(1, nhelpers), r -> {
      Thread t = new Thread(r, "pluto-helper-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void execute(Runnable task) {
    if (!loop.isShutdown()) {
      loop.execute(guard(task));
    }
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    Instant due = now().plus(delay);
    if (loop.isShutdown()) {
      return new Handle(null, due);
    }
    ScheduledFuture<?> f = loop.schedule(guard(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    return new Handle(f, due);
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public <T> void offload(Supplier<T> work, Consumer<T> then, Consumer<RuntimeException> failed) {
    helpers.execute(() -> {
      T result;
      try {
        result = work.get();
      } catch (RuntimeException e) {
        execute(() -> failed.accept(e));
        return;
      }
      execute(() -> then.accept(result));
    });
  }

  @Override
  public boolean inLoop() {
    return Thread.currentThread() == loopThread;
  }

  private static Runnable guard(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.error("internal error in event handler (event dropped): {}", e.toString(), e);
      }
    };
  }

  @Override
  public void close() {
    loop.shutdown();
    helpers.shutdownNow();
    try {
      loop.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Handle(ScheduledFuture<?> future, Instant due) implements Timer {
    @Override
    public void cancel() {
      if (future != null) {
        future.cancel(false);
      }
    }
  }
}
