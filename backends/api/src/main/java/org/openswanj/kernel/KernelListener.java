package org.openswanj.kernel;

/** Receives backend events. Called on a backend thread: post to pluto's event loop, do not block. */
@FunctionalInterface
public interface KernelListener {
  void onEvent(KernelEvent event);
}
