package org.openswanj.cluster.vip;

/** A virtual address could not be claimed or released; the message names the command and what it said. */
public final class VipClaimException extends Exception {
  private static final long serialVersionUID = 1L;

  public VipClaimException(String message) {
    super(message);
  }
}
