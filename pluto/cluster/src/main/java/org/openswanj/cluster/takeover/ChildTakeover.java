package org.openswanj.cluster.takeover;

import org.openswanj.cluster.state.ChildSaRecord;
import org.openswanj.kernel.Replay;

/**
 * How the new active node installs one Child SA pair.
 *
 * @param nextOutboundSeq the first ESP sequence number it sends with (RFC 4303 §3.3.3: never reused)
 * @param inboundReplay a window of the recorded size: the bitmap of the old node is unknown, so it starts empty
 *     (RFC 4303 §3.4.3) above its {@code inboundFloor}, 0 unless the peer advances its counter (RFC 6311 §5.2)
 * @param rekeyAtOnce the sequence space is (nearly) exhausted: rekey the Child SA right after taking over
 */
public record ChildTakeover(ChildSaRecord record, long nextOutboundSeq, Replay inboundReplay, boolean rekeyAtOnce) {}
