package org.openswanj.pluto.oe;

import java.time.Duration;
import java.time.Instant;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Where a key came from: the record's type and owner name, when its TTL runs out, and its DNSSEC status. */
public record KeySource(int rrType, Name owner, Instant expires, DnssecStatus dnssec) {
  /** "IPSECKEY", "TXT" or "KEY". */
  public String typeName() {
    return Type.string(rrType);
  }

  /** Time left of the record's TTL at {@code now}, never negative. */
  public Duration ttlLeft(Instant now) {
    Duration d = Duration.between(now, expires);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** {@code IPSECKEY 45.2.1.192.in-addr.arpa.}, for logs. */
  @Override
  public String toString() {
    return typeName() + " " + owner;
  }
}
