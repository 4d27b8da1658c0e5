package org.openswanj.pluto.pki;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * How the PKI code reaches CRL distribution points and OCSP responders: the only way out of this module. The
 * daemon injects {@link HttpFetcher}; tests inject whatever they like. Futures complete on the fetcher's threads,
 * never on the caller's.
 */
public interface Fetcher {
  /** GET {@code uri}; fails (exceptionally) with a message fit for a log line. */
  CompletableFuture<byte[]> get(URI uri);

  /** POST {@code body} as {@code contentType} to {@code uri} (OCSP, RFC 6960 App. A.1). */
  CompletableFuture<byte[]> post(URI uri, String contentType, byte[] body);
}
