package org.openswanj.pluto.ikev1;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.Watcher;

/** Openswan's log line shape, {@code "conn" #N: text}, to the log and to the whack that asked (STYLE rule 10). */
final class V1Log {
  private static final Logger LOG = LogManager.getLogger("pluto");
  /** Dropped messages: logged at the default level, rate-limited by the logging setup (a flood stays quiet). */
  private static final Logger DROPPED = LogManager.getLogger("pluto.dropped");

  private V1Log() {}

  static void sa(IsakmpSa sa, Outcome rc, String text) {
    // what whack is told is why phase 1 failed (for whack --metrics); the first reason stays
    if (sa.failure == null && rc == Outcome.AUTHFAILED) {
      sa.failure = org.openswanj.pluto.engine.EngineMetrics.Failure.AUTH_FAILED;
    } else if (sa.failure == null && rc == Outcome.NORETRANSMISSION) {
      sa.failure = org.openswanj.pluto.engine.EngineMetrics.Failure.TIMEOUT;
    }
    say(sa.watcher, rc, "\"" + sa.conn.name() + "\" #" + sa.serial + ": " + text);
  }

  static void quick(QuickSa q, Outcome rc, String text) {
    say(q.watcher(), rc, q.connName() + " #" + q.serial + ": " + text);
  }

  /** A state change: {@code "conn" #1: STATE_MAIN_I2: sent MI2, expecting MR2}. */
  static void transition(IsakmpSa sa, Ikev1State st, String detail, Outcome rc) {
    say(sa.watcher, rc, "\"" + sa.conn.name() + "\" #" + sa.serial + ": " + st.name() + ": " + st.story()
        + (detail.isEmpty() ? "" : " " + detail));
  }

  static void transition(QuickSa q, Ikev1State st, String detail, Outcome rc) {
    say(q.watcher(), rc, q.connName() + " #" + q.serial + ": " + st.name() + ": " + st.story()
        + (detail.isEmpty() ? "" : " " + detail));
  }

  static void global(String text) {
    LOG.info(text);
  }

  /** Why a message was dropped; rate-limited (logger {@code pluto.dropped}). */
  static void dropped(String text) {
    DROPPED.info(text);
  }

  static void debug(String text) {
    LOG.debug(text);
  }

  static void say(Watcher watcher, Outcome rc, String line) {
    if (rc.serious()) {
      LOG.warn(line);
    } else {
      LOG.info(line);
    }
    if (watcher != null && !watcher.closed()) {
      watcher.line(rc, line);
    }
  }
}
