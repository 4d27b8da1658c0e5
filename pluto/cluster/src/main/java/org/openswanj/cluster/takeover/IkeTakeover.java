package org.openswanj.cluster.takeover;

import org.openswanj.cluster.state.IkeSaRecord;

/**
 * How the new active node resumes one IKE SA.
 *
 * @param nextSendRequest the message ID to offer as EXPECTED_SEND_REQ_MESSAGE_ID, or to probe from
 * @param nextExpectedRequest the message ID to offer as EXPECTED_RECV_REQ_MESSAGE_ID
 * @param probeWindow with {@link IkeResync#PROBE}: how many IDs above {@code nextSendRequest} to try
 */
public record IkeTakeover(IkeSaRecord record, IkeResync resync, long nextSendRequest, long nextExpectedRequest,
    int probeWindow) {}
