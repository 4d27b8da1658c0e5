package org.openswanj.kernel.netkey;

/**
 * A netlink request failed: the kernel answered with NLMSG_ERROR, or the socket call itself failed.
 * The backend turns it into a {@link org.openswanj.kernel.KernelException} that names what was asked.
 */
final class NetlinkException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int errno;
  private final String kernelMessage;

  NetlinkException(String message, int errno, String kernelMessage) {
    super(message);
    this.errno = errno;
    this.kernelMessage = kernelMessage;
  }

  int errno() {
    return errno;
  }

  /** The kernel's extended-ack text ("Requested type not found"), or null. */
  String kernelMessage() {
    return kernelMessage;
  }
}
