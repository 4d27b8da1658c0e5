package org.openswanj.cluster.takeover;

import org.openswanj.cluster.state.IsakmpSaRecord;

/**
 * How the new active node resumes one ISAKMP SA. IKEv1 has no message ID counters to bring in step (each
 * exchange has a random one, RFC 2409 §5.5) and no RFC 6311; the liveness check after a takeover is a DPD
 * R_U_THERE (RFC 3706 §5).
 *
 * @param firstDpdSeq the sequence number of that R_U_THERE: past every one the old node may have sent since it
 *     published (§5.5: a receiver may refuse a number that does not increase)
 */
public record IsakmpTakeover(IsakmpSaRecord record, long firstDpdSeq) {}
