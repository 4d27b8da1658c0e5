package org.openswanj.pluto.crypto.sig;

import java.util.Objects;

/**
 * The outcome of checking a peer's signature: valid, or refused with a one-line reason for the log.
 *
 * @param status what happened
 * @param reason empty when valid; otherwise what to log, e.g. "RSA key of 1024 bits is too small ..."
 */
public record SigVerdict(Status status, String reason) {
  /** Why a signature was not accepted. */
  public enum Status {
    VALID,
    /** The signature does not verify with the key (or is malformed). */
    BAD_SIGNATURE,
    /** The key is refused by policy (too small) or does not fit the method (wrong type or curve). */
    KEY_REFUSED,
    /** The method, algorithm or hash is unknown or refused by policy. */
    UNSUPPORTED
  }

  private static final SigVerdict VALID_VERDICT = new SigVerdict(Status.VALID, "");

  public SigVerdict {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }

  public static SigVerdict valid() {
    return VALID_VERDICT;
  }

  public static SigVerdict bad(String reason) {
    return new SigVerdict(Status.BAD_SIGNATURE, reason);
  }

  public static SigVerdict keyRefused(String reason) {
    return new SigVerdict(Status.KEY_REFUSED, reason);
  }

  public static SigVerdict unsupported(String reason) {
    return new SigVerdict(Status.UNSUPPORTED, reason);
  }

  public boolean isValid() {
    return status == Status.VALID;
  }
}
