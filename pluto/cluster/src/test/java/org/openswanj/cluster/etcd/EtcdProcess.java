package org.openswanj.cluster.etcd;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real etcd (Debian's etcd-server) on loopback with free ports, for the tests; kill and restart keep its data. */
final class EtcdProcess implements AutoCloseable {
  private final Path dataDir;
  private final int clientPort;
  private final int peerPort;
  private Process process;

  private EtcdProcess(Path dataDir, int clientPort, int peerPort) {
    this.dataDir = dataDir;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  static EtcdProcess start(Path dir) throws Exception {
    EtcdProcess e = new EtcdProcess(dir, freePort(), freePort());
    e.restart();
    return e;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + clientPort);
  }

  void restart() throws Exception {
    String peer = "http://127.0.0.1:" + peerPort;
    process = new ProcessBuilder(List.of("etcd", "--name", "t", "--data-dir", dataDir.resolve("data").toString(),
        "--listen-client-urls", endpoint().toString(), "--advertise-client-urls", endpoint().toString(),
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", "t=" + peer))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("etcd.log")
            .toFile())).start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        String body = http.send(HttpRequest.newBuilder(endpoint().resolve("/health")).timeout(Duration.ofSeconds(1))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        if (body.contains("\"true\"")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("etcd exited; see " + dataDir.resolve("etcd.log"));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("etcd not healthy within 20 s; see " + dataDir.resolve("etcd.log"));
  }

  /** kill -9. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      kill();
    }
  }
}
