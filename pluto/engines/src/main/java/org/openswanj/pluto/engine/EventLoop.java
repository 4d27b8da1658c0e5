package org.openswanj.pluto.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one thread that owns all SA and connection state (DESIGN.md "Inside pluto"). Sockets, whack, backend
 * events and timers post to it; slow work (DH, signatures, DNS) runs on helpers and posts its result back.
 */
public interface EventLoop extends Executor {

  /** A scheduled event that can be cancelled (Openswan's EVENT_*). */
  interface Timer {
    void cancel();

    /** When it fires. */
    Instant due();
  }

  Timer schedule(Duration delay, Runnable task);

  Instant now();

  /** Runs {@code work} on a helper thread and {@code then} with its result on the loop. */
  <T> void offload(Supplier<T> work, Consumer<T> then, Consumer<RuntimeException> failed);

  /** True on the loop thread. */
  boolean inLoop();

  /** STYLE rule 8: state changes only on the loop. */
  default void assertInLoop() {
    if (!inLoop()) {
      throw new IllegalStateException("SA state touched outside the event loop by " + Thread.currentThread().getName());
    }
  }
}
