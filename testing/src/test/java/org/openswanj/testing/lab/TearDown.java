package org.openswanj.testing.lab;

/**
 * A lab's tear-down, run once: by {@link #close()}, or by a JVM shutdown hook (once {@link #arm armed}) if the
 * test run dies before closing the lab.
 */
final class TearDown implements AutoCloseable {
  private final Runnable down;
  private final Thread hook;
  private boolean closed;

  TearDown(String name, Runnable down) {
    this.down = down;
    this.hook = new Thread(down, name);
  }

  void arm() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    down.run();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException | IllegalArgumentException notThere) {
      // the hook is running or has run, or was never armed: nothing to remove
    }
  }
}
