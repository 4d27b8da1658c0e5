package org.openswanj.pluto.engine;

/**
 * The client waiting on an SA ({@code ipsec auto --up}): the lines about that SA, then the end of its wait.
 * The daemon adapts a whack reply to it; the engines see nothing of whack.
 */
public interface Watcher {
  /** One line to the client; after {@link #close()} a no-op. */
  void line(Outcome what, String text);

  /** The client's wait is over. Idempotent. */
  void close();

  boolean closed();
}
