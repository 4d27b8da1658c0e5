package org.openswanj.pluto.oe;

/** What DNSSEC said about an answer (RFC 4033 §5 security states, plus "not checked"). */
public enum DnssecStatus {
  /** Validated from a configured trust anchor (RFC 4033 §5 "secure"). */
  SECURE,
  /** Provably or possibly unsigned: no chain of trust reaches it. Refused when DNSSEC is on. */
  INSECURE,
  /** Signatures missing or wrong under a trust anchor (RFC 4033 §5 "bogus"). Refused when DNSSEC is on. */
  BOGUS,
  /** DNSSEC is off (no trust anchor configured): used as it came. */
  UNVALIDATED;

  /** The weaker of two statuses, for a result built from several answers. */
  DnssecStatus weakest(DnssecStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  public String describe() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
