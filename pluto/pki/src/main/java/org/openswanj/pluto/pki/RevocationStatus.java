package org.openswanj.pluto.pki;

import java.time.Instant;

/** What a CRL or OCSP answer says about one certificate. */
public sealed interface RevocationStatus {
  /**
   * Not revoked.
   *
   * @param source where that was learnt ("CRL from ...", "OCSP from ...")
   */
  record Good(String source) implements RevocationStatus {}

  /**
   * Revoked.
   *
   * @param date the revocation date
   * @param source where that was learnt
   */
  record Revoked(Instant date, String source) implements RevocationStatus {}

  /**
   * Not known: no CRL or responder, a fetch failed, an answer was stale or did not verify.
   *
   * @param why the reason, for the log line
   */
  record Unknown(String why) implements RevocationStatus {}
}
