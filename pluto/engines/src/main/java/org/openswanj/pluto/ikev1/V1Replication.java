package org.openswanj.pluto.ikev1;

/**
 * Told when IKEv1 SA state that a standby gateway needs changes (docs/HA.md, "Replication"): an ISAKMP SA is
 * established, an IPsec SA is installed (a Quick Mode, a rekey, or a move to a replacing ISAKMP SA), an SA is gone.
 * The IKEv1 counterpart of {@code ikev2.SaReplication}; called on the event loop, it must not block it. The engine
 * knows nothing of what is done with it.
 */
public interface V1Replication {
  /** Nothing replicated (no cluster). */
  V1Replication NONE = new V1Replication() {};

  /** Phase 1 completed (Main or Aggressive Mode), or the SA was taken over. */
  default void isakmpEstablished(IsakmpSa sa) {}

  /** Both halves of an IPsec SA pair are in the kernel, or it moved to another ISAKMP SA. */
  default void ipsecInstalled(QuickSa q) {}

  /** An ISAKMP SA left the engine's table. */
  default void isakmpGone(IsakmpSa sa) {}

  /** An IPsec SA left the engine's table. */
  default void ipsecGone(QuickSa q) {}
}
