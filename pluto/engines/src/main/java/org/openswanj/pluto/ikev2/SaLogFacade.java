package org.openswanj.pluto.ikev2;

/** Daemon-level log lines in Openswan's shape, for code outside the engine. */
public final class SaLogFacade {
  private SaLogFacade() {}

  public static void global(String text) {
    SaLog.global(text);
  }
}
