package org.openswanj.kernel;

/** The kernel (or user-space stack) refused a request; the message says what was asked and why, in words. */
public class KernelException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int errno;

  public KernelException(String message) {
    this(message, 0, null);
  }

  public KernelException(String message, int errno) {
    this(message, errno, null);
  }

  public KernelException(String message, int errno, Throwable cause) {
    super(message, cause);
    this.errno = errno;
  }

  /** The errno the kernel returned, or 0. */
  public int errno() {
    return errno;
  }
}
