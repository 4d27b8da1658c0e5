package org.openswanj.testing.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.LabException;
import org.openswanj.testing.lab.Result;

/**
 * The cluster column of {@code testing/bench/handshakes} for a few seconds: pluto (none backend) as a one-node
 * cluster (docs/HA.md) with etcd on east's loopback, loaded by the generator at its virtual address. Every
 * handshake must reach etcd: pluto's write count covers an IKE SA and a Child SA per completed handshake, none
 * failed, and etcd holds exactly one key per SA pluto still has (deleted SAs leave none). Not a speed test.
 */
class LoadClusterSmokeIT {
  private static final String PSK = "load-cluster-smoke-secret-0123456789";
  private static final int IDS = 4;
  private static final String SOURCES = "10.77.0.1-10.77.0.8";
  private static final String ETCD = "http://127.0.0.1:2379";
  private static final Pattern PUBLISHED = Pattern.compile(
      "published ([0-9]+) IKE SAs, ([0-9]+) Child SAs; etcd writes: ([0-9]+) done, ([0-9]+) refused \\(not active\\),"
          + " ([0-9]+) failed");
  private static Lab lab;
  private static Process etcd;
  private static String vip;

  @BeforeAll
  static void up() throws Exception {
    Lab.requirePluto();
    Lab.requireCommand("etcd", "etcd-server");
    Lab.requireCommand("etcdctl", "etcd-client");
    Lab.requireCommand("arping", "iputils-arping");
    lab = Lab.up("loadc");
    Host east = lab.east();
    Host west = lab.west();
    vip = east.address().replaceAll("\\.[0-9]+$", ".33");
    Path data = lab.dir().resolve("etcd");
    etcd = new ProcessBuilder(List.of("ip", "netns", "exec", east.namespace(), "etcd", "--name", "smoke",
        "--data-dir", data.toString(), "--listen-client-urls", ETCD, "--advertise-client-urls", ETCD,
        "--listen-peer-urls", "http://127.0.0.1:2380", "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
        "--initial-cluster", "smoke=http://127.0.0.1:2380"))
        .redirectErrorStream(true).redirectOutput(lab.dir().resolve("etcd.log").toFile())
        .redirectInput(new File("/dev/null")).start();
    await(Duration.ofSeconds(20), "etcd healthy on east's loopback",
        () -> east.exec("etcdctl", "--endpoints", ETCD, "endpoint", "health").ok());
    String key = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(32));
    east.startPluto(conf(east), ": PSK \"" + PSK + "\"\n: CLUSTER 0x" + key + "\n");
    await(Duration.ofSeconds(60), "pluto active for " + vip,
        () -> east.ipsec("whack", "--status").stdout().contains("cluster: vip " + vip + ": active (address"));
    east.ipsecRaw("addconn", "--ctlbase", east.ctlbase().toString(), "--config", east.ipsecConf().toString(),
        "--addall").requireOk();
    west.exec("sh", "-c", "for i in $(seq 1 8); do ip addr add 10.77.0.$i/32 dev lo || exit 1; done").requireOk();
    east.exec("ip", "route", "add", "10.77.0.0/24", "via", west.address()).requireOk();
  }

  @AfterAll
  static void down() throws Exception {
    if (etcd != null) {
      etcd.destroy();
      if (!etcd.waitFor(10, TimeUnit.SECONDS)) {
        etcd.destroyForcibly();
      }
    }
    if (lab != null) {
      lab.close();
    }
  }

  /** As the bench's cluster column: a lease TTL of 10 s, the generator shares the CPUs with pluto and etcd. */
  private static String conf(Host east) {
    StringBuilder b = new StringBuilder("config setup\n\tprotostack=none\n\tcluster-etcd=" + ETCD
        + "\n\tcluster-node=east\n\tcluster-vip=" + vip + "\n\tcluster-lease-ttl=10\n\nconn %default\n"
        + "\tikev2=insist\n\tauthby=secret\n\tleft=" + vip + "\n\tleftid=@east\n\tright=%any\n"
        + "\tike=aes128gcm16-sha2_256;x25519\n\tphase2alg=aes128gcm16\n\tauto=add\n");
    IntStream.range(0, IDS).forEach(k -> b.append("\nconn rw").append(k).append("\n\trightid=@load").append(k)
        .append(".test\n"));
    return b.toString();
  }

  @Test
  void everyHandshakeIsWrittenToEtcd() throws Exception {
    Path pskFile = lab.dir().resolve("load.psk");
    Files.writeString(pskFile, PSK + "\n");
    Path jar = lab.top().resolve("testing/target/loadgen.jar");
    Result r = lab.west().exec(Duration.ofSeconds(60), "java", "-jar", jar.toString(), "--target", vip,
        "--sources", SOURCES, "--ids", String.valueOf(IDS), "--psk-file", pskFile.toString(), "--concurrency", "4",
        "--warmup", "1", "--seconds", "3");
    assertEquals(0, r.exitCode(), "loadgen failed:\n" + r.stdout() + r.stderr());
    String[] lines = r.stdout().strip().split("\n");
    Map<String, String> m = Pattern.compile(" ").splitAsStream(lines[lines.length - 1]).map(kv -> kv.split("=", 2))
        .filter(kv -> kv.length == 2).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    long completed = Long.parseLong(m.get("completed"));
    assertTrue(completed > 0, r.stdout());

    // the writes still in flight when the generator stopped land within a moment: wait until etcd's keys are
    // pluto's live SAs
    long[] last = new long[5];
    long[] keys = new long[1];
    boolean settled = poll(Duration.ofSeconds(20), () -> {
      Matcher s = PUBLISHED.matcher(lab.east().ipsec("whack", "--status").stdout());
      if (!s.find()) {
        return false;
      }
      for (int i = 0; i < 5; i++) {
        last[i] = Long.parseLong(s.group(i + 1));
      }
      keys[0] = lab.east().exec("etcdctl", "--endpoints", ETCD, "get", "--prefix", "--keys-only", "/openswanj/sa/")
          .stdout().lines().filter(l -> !l.isBlank()).count();
      return keys[0] == last[0] + last[1];
    });
    String what = "pluto: published " + last[0] + " IKE SAs, " + last[1] + " Child SAs, " + last[2] + " writes done, "
        + last[3] + " refused, " + last[4] + " failed; etcd: " + keys[0] + " SA keys; loadgen: " + r.stdout();
    System.out.println(what);
    assertTrue(settled, "etcd's SA keys are not pluto's live SAs: " + what);
    assertEquals(0, last[3] + last[4], what);
    // each completed handshake (warm-up ones included in pluto's count) wrote its IKE SA and its Child SA
    assertTrue(last[2] >= 2 * completed, what);
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static boolean poll(Duration d, Check c) throws Exception {
    long end = System.nanoTime() + d.toNanos();
    do {
      if (c.ok()) {
        return true;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < end);
    return false;
  }

  private static void await(Duration d, String what, Check c) throws Exception {
    if (!poll(d, c)) {
      throw new LabException("not within " + d.toSeconds() + " s: " + what);
    }
  }
}
