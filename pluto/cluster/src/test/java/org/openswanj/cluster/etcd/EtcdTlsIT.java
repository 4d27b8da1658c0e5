package org.openswanj.cluster.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.cluster.ClusterConfig;
import org.openswanj.cluster.ClusterConfig.EtcdTls;
import org.openswanj.cluster.Samples;
import org.openswanj.cluster.codec.ClusterKey;
import org.openswanj.cluster.etcd.Events.Kind;
import org.openswanj.cluster.state.MessageIdSync;

/**
 * A node against a real etcd that serves clients over https only and requires client certificates
 * ({@code --client-cert-auth}), as the cluster's {@code cluster-etcd-cacert=}/{@code -cert=}/{@code -key=} are meant
 * for: a certificate from the cluster's CA joins and publishes; one from another CA, or no TLS at all, gets no lease
 * and an error that says so; a missing file is named. Certificates are made with openssl (P-256, PKCS#8 keys).
 */
class EtcdTlsIT {
  private static final InetAddress VIP = InetAddresses.forString("192.0.2.10");
  private static final Duration TTL = Duration.ofSeconds(4);

  @TempDir
  Path dir;
  private EtcdProcess etcd;
  private ClusterNode node;

  @BeforeEach
  void startEtcd() throws Exception {
    ca("ca");
    ca("rogue-ca");
    issue("ca", "server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth");
    issue("ca", "client", "extendedKeyUsage=clientAuth");
    issue("rogue-ca", "rogue", "extendedKeyUsage=clientAuth");
    etcd = EtcdProcess.startTls(Files.createDirectories(dir.resolve("etcd")),
        new EtcdProcess.Tls(pem("ca"), pem("server"), key("server")), pem("client"), key("client"));
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    etcd.close();
  }

  private Path pem(String name) {
    return dir.resolve(name + ".pem");
  }

  private Path key(String name) {
    return dir.resolve(name + ".key");
  }

  private void openssl(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + "\n" + out);
  }

  private void ca(String name) throws Exception {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
        key(name).toString(), "-out", pem(name).toString(), "-subj", "/CN=" + name, "-days", "2");
  }

  private void issue(String ca, String name, String extensions) throws Exception {
    Path ext = Files.writeString(dir.resolve(name + ".ext"), extensions + "\n");
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key(name).toString(),
        "-out", name + ".csr", "-subj", "/CN=" + name);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", pem(ca).toString(), "-CAkey", key(ca).toString(),
        "-CAcreateserial", "-out", pem(name).toString(), "-days", "2", "-extfile", ext.toString());
  }

  private ClusterConfig config(Optional<EtcdTls> tls) {
    return new ClusterConfig(List.of(etcd.endpoint()), "a", List.of(VIP), tls, TTL, 65_536);
  }

  private static ClusterKey clusterKey() {
    return new ClusterKey(Samples.keyBytes(200, 32), new SecureRandom());
  }

  @Test
  void aClientCertificateFromTheClustersCaJoinsIsElectedAndPublishes() throws Exception {
    Events events = new Events();
    node = ClusterNode.start(config(Optional.of(new EtcdTls(pem("ca"), pem("client"), key("client")))),
        clusterKey(), events);
    assertNotNull(events.await(Kind.ACTIVE, 0, Duration.ofSeconds(10)), "elected over TLS");
    assertTrue(node.publish(VIP, Samples.ike(12, MessageIdSync.MESSAGE_ID)).get(5, TimeUnit.SECONDS),
        "publish over TLS accepted");
  }

  @Test
  void aClientCertificateFromAnotherCaGetsNoLeaseAndTheErrorSaysSo() {
    ClusterException e = assertThrows(ClusterException.class, () -> node = ClusterNode.start(
        config(Optional.of(new EtcdTls(pem("ca"), pem("rogue"), key("rogue")))), clusterKey(), new Events()));
    assertEquals("cluster: no lease from etcd [" + etcd.endpoint() + "]: no answer within " + ClusterNode.FIRST_ANSWER_WAIT_S + " s (https: is etcd's "
        + "--trusted-ca-file the CA of cluster-etcd-cert=, and cluster-etcd-cacert= etcd's?)", e.getMessage());
  }

  @Test
  void noTlsAtAllGetsNoLease() {
    ClusterException e = assertThrows(ClusterException.class,
        () -> node = ClusterNode.start(config(Optional.empty()), clusterKey(), new Events()));
    assertTrue(e.getMessage().startsWith("cluster: no lease from etcd [" + etcd.endpoint() + "]: "), e.getMessage());
  }

  @Test
  void aMissingTlsFileIsNamed() {
    Path missing = dir.resolve("nope.pem");
    ClusterException e = assertThrows(ClusterException.class, () -> node = ClusterNode.start(
        config(Optional.of(new EtcdTls(pem("ca"), missing, key("client")))), clusterKey(), new Events()));
    assertTrue(e.getMessage().startsWith("cluster: TLS files ") && e.getMessage().contains(missing.toString()),
        e.getMessage());
  }
}
