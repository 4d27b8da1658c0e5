package org.openswanj.pluto.pki;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How revocation is checked ({@code config setup}): {@code strictcrlpolicy=yes} fails a certificate whose status
 * cannot be learnt, {@code =no} (the default) accepts it with a warning; {@code crlcheckinterval=} (seconds; 0, the
 * default, turns off fetching from distribution points, as in Openswan 2.6) bounds how long a fetched CRL is used
 * before it is fetched again (never past its nextUpdate); {@code ocspuri=} names a responder for every certificate.
 *
 * @param strict strictcrlpolicy
 * @param crlCheckInterval crlcheckinterval; zero disables CRL fetching
 * @param ocspUri a configured OCSP responder, used before the one a certificate names
 * @param fetchTimeout how long one CRL or OCSP fetch may take before the status counts as unknown
 */
public record RevocationPolicy(Strict strict, Duration crlCheckInterval, Optional<URI> ocspUri, Duration fetchTimeout) {
  /** strictcrlpolicy=yes|no. */
  public enum Strict {
    YES,
    NO
  }

  /** Openswan's defaults: not strict, no fetching, no responder, and a 10 s limit per fetch. */
  public static final RevocationPolicy DEFAULT =
      new RevocationPolicy(Strict.NO, Duration.ZERO, Optional.empty(), Duration.ofSeconds(10));

  public RevocationPolicy {
    Objects.requireNonNull(strict, "strict");
    Objects.requireNonNull(crlCheckInterval, "crlCheckInterval");
    Objects.requireNonNull(ocspUri, "ocspUri");
    Objects.requireNonNull(fetchTimeout, "fetchTimeout");
  }

  public boolean fetchesCrls() {
    return !crlCheckInterval.isZero() && !crlCheckInterval.isNegative();
  }
}
