package org.openswanj.pluto.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.openswanj.pluto.engine.EventLoop;

/**
 * {@code metrics=ADDR:PORT} (ours): {@code GET /metrics} answers the OpenMetrics text of {@code whack --metrics},
 * on that one address (never a wildcard the admin did not write). One HTTP thread; the snapshot itself is taken on
 * the event loop, which the HTTP thread waits for at most {@link #SNAPSHOT_WAIT} (then 503).
 */
final class MetricsServer implements AutoCloseable {
  static final long SNAPSHOT_WAIT = 5;
  private final HttpServer server;
  private final ExecutorService thread;

  private MetricsServer(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  /** Binds {@code at} and serves; {@code snapshot} is called on {@code loop}. */
  static MetricsServer start(InetSocketAddress at, EventLoop loop, Supplier<List<String>> snapshot)
      throws IOException {
    HttpServer server = HttpServer.create(at, 16);
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "pluto-metrics");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(thread);
    server.createContext("/", exchange -> answer(exchange, loop, snapshot));
    server.start();
    return new MetricsServer(server, thread);
  }

  private static void answer(HttpExchange x, EventLoop loop, Supplier<List<String>> snapshot) throws IOException {
    try (x) {
      String method = x.getRequestMethod();
      if (!x.getRequestURI().getPath().equals("/metrics")) {
        plain(x, 404, "not found: the metrics are at /metrics\n");
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        x.getResponseHeaders().set("Allow", "GET, HEAD");
        plain(x, 405, "method not allowed\n");
      } else {
        CompletableFuture<List<String>> lines = new CompletableFuture<>();
        loop.execute(() -> {
          try {
            lines.complete(snapshot.get());
          } catch (RuntimeException e) {
            lines.completeExceptionally(e);
          }
        });
        byte[] body;
        try {
          body = (String.join("\n", lines.get(SNAPSHOT_WAIT, TimeUnit.SECONDS)) + "\n")
              .getBytes(StandardCharsets.UTF_8);
        } catch (TimeoutException | ExecutionException e) {
          plain(x, 503, "pluto did not take a snapshot: " + e + "\n");
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        x.getResponseHeaders().set("Content-Type", OpenMetrics.CONTENT_TYPE);
        boolean head = method.equals("HEAD");
        x.sendResponseHeaders(200, head ? -1 : body.length);
        if (!head) {
          try (OutputStream out = x.getResponseBody()) {
            out.write(body);
          }
        }
      }
    }
  }

  private static void plain(HttpExchange x, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  /** The address actually bound (the port when 0 was asked, in tests). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
