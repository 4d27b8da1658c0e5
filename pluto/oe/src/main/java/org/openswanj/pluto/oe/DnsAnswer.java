package org.openswanj.pluto.oe;

import java.time.Instant;
import java.util.List;
import org.xbill.DNS.Record;

/**
 * The outcome of one DNS query (name, type): the records (for {@link Kind#POSITIVE}), their DNSSEC status,
 * when the answer stops being usable (TTL, or the RFC 2308 negative TTL), and for failures why.
 */
record DnsAnswer(Kind kind, List<Record> records, DnssecStatus dnssec, Instant expires, String reason) {
  enum Kind {
    /** Records of the type asked for. */
    POSITIVE,
    /** NXDOMAIN or NODATA (RFC 2308 §1): the name or the type does not exist. */
    NEGATIVE,
    /** No answer in time. */
    TIMEOUT,
    /** SERVFAIL, REFUSED, an unreachable server, a malformed reply. */
    ERROR,
    /** The validator found the answer bogus (signatures missing or wrong under a trust anchor). */
    BOGUS
  }

  DnsAnswer {
    records = List.copyOf(records);
  }

  static DnsAnswer failure(Kind kind, DnssecStatus dnssec, Instant now, String reason) {
    return new DnsAnswer(kind, List.of(), dnssec, now, reason);
  }

  /** Worth keeping: positive answers and negative answers that had an SOA for their TTL (RFC 2308 §5). */
  boolean cacheable(Instant now) {
    return (kind == Kind.POSITIVE || kind == Kind.NEGATIVE) && expires.isAfter(now);
  }
}
