package org.openswanj.cluster.state;

/** What the peer announced in IKE_AUTH about RFC 6311 (§3: IKEV2_MESSAGE_ID_SYNC_SUPPORTED, 16420). */
public enum MessageIdSync {
  /** The peer did not announce support: a takeover jumps its own counter and checks liveness. */
  UNSUPPORTED,
  /** The peer announced IKEV2_MESSAGE_ID_SYNC_SUPPORTED. */
  MESSAGE_ID,
  /** ... and IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED (16421) too. */
  MESSAGE_ID_AND_REPLAY
}
