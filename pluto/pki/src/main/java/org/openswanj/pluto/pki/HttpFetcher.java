package org.openswanj.pluto.pki;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@link Fetcher} over HTTP with the JDK's client: http and https only (Openswan also knew LDAP; a CRL
 * distribution point of another scheme is reported as unsupported), a time limit per request and a size limit per
 * answer, so a slow or hostile server costs a bounded wait and bounded memory.
 */
public final class HttpFetcher implements Fetcher {
  private final Executor executor;
  /**
   * Made at the first fetch: the JDK's client runs a selector thread with its own epoll descriptor from its
   * creation until it is garbage-collected, which a pluto that never fetches need not pay, and which one made
   * per {@code --rereadcrls} would pile up in a daemon that seldom collects its old generation.
   */
  private HttpClient client;
  private final Duration timeout;
  private final long maxBytes;

  /**
   * @param executor where the client runs its work (pluto's helper pool)
   * @param timeout limit for connecting and for each whole request
   * @param maxBytes the largest answer accepted
   */
  public HttpFetcher(Executor executor, Duration timeout, long maxBytes) {
    this.executor = executor;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  /** Whether a fetch has been made (and so the client exists). */
  synchronized boolean started() {
    return client != null;
  }

  private synchronized HttpClient client() {
    if (client == null) {
      // HTTP/1.1, as OCSP (RFC 6960 App. A) and CRL servers speak it: the JDK's default for http:// adds an h2c
      // Upgrade to every request, which a small responder need not understand and nothing here gains from
      client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
          .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }
    return client;
  }

  @Override
  public CompletableFuture<byte[]> get(URI uri) {
    // the scheme first: HttpRequest.newBuilder throws for anything but http(s), and an ldap:// CRL distribution
    // point (common in certificates of Openswan's time) must fail as a fetch, not as an exception in the caller
    return unsupported(uri) ? refused(uri) : send(uri, HttpRequest.newBuilder(uri).GET());
  }

  @Override
  public CompletableFuture<byte[]> post(URI uri, String contentType, byte[] body) {
    return unsupported(uri) ? refused(uri) : send(uri, HttpRequest.newBuilder(uri).header("Content-Type",
        contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private static boolean unsupported(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return !scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null;
  }

  private static CompletableFuture<byte[]> refused(URI uri) {
    return CompletableFuture.failedFuture(new IOException(uri + ": only http and https URIs with a host are fetched"));
  }

  private CompletableFuture<byte[]> send(URI uri, HttpRequest.Builder request) {
    return client().sendAsync(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofInputStream())
        .thenApply(r -> body(uri, r));
  }

  private byte[] body(URI uri, HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      if (r.statusCode() != 200) {
        throw new FetchFailedException(uri + ": HTTP status " + r.statusCode());
      }
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (b.length > maxBytes) {
        throw new FetchFailedException(uri + ": answer larger than " + maxBytes + " bytes");
      }
      return b;
    } catch (IOException e) {
      throw new FetchFailedException(uri + ": " + e.getMessage());
    }
  }

  /** Carries a fetch failure's one-line reason through the future. */
  static final class FetchFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FetchFailedException(String message) {
      super(message, null, false, false);
    }
  }
}
