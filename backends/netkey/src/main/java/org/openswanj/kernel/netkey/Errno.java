package org.openswanj.kernel.netkey;

/** Linux errno values the XFRM interface returns, with their names and a plain-words meaning. */
final class Errno {
  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int ESRCH = 3;
  static final int EAGAIN = 11;
  static final int ENOMEM = 12;
  static final int EEXIST = 17;
  static final int EINVAL = 22;
  static final int ENOSYS = 38;
  static final int EPROTONOSUPPORT = 93;
  static final int EOPNOTSUPP = 95;
  static final int EAFNOSUPPORT = 97;

  private Errno() {}

  /** "ENOENT", or "errno 123" for one we do not name. */
  static String name(int errno) {
    return switch (errno) {
      case EPERM -> "EPERM";
      case ENOENT -> "ENOENT";
      case ESRCH -> "ESRCH";
      case 4 -> "EINTR";
      case 9 -> "EBADF";
      case EAGAIN -> "EAGAIN";
      case ENOMEM -> "ENOMEM";
      case 13 -> "EACCES";
      case 16 -> "EBUSY";
      case EEXIST -> "EEXIST";
      case 19 -> "ENODEV";
      case EINVAL -> "EINVAL";
      case 28 -> "ENOSPC";
      case ENOSYS -> "ENOSYS";
      case 90 -> "EMSGSIZE";
      case 92 -> "ENOPROTOOPT";
      case EPROTONOSUPPORT -> "EPROTONOSUPPORT";
      case EOPNOTSUPP -> "EOPNOTSUPP";
      case EAFNOSUPPORT -> "EAFNOSUPPORT";
      case 105 -> "ENOBUFS";
      case 110 -> "ETIMEDOUT";
      default -> "errno " + errno;
    };
  }

  /** What the errno means in general; callers say what it means for their request. */
  static String meaning(int errno) {
    return switch (errno) {
      case EPERM -> "operation not permitted (XFRM needs CAP_NET_ADMIN)";
      case ENOENT -> "no such entry";
      case ESRCH -> "no such entry";
      case EAGAIN -> "try again";
      case ENOMEM -> "the kernel is out of memory";
      case 13 -> "permission denied";
      case 16 -> "busy";
      case EEXIST -> "already exists";
      case 19 -> "no such device";
      case EINVAL -> "invalid argument";
      case 28 -> "no space left (SPI range exhausted?)";
      case ENOSYS -> "not supported by the kernel";
      case 90 -> "message too long";
      case 92 -> "protocol option not available";
      case EPROTONOSUPPORT -> "protocol not supported by the kernel";
      case EOPNOTSUPP -> "operation not supported";
      case EAFNOSUPPORT -> "address family not supported by the kernel";
      case 105 -> "no buffer space (netlink socket overrun)";
      case 110 -> "timed out";
      default -> "unknown error";
    };
  }
}
