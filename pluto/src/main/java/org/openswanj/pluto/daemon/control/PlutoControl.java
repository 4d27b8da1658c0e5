package org.openswanj.pluto.daemon.control;

import org.openswanj.whack.proto.WhackRequest;

/**
 * What the control server asks of the daemon; implemented by the daemon. Called on a control-server
 * thread, never on the event loop: an implementation posts the work to its loop and returns at once.
 * Replies go through {@code reply} (thread-safe, never blocks); the exchange ends with
 * {@link WhackReply#close()}, which the implementation must call exactly once, possibly much later
 * (an Initiate that is not asynchronous closes when the SA is up or has failed).
 */
public interface PlutoControl {
  void handle(WhackRequest request, WhackReply reply);
}
