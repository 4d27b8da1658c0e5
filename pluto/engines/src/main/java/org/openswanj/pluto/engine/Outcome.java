package org.openswanj.pluto.engine;

/**
 * What a line about an SA means to the whack client waiting for it (Openswan's {@code rc_type}, the part the
 * exchanges use). The engines say what happened; the daemon maps each to its whack reply code.
 */
public enum Outcome {
  COMMENT,
  NEW_STATE,
  SUCCESS,
  LOG_SERIOUS,
  AUTHFAILED,
  BADID,
  NOKEY,
  NOPEERIP,
  NORETRANSMISSION;

  /** Lines logged as warnings rather than information. */
  public boolean serious() {
    return this == LOG_SERIOUS || this == AUTHFAILED || this == NORETRANSMISSION;
  }
}
