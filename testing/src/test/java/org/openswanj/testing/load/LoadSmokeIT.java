package org.openswanj.testing.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;

/**
 * The load generator against pluto (none backend) for a few seconds, as {@code testing/bench/handshakes} runs
 * it: road-warrior conns (right=%any, one per ID), 16 source addresses on west's lo. It must count only
 * handshakes pluto really completed, and count a wrong key as failures. Not a speed test.
 */
class LoadSmokeIT {
  private static final String PSK = "load-smoke-secret-0123456789";
  private static final int IDS = 8;
  private static final String SOURCES = "10.77.0.1-10.77.0.16";
  private static Lab lab;

  @BeforeAll
  static void up() {
    Lab.requirePluto();
    lab = Lab.up("load");
    Host east = lab.east();
    Host west = lab.west();
    east.startPluto(conf(east), ": PSK \"" + PSK + "\"\n");
    east.ipsecRaw("addconn", "--ctlbase", east.ctlbase().toString(), "--config", east.ipsecConf().toString(),
        "--addall").requireOk();
    west.exec("sh", "-c", "for i in $(seq 1 16); do ip addr add 10.77.0.$i/32 dev lo || exit 1; done").requireOk();
    east.exec("ip", "route", "add", "10.77.0.0/24", "via", west.address()).requireOk();
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  /** One conn per generator ID: pluto matches no FQDN against rightid=%any (see the issue note). */
  private static String conf(Host east) {
    StringBuilder b = new StringBuilder("config setup\n\tprotostack=none\n\nconn %default\n\tikev2=insist\n"
        + "\tauthby=secret\n\tleft=" + east.address() + "\n\tleftid=@east\n\tright=%any\n"
        + "\tike=aes128gcm16-sha2_256;x25519\n\tphase2alg=aes128gcm16\n\tauto=add\n");
    IntStream.range(0, IDS).forEach(k -> b.append("\nconn rw").append(k).append("\n\trightid=@load").append(k)
        .append(".test\n"));
    return b.toString();
  }

  private static Result load(String psk, String seconds) {
    Path pskFile = lab.dir().resolve("load.psk");
    try {
      java.nio.file.Files.writeString(pskFile, psk + "\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Path jar = lab.top().resolve("testing/target/loadgen.jar");
    return lab.west().exec(Duration.ofSeconds(60), "java", "-jar", jar.toString(), "--target", lab.east().address(),
        "--sources", SOURCES, "--ids", String.valueOf(IDS), "--psk-file", pskFile.toString(), "--concurrency", "4",
        "--warmup", "1", "--seconds", seconds);
  }

  private static Map<String, String> lastLine(Result r) {
    String[] lines = r.stdout().strip().split("\n");
    return Pattern.compile(" ").splitAsStream(lines[lines.length - 1]).map(kv -> kv.split("=", 2))
        .filter(kv -> kv.length == 2).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
  }

  @Test
  void completesHandshakesThatPlutoEstablished() {
    Result r = load(PSK, "3");
    Map<String, String> m = lastLine(r);
    assertEquals(0, r.exitCode(), "loadgen failed:\n" + r.stdout() + r.stderr());
    assertEquals("0", m.get("failed"), r.stdout());
    long completed = Long.parseLong(m.get("completed"));
    assertTrue(completed > 0, r.stdout());
    // every handshake the generator counts is one pluto logged as established (warm-up ones included there)
    long established = established();
    assertTrue(established >= completed, "pluto established " + established + ", loadgen counted " + completed);
  }

  /**
   * With 10 % of the UDP packets between the two dropped where they arrive (as {@code testing/bench/handshakes
   * --loss 10} does), handshakes still complete through retransmission, and each one counted is one pluto
   * established.
   */
  @Test
  void completesHandshakesThroughLoss() {
    List<Host> both = List.of(lab.west(), lab.east());
    for (Host h : both) {
      h.exec(lossRule("-A")).requireOk();
    }
    try {
      long before = established();
      Result r = load(PSK, "3");
      Map<String, String> m = lastLine(r);
      long completed = Long.parseLong(m.get("completed"));
      assertTrue(completed > 0, r.stdout());
      assertTrue(Long.parseLong(m.get("retransmits")) > 0, "no retransmission under 10 % loss: " + r.stdout());
      long dropped = 0;
      for (Host h : both) {
        Matcher c = Pattern.compile("statistic.* -c (\\d+) ").matcher(h.exec("iptables", "-v", "-S", "INPUT").stdout());
        assertTrue(c.find(), "the loss rule's counter");
        dropped += Long.parseLong(c.group(1));
      }
      assertTrue(dropped > 0, "no packet dropped");
      long established = established() - before;
      assertTrue(established >= completed, "pluto established " + established + ", loadgen counted " + completed);
    } finally {
      for (Host h : both) {
        h.exec(lossRule("-D")).requireOk();
      }
    }
  }

  private static String[] lossRule(String op) {
    return new String[] {"iptables", op, "INPUT", "-i", "eth0", "-p", "udp", "-m", "statistic", "--mode", "random",
        "--probability", "0.1", "-j", "DROP"};
  }

  private static long established() {
    Matcher est = Pattern.compile("STATE_PARENT_R2: IPsec SA established").matcher(lab.east().plutoLog());
    long n = 0;
    while (est.find()) {
      n++;
    }
    return n;
  }

  @Test
  void countsAWrongKeyAsAuthenticationFailures() {
    Result r = load("not-" + PSK, "1");
    assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
    Map<String, String> m = lastLine(r);
    assertEquals("0", m.get("completed"), r.stdout());
    assertTrue(Long.parseLong(m.get("failed")) > 0, r.stdout());
    assertTrue(r.stdout().contains("IKE_AUTH: N(AUTHENTICATION_FAILED)"), r.stdout());
  }
}
