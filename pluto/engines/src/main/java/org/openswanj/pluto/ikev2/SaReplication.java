package org.openswanj.pluto.ikev2;

/**
 * Told when SA state that a standby gateway needs changes (docs/HA.md, "Replication"): an IKE SA is up, rekeyed
 * or its message IDs moved; a Child SA is installed or rekeyed; an SA is gone. Called on the event loop; an
 * implementation must not block it. The engine knows nothing of what is done with it.
 */
public interface SaReplication {
  /** Nothing replicated (no cluster). */
  SaReplication NONE = new SaReplication() {};

  /** An established IKE SA changed: established, rekeyed (a new SA), or its message ID counters moved. */
  default void ikeChanged(IkeSa sa) {}

  /** A Child SA was installed in the kernel (IKE_AUTH, CREATE_CHILD_SA, a rekey) or moved to a rekeyed IKE SA. */
  default void childInstalled(ChildSa child) {}

  /** An IKE SA left the engine's table (deleted, expired, replaced). */
  default void ikeGone(IkeSa sa) {}

  /** A Child SA left the engine's table. */
  default void childGone(ChildSa child) {}
}
