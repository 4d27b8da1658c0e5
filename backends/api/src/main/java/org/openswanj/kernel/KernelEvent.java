package org.openswanj.kernel;

import java.net.InetSocketAddress;

/** Events a backend raises to pluto. */
public sealed interface KernelEvent {
  /** A packet hit a %trap policy: negotiate an SA for it (on-demand tunnels, opportunistic encryption). */
  record Acquire(Selector packet, PolicyId policy, int reqid) implements KernelEvent {}

  /** An SA reached its soft (rekey) or hard (delete) lifetime. */
  record Expire(SaId sa, boolean hard) implements KernelEvent {}

  /** The peer's NAT mapping changed (RFC 3948 §5: the outer source address or port of ESP-in-UDP moved). */
  record Mapping(SaId sa, InetSocketAddress newPeer) implements KernelEvent {}
}
