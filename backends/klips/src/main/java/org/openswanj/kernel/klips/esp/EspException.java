package org.openswanj.kernel.klips.esp;

/** An inbound ESP packet was refused; {@link #reason()} says which counter it goes to. No stack trace: it is expected traffic. */
public final class EspException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a packet was dropped. */
  public enum Reason {
    /** Shorter than header + IV + trailer + ICV, or not a whole number of cipher blocks. */
    MALFORMED,
    /** ICV mismatch (RFC 4303 §3.4.4). */
    INTEGRITY,
    /** Pad length larger than the payload (RFC 4303 §2.4). */
    BAD_PADDING
  }

  private final Reason reason;

  public EspException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
