package org.openswanj.cluster.state;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What the peers agreed beside the suite: which NAT-T flavour (RFC 3947 or its drafts; it decides the
 * encapsulation and the NAT-OA handling of later Quick Modes), whether the peer announced DPD (RFC 3706 §4), and
 * the last R_U_THERE sequence number we had sent when the record was published (§5.5; a takeover jumps past it);
 * as an XAUTH/ModeConfig server, the user XAUTH accepted ("" none) and the address ModeConfig gave the client
 * (null none), so the node taking over names the user and keeps the client's lease out of its pool.
 */
public record IsakmpFeatures(NattFlavour natt, boolean peerDpd, long dpdSeq, String xauthUser,
    InetAddress modecfgAddress) {
  /** The NAT-T vendor ID the peers agreed on (RFC 3947 §3.1), NONE without NAT-T. */
  public enum NattFlavour { NONE, RFC3947, DRAFT }

  public IsakmpFeatures {
    Objects.requireNonNull(natt, "natt");
    Objects.requireNonNull(xauthUser, "xauthUser");
    if (dpdSeq < 0 || dpdSeq > 0xffffffffL) {
      throw new IllegalArgumentException("DPD sequence number " + dpdSeq + " out of the 32-bit range");
    }
  }

  /** Without XAUTH or ModeConfig. */
  public IsakmpFeatures(NattFlavour natt, boolean peerDpd, long dpdSeq) {
    this(natt, peerDpd, dpdSeq, "", null);
  }

  /** Whether the record needs format version 4 (XAUTH or ModeConfig state). */
  public boolean hasClientState() {
    return !xauthUser.isEmpty() || modecfgAddress != null;
  }
}
