package org.openswanj.cluster.codec;

/** A replicated record that cannot be used, and why; the message names where (field, offset) and what. */
public final class RecordException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The kinds of refusal a reader acts on (log and skip, or resync). */
  public enum Reason { TRUNCATED, UNSUPPORTED_VERSION, UNKNOWN_TYPE, BAD_VALUE, TRAILING_BYTES, NOT_AUTHENTIC }

  private final Reason reason;

  public RecordException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
