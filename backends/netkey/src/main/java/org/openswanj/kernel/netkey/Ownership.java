package org.openswanj.kernel.netkey;

import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Selector;

/**
 * How the kernel objects this backend installs are recognisable, so that a restarted pluto can remove
 * what a previous one left behind, and nothing of another process's:
 *
 * <ul>
 *   <li><b>reqid</b>: pluto's reqid r (0..0xffff) goes to the kernel as {@code 0x4f530000 | r} ("OS" in
 *       the top half) on SAs and on policy templates, and comes back untagged in acquire events. A policy
 *       and its SAs both pass through here, so they still agree with each other.
 *   <li><b>priority</b>: every policy's kernel priority is {@code (p << 8) | 0xa5}, where p is the
 *       priority pluto asked for (1..0xffffff) or, when it asked for 0, {@code 0x1000 - specificity} so
 *       that the most specific selector wins (XFRM: the lower value wins). The low byte 0xa5 marks
 *       shunt policies, which have no template and hence no reqid.
 * </ul>
 *
 * Marks would do the same, but a mark on a policy or SA also changes which packets match it.
 */
final class Ownership {
  static final int REQID_TAG = 0x4f530000;
  static final int REQID_MASK = 0xffff0000;
  static final int PRIORITY_TAG = 0xa5;
  static final int PRIORITY_BASE = 0x1000;

  private Ownership() {}

  static int kernelReqid(int reqid, String what) throws KernelException {
    if (reqid < 0 || reqid > 0xffff) {
      throw new KernelException(what + ": reqid " + reqid + " is outside 0..65535, the range netkey can tag");
    }
    return REQID_TAG | reqid;
  }

  static boolean isOurReqid(int kernelReqid) {
    return (kernelReqid & REQID_MASK) == REQID_TAG;
  }

  /** Pluto's reqid from a kernel one (unchanged if it is not ours). */
  static int plutoReqid(int kernelReqid) {
    return isOurReqid(kernelReqid) ? kernelReqid & 0xffff : kernelReqid;
  }

  static int kernelPriority(PolicySpec spec, Selector sel, String what) throws KernelException {
    int p = spec.priority() != 0 ? spec.priority() : PRIORITY_BASE - sel.specificity();
    if (p < 0 || p > 0xffffff) {
      throw new KernelException(what + ": priority " + p + " is outside 0..16777215, the range netkey can tag");
    }
    return (p << 8) | PRIORITY_TAG;
  }

  static boolean isOurPriority(int kernelPriority) {
    return (kernelPriority & 0xff) == PRIORITY_TAG;
  }
}
