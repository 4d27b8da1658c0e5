package org.openswanj.kernel.netkey;

import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTransform;

/** Turns netlink refusals into {@link KernelException}s that say what was asked, the errno, and what it means. */
final class XfrmErrors {
  private XfrmErrors() {}

  /** "esp:0x0000abcd 192.0.2.2→192.0.2.1". */
  static String sa(SaId id) {
    return String.format("%s:0x%08x %s→%s", id.proto().name().toLowerCase(java.util.Locale.ROOT), id.spi(),
        id.src().getHostAddress(), id.dst().getHostAddress());
  }

  /** The module that provides a transform (what to load when the kernel lacks it). */
  static String module(IpsecProto p) {
    return switch (p) {
      case ESP -> "esp4/esp6";
      case AH -> "ah4/ah6";
      case IPCOMP -> "ipcomp/ipcomp6";
    };
  }

  /** A refused NEWSA/UPDSA: a missing transform and a missing algorithm get their own words. */
  static KernelException saInstall(String verb, SaId id, SaSpec spec, NetlinkException e) {
    String what = "cannot " + verb + " SA " + sa(id) + ": ";
    int errno = e.errno();
    String why;
    if (errno == Errno.EPROTONOSUPPORT) {
      why = "the kernel has no " + id.proto().name() + " transform (EPROTONOSUPPORT): load the "
          + module(id.proto()) + " module";
    } else if (errno == Errno.ENOSYS || errno == Errno.ENOENT && e.kernelMessage() != null
        && e.kernelMessage().contains("lgorithm")) {
      why = "algorithm not supported by the kernel: " + algorithms(spec) + " (" + Errno.name(errno) + ")";
    } else if (errno == Errno.EEXIST) {
      why = "an SA with this SPI already exists (EEXIST)";
    } else if (errno == Errno.ENOENT || errno == Errno.ESRCH) {
      why = "no such SA to update (" + Errno.name(errno) + ")";
    } else {
      why = Errno.meaning(errno) + " (" + Errno.name(errno) + ")";
    }
    return new KernelException(what + why + kernelSays(e), errno, e);
  }

  static String algorithms(SaSpec spec) {
    SaTransform t = spec.transform();
    return t.integrity() == null ? t.cipher().xfrmName() : t.cipher().xfrmName() + " with " + t.integrity().xfrmName();
  }

  /**
   * Any other refusal: {@code what} says what was asked ("cannot delete SA …"), {@code thing} names the
   * object for ENOENT/EEXIST ("SA", "policy").
   */
  static KernelException refused(String what, String thing, NetlinkException e) {
    int errno = e.errno();
    String why = switch (errno) {
      case Errno.ENOENT, Errno.ESRCH -> "no such " + thing + " (" + Errno.name(errno) + ")";
      case Errno.EEXIST -> "the " + thing + " already exists (EEXIST)";
      default -> e.getMessage().equals(Errno.name(errno))
          ? Errno.meaning(errno) + " (" + Errno.name(errno) + ")" : e.getMessage();
    };
    return new KernelException(what + ": " + why + kernelSays(e), errno, e);
  }

  private static String kernelSays(NetlinkException e) {
    return e.kernelMessage() == null || e.kernelMessage().isEmpty() ? "" : "; the kernel says: " + e.kernelMessage();
  }
}
