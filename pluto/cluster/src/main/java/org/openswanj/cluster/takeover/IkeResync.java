package org.openswanj.cluster.takeover;

/** How the new active node gets back in step with the peer's IKE message IDs. */
public enum IkeResync {
  /**
   * RFC 6311 §4: an INFORMATIONAL with message ID zero carrying IKEV2_MESSAGE_ID_SYNC (nonce,
   * EXPECTED_SEND_REQ_MESSAGE_ID, EXPECTED_RECV_REQ_MESSAGE_ID); the peer answers with the higher counters.
   */
  RFC6311_SYNC,
  /**
   * No RFC 6311: a liveness check (empty INFORMATIONAL, RFC 7296 §1.4) from the recorded ID upwards; the
   * peer answers a request it has already seen with its cached response (§2.1), one it has not with a new one.
   */
  PROBE
}
