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
  private final String name;
  private final Path dataDir;
  private final int clientPort;
  private final int peerPort;
  private String initialCluster;
  private Process process;
  /** Client TLS (https with client certificates required), or null for plain http. */
  private Tls tls;

  /** The server's certificate and key and the CA its clients' certificates must chain to, PEM files. */
  record Tls(Path caCert, Path serverCert, Path serverKey) {}

  private EtcdProcess(String name, Path dataDir, int clientPort, int peerPort) {
    this.name = name;
    this.dataDir = dataDir;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.initialCluster = name + "=" + peerUrl();
  }

  static EtcdProcess start(Path dir) throws Exception {
    EtcdProcess e = new EtcdProcess("t", dir, freePort(), freePort());
    e.restart();
    return e;
  }

  /**
   * One etcd that serves clients over https only and requires a client certificate from {@code tls.caCert()}
   * (etcd's --client-cert-auth); healthy on return.
   */
  static EtcdProcess startTls(Path dir, Tls tls, Path clientCert, Path clientKey) throws Exception {
    EtcdProcess e = new EtcdProcess("t", dir, freePort(), freePort());
    e.tls = tls;
    e.launch();
    e.awaitHealthyTls(clientCert, clientKey);
    return e;
  }

  /** A cluster of {@code n} members, each with its own directory below {@code dir}; all healthy on return. */
  static List<EtcdProcess> cluster(Path dir, int n) throws Exception {
    List<EtcdProcess> members = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path d = java.nio.file.Files.createDirectories(dir.resolve("m" + i));
      members.add(new EtcdProcess("m" + i, d, freePort(), freePort()));
    }
    String all = String.join(",", members.stream().map(m -> m.name + "=" + m.peerUrl()).toList());
    for (EtcdProcess m : members) {
      m.initialCluster = all;
      m.launch();
    }
    for (EtcdProcess m : members) {
      m.awaitHealthy();
    }
    return members;
  }

  private String peerUrl() {
    return "http://127.0.0.1:" + peerPort;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  URI endpoint() {
    return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort);
  }

  void restart() throws Exception {
    launch();
    awaitHealthy();
  }

  private void launch() throws IOException {
    String peer = peerUrl();
    List<String> cmd = new java.util.ArrayList<>(List.of("etcd", "--name", name, "--data-dir",
        dataDir.resolve("data").toString(), "--listen-client-urls", endpoint().toString(), "--advertise-client-urls",
        endpoint().toString(), "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster",
        initialCluster));
    if (tls != null) {
      cmd.addAll(List.of("--cert-file", tls.serverCert().toString(), "--key-file", tls.serverKey().toString(),
          "--client-cert-auth", "--trusted-ca-file", tls.caCert().toString()));
    }
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("etcd.log")
            .toFile())).start();
  }

  private void awaitHealthy() throws Exception {
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

  /** Health over https with a client certificate, asked with etcdctl (Debian's etcd-client). */
  private void awaitHealthyTls(Path clientCert, Path clientKey) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      Process p = new ProcessBuilder("etcdctl", "--endpoints", endpoint().toString(), "--cacert",
          tls.caCert().toString(), "--cert", clientCert.toString(), "--key", clientKey.toString(),
          "--dial-timeout", "1s", "endpoint", "health").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() == 0 && out.contains("is healthy")) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("etcd exited; see " + dataDir.resolve("etcd.log"));
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("etcd (TLS) not healthy within 20 s; see " + dataDir.resolve("etcd.log"));
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
