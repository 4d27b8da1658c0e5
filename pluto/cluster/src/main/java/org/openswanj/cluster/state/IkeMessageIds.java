package org.openswanj.cluster.state;

import java.util.Objects;

/**
 * The IKE SA's message ID counters (RFC 7296 §2.2): the ID of the next request we send and of the next
 * request we expect from the peer, and whether the peer can resynchronise them by RFC 6311.
 */
public record IkeMessageIds(long nextSendRequest, long nextExpectedRequest, MessageIdSync sync) {
  public IkeMessageIds {
    Objects.requireNonNull(sync, "sync");
    if (nextSendRequest < 0 || nextSendRequest > 0xffffffffL || nextExpectedRequest < 0
        || nextExpectedRequest > 0xffffffffL) {
      throw new IllegalArgumentException("IKE message ID out of the 32-bit range");
    }
  }
}
