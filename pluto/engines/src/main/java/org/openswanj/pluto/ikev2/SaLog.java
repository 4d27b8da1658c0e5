package org.openswanj.pluto.ikev2;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.engine.Watcher;

/**
 * Openswan's log line shape, {@code "conn" #N: text}, to the log and to the whack that asked for the SA
 * (STYLE rule 10). Never given key material.
 */
public final class SaLog {
  private static final Logger LOG = LogManager.getLogger("pluto");
  /** Dropped messages: logged at the default level, rate-limited by the logging setup (a flood stays quiet). */
  private static final Logger DROPPED = LogManager.getLogger("pluto.dropped");

  private SaLog() {}

  public static void ike(IkeSa sa, Outcome rc, String text) {
    say(sa.watcher, rc, "\"" + sa.conn.name() + "\" #" + sa.serial + ": " + text);
  }

  public static void child(ChildSa c, Outcome rc, String text) {
    say(watcherOf(c), rc, "\"" + c.conn.name() + "\" #" + c.serial + ": " + text);
  }

  /** A state change ({@link V2Machine}): {@code "conn" #1: STATE_PARENT_I2: sent v2I2, expected v2R2 {…}}. */
  static void transition(IkeSa sa, Ikev2State st, String story, Outcome rc) {
    say(sa.watcher, rc, "\"" + sa.conn.name() + "\" #" + sa.serial + ": " + st.name() + ": " + story);
  }

  /** A Child SA is up: {@code "conn" #2: STATE_PARENT_I3: IPsec SA established tunnel mode {…}}. */
  static void childEstablished(ChildSa c, Ikev2State st, String text, Outcome rc) {
    say(watcherOf(c), rc, "\"" + c.conn.name() + "\" #" + c.serial + ": " + st.name() + ": " + text);
  }

  /** A Child SA of another conn than its IKE SA's reports to its own whack. */
  private static Watcher watcherOf(ChildSa c) {
    return c.watcher != null ? c.watcher : c.conn == c.parent.conn ? c.parent.watcher : null;
  }

  /** A line about a conn that is no SA's yet (a Child SA being made), to the log and to its whack. */
  static void line(Watcher watcher, Outcome rc, String line) {
    say(watcher, rc, line);
  }

  public static void conn(String conn, String text) {
    LOG.info("\"{}\": {}", conn, text);
  }

  public static void global(String text) {
    LOG.info(text);
  }

  /** Why a message was dropped; rate-limited (logger {@code pluto.dropped}). */
  public static void dropped(String text) {
    DROPPED.info(text);
  }

  public static void debug(String text) {
    LOG.debug(text);
  }

  private static void say(Watcher watcher, Outcome rc, String line) {
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
