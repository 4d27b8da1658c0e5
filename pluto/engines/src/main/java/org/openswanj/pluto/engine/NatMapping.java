package org.openswanj.pluto.engine;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.openswanj.kernel.KernelFeature;
import org.openswanj.pluto.sa.SaInstaller;

/**
 * Whether an IKE SA follows its peer to a new NAT mapping that authenticated ESP arrived from, the same rule for
 * IKEv1 and IKEv2. RFC 7296 §2.23: a host not behind a NAT SHOULD send to the address and port of the last
 * validated packet; one behind the NAT SHOULD NOT (a single packet could break the connection). The kernel SAs are
 * keyed on the peer's address, so only a new port is followed, and only where the backend can move the SAs
 * (moving the IKE SA alone would leave ESP on the dead mapping while DPD finds the peer alive).
 */
public final class NatMapping {
  private NatMapping() {}

  /** Why the SA stays where it is, or empty when it moves to {@code from}. */
  public static Optional<String> whyNotFollowed(boolean natLocal, boolean natRemote, SaInstaller installer,
      InetSocketAddress from, InetSocketAddress current) {
    String why;
    if (natLocal) {
      why = "we are behind a NAT";
    } else if (!natRemote) {
      why = "NAT-D found no NAT in front of the peer";
    } else if (!installer.backend().features().contains(KernelFeature.ENCAP_UPDATE)) {
      why = "the kernel backend cannot move its SAs";
    } else if (!from.getAddress().equals(current.getAddress())) {
      why = "only a new port is followed, not a new address";
    } else {
      return Optional.empty();
    }
    return Optional.of("NAT-T: ESP from new mapping " + from + " not followed: " + why);
  }

  /** The line logged when the SA moves. */
  public static String moved(InetSocketAddress from, InetSocketAddress to) {
    return "NAT-T: peer's mapping moved from " + from + " to " + to;
  }
}
