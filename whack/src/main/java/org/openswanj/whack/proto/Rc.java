package org.openswanj.whack.proto;

import java.util.Optional;

/**
 * Reply codes on whack lines ("NNN text"), as Openswan's {@code enum rc_type} (include/oswlog.h) numbers
 * them. They end up as whack's exit status, so they stay below 256. {@link #NEW_STATE} and
 * {@link #NOTIFICATION} start ranges: a line may carry the base plus a state or notify number.
 * Openswan's enum lets INITSHUNT/WILDCARD/NOVALIDPIN (30..32) overlap BADWHACKMESSAGE/NORETRANSMISSION/
 * INTERNALERR; we keep its numbers, so {@link #fromCode} answers the first name of a shared number.
 */
public enum Rc {
  COMMENT(0), WHACK_PROBLEM(1), LOG(2), LOG_SERIOUS(3), SUCCESS(4),
  RETRANSMISSION(10),
  DUPNAME(20), UNKNOWN_NAME(21), ORIENT(22), CLASH(23), DEAF(24), ROUTE(25), RTBUSY(26), BADID(27),
  NOKEY(28), NOPEERIP(29), INITSHUNT(30), WILDCARD(31), NOVALIDPIN(32),
  BADWHACKMESSAGE(30), NORETRANSMISSION(31), INTERNALERR(32), OPPOFAILURE(33), NOALGO(34),
  CRYPTOFAILED(35), AGGRALGO(36), FATAL(37), AUTHFAILED(38),
  ENTERSECRET(40), XAUTHPROMPT(41),
  NEW_STATE(100), NOTIFICATION(200);

  private final int code;

  Rc(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The code with that number; a number inside the NEW_STATE or NOTIFICATION range maps to its base. */
  public static Optional<Rc> fromCode(int code) {
    for (Rc rc : values()) {
      if (rc.code == code) {
        return Optional.of(rc);
      }
    }
    if (code >= NOTIFICATION.code && code < 256) {
      return Optional.of(NOTIFICATION);
    }
    if (code >= NEW_STATE.code && code < NOTIFICATION.code) {
      return Optional.of(NEW_STATE);
    }
    return Optional.empty();
  }

  /**
   * Whether a line with this code changes whack's exit status (programs/whack/whack.c): COMMENT and LOG
   * are ignored, SUCCESS resets the status to 0, every other code becomes the status.
   */
  public static boolean significant(int code) {
    return code != COMMENT.code && code != LOG.code;
  }
}
