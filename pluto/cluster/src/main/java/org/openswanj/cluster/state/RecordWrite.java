package org.openswanj.cluster.state;

/** One write of a record: a put (established, rekeyed, its counters moved) or a delete (the SA is gone). */
public record RecordWrite(SaRecord record, boolean put) {}
