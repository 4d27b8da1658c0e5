package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** metrics=: GET /metrics over HTTP on loopback, the snapshot taken on the event loop. */
class MetricsServerTest {
  private final ThreadEventLoop loop = new ThreadEventLoop(0, Clock.systemUTC());
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicBoolean onLoop = new AtomicBoolean();
  private MetricsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    loop.close();
  }

  private URI start(String path) throws Exception {
    server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), loop, () -> {
      loop.assertInLoop();
      onLoop.set(true);
      return List.of("# TYPE pluto_rekeys counter", "# HELP pluto_rekeys Rekeys.", "pluto_rekeys_total 2", "# EOF");
    });
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }

  @Test
  void getMetricsAnswersTheExpositionAsOpenMetrics() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(start("/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8",
        r.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("# TYPE pluto_rekeys counter\n# HELP pluto_rekeys Rekeys.\npluto_rekeys_total 2\n# EOF\n", r.body());
    assertTrue(onLoop.get(), "the snapshot is taken on the event loop");
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    URI base = start("/metrics");
    assertEquals(404, http.send(HttpRequest.newBuilder(base.resolve("/")).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode());
    HttpResponse<Void> post = http.send(HttpRequest.newBuilder(base).POST(HttpRequest.BodyPublishers.ofString("x"))
        .build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void itListensOnTheConfiguredAddressOnly() throws Exception {
    start("/metrics");
    assertEquals(InetAddress.getLoopbackAddress(), server.address().getAddress(), "no wildcard bind");
  }
}
