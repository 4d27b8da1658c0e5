package org.openswanj.pluto.pki;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The JDK HTTP client (a selector thread, an epoll descriptor) exists only once something is fetched over HTTP. */
class HttpFetcherTest {
  @Test
  void theClientIsMadeAtTheFirstHttpFetchOnly() {
    HttpFetcher f = new HttpFetcher(Runnable::run, Duration.ofSeconds(1), 1 << 10);
    assertFalse(f.started());
    // an ldap:// distribution point (HttpRequest.newBuilder throws for it) fails as a fetch, as does one with no host
    assertTrue(f.get(URI.create("ldap://ldap.example/cn=crl")).isCompletedExceptionally(), "ldap is not fetched");
    assertTrue(f.post(URI.create("ldap://ldap.example/"), "application/ocsp-request", new byte[1])
        .isCompletedExceptionally());
    assertTrue(f.get(URI.create("http:/no-host")).isCompletedExceptionally());
    assertFalse(f.started(), "a refused URI makes no client");
    f.get(URI.create("http://127.0.0.1:9/crl")).handle((b, e) -> null); // port 9 (discard) on loopback: refused
    assertTrue(f.started());
  }
}
