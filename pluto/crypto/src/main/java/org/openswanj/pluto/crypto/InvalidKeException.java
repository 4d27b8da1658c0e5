package org.openswanj.pluto.crypto;

import java.security.InvalidKeyException;

/**
 * The peer's KE payload data is unusable: wrong length, not on the curve, or outside 1 &lt; y &lt; p-1
 * (RFC 7296 §3.4, RFC 5903 §9, RFC 8031 §2). The message names the group and what is wrong; the daemon
 * answers with INVALID_SYNTAX (or drops), never a stack trace.
 */
public final class InvalidKeException extends InvalidKeyException {
  private static final long serialVersionUID = 1L;

  public InvalidKeException(String message) {
    super(message);
  }
}
