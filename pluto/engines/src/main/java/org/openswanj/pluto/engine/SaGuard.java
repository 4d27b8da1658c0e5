package org.openswanj.pluto.engine;

import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The one door through which every event addressed to an SA passes: a datagram, a timer, a helper's result
 * or a whack command. It asserts the loop thread (STYLE rule 8) and runs the step; when the step throws, a
 * bug in one exchange kills that SA and never the daemon: one line (SA, state, exception; the stack only at
 * debug), then the SA is deleted with its kernel state, and the loop goes on.
 *
 * @param <S> the engine's SA type
 */
public final class SaGuard<S extends GuardedSa> {
  private static final Logger LOG = LogManager.getLogger("pluto");

  /** How the engine deletes an SA after a bug, and how it forgets it when even that fails. */
  public interface Undertaker<S> {
    /** Kernel state, the engine's tables, and a Delete to the peer if the SA was established. */
    void delete(S sa);

    /** Last resort, when {@link #delete} threw too: forget the SA here, kernel state included, sending nothing. */
    void discard(S sa);
  }

  private final EventLoop loop;
  private final Undertaker<S> undertaker;
  private final BiConsumer<S, String> report;
  private long bugs;

  /**
   * @param report writes the bug's one line where the SA's lines go (log, and the whack that asked for it)
   */
  public SaGuard(EventLoop loop, Undertaker<S> undertaker, BiConsumer<S, String> report) {
    this.loop = loop;
    this.undertaker = undertaker;
    this.report = report;
  }

  /** Runs {@code step} for {@code sa} now; true if it finished, false if it threw and the SA was deleted. */
  public boolean run(S sa, SaEvent event, Runnable step) {
    loop.assertInLoop();
    try {
      step.run();
      return true;
    } catch (RuntimeException e) {
      bugs++;
      report.accept(sa, sa.stateName() + ": internal error in " + event + " handler: " + e.getClass().getName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "; deleting the SA");
      LOG.debug("{}: stack of the internal error", sa.logPrefix(), e);
      bury(sa);
      return false;
    }
  }

  /** A timer whose task runs through the guard. */
  public EventLoop.Timer schedule(S sa, Duration delay, Runnable task) {
    return loop.schedule(delay, () -> run(sa, SaEvent.TIMER, task));
  }

  /** Work on a helper thread; its result (or failure) comes back through the guard on the loop. */
  public <T> void offload(S sa, Supplier<T> work, Consumer<T> then, Consumer<RuntimeException> failed) {
    loop.offload(work, r -> run(sa, SaEvent.HELPER_RESULT, () -> then.accept(r)),
        x -> run(sa, SaEvent.HELPER_RESULT, () -> failed.accept(x)));
  }

  /** Bugs caught so far (the fuzz tests check malformed input never counts here). */
  public long bugs() {
    return bugs;
  }

  private void bury(S sa) {
    try {
      undertaker.delete(sa);
    } catch (RuntimeException first) {
      LOG.error("{}: deleting the SA after an internal error failed ({}); forgetting it", sa.logPrefix(),
          first.getClass().getName());
      try {
        undertaker.discard(sa);
      } catch (RuntimeException second) {
        LOG.error("{}: cannot forget the SA either: {}", sa.logPrefix(), second.getClass().getName());
      }
    }
  }
}
