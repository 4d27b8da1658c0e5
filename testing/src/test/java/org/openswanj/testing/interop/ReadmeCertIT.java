package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.PingResult;
import org.openswanj.testing.lab.Result;

/**
 * README's "Certificates in five minutes", run as written: its openssl commands make the CA and the two host
 * certificates, its install lines put them (with /etc/ipsec.d and /etc/ipsec.secrets pointed at each lab host's
 * own) in place, on west as written and on east "the same with east.key", and its conn goes unchanged into both
 * ipsec.conf files. The tunnel comes up (IKEv1 Main Mode as written; IKEv2 with the {@code ikev2=insist} the text
 * offers) and pings cross between the two subnets. If the README's recipe breaks, this fails.
 */
class ReadmeCertIT {
  static final String SECTION = "## Certificates in five minutes";
  static Path pki;
  static String install;
  static String conn;

  private Lab lab;

  @BeforeAll
  static void recipe() throws IOException {
    List<String> blocks = blocks(Files.readString(Lab.findTop().resolve("README.md")));
    String sh = blocks.get(0);
    conn = blocks.get(1);
    int split = sh.indexOf("# on west");
    assertTrue(split > 0, "the recipe's install part starts at '# on west': " + sh);
    pki = Files.createTempDirectory("readme-pki");
    Result made = bash(pki, sh.substring(0, split));
    assertEquals(0, made.exitCode(), "the README's openssl commands: " + made);
    install = sh.substring(split);
    assertTrue(conn.startsWith("conn west-east\n"), conn);
  }

  /** The fenced blocks of README's section, in order. */
  static List<String> blocks(String readme) {
    int at = readme.indexOf(SECTION);
    assertTrue(at >= 0, "README has no '" + SECTION + "'");
    String section = readme.substring(at, readme.indexOf("\n## ", at + SECTION.length()));
    List<String> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int open = section.indexOf("```", from);
      if (open < 0) {
        return out;
      }
      int body = section.indexOf('\n', open) + 1;
      int close = section.indexOf("```", body);
      out.add(section.substring(body, close));
      from = close + 3;
    }
  }

  /** {@code script} run by bash in {@code dir}; its exit code and output. */
  static Result bash(Path dir, String script) throws IOException {
    Process p = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile())
        .redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("bash did not end within 2 minutes: " + out);
      }
      return new Result(List.of("bash", "-c", script), p.exitValue(), out, "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @BeforeEach
  void up() {
    Lab.requirePluto();
    lab = Lab.up("ojrc");
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  /** The install lines for {@code h} (east: "the same with east.key"), pointed at its ipsec.d and secrets. */
  private static String installFor(Host h, Path secrets) throws IOException {
    for (String d : new String[] {"cacerts", "certs", "private"}) {
      Files.createDirectories(h.ipsecDir().resolve(d));
    }
    String s = install.replace("/etc/ipsec.d", h.ipsecDir().toString())
        .replace("/etc/ipsec.secrets", secrets.toString());
    return h.name().equals("east") ? s.replace("west.key", "east.key") : s;
  }

  @ParameterizedTest(name = "README's conn{0}")
  @ValueSource(strings = {"", " + ikev2=insist"})
  void theReadmeRecipeBringsTheTunnelUp(String variant) throws Exception {
    String c = variant.isEmpty() ? conn : conn + "\tikev2=insist\n";
    for (Host h : List.of(lab.west(), lab.east())) {
      Path secrets = Files.createTempFile(pki, h.name(), ".secrets");
      Result r = bash(pki, installFor(h, secrets));
      assertEquals(0, r.exitCode(), h.name() + ": the README's install lines: " + r);
      h.startPluto("config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\n" + c,
          Files.readString(secrets));
      h.ipsec("auto", "--add", "west-east").requireOk();
    }
    Host west = lab.west();
    Host east = lab.east();
    Result upr = west.ipsec("auto", "--up", "west-east");
    assertEquals(0, upr.exitCode(), "auto --up: " + upr + "\n--- west ---\n" + west.plutoLog() + "\n--- east ---\n"
        + east.plutoLog());
    assertTrue(upr.stdout().contains("IPsec SA established"), upr.stdout());
    String status = west.ipsec("auto", "--status").requireOk().stdout();
    assertTrue(status.contains("C=CA, O=Example, CN=east"), "west names east by its certificate: " + status);
    PingResult p = west.ping(east.subnetAddress(), west.subnetAddress(), 3);
    assertTrue(p.received() >= 2, "pings cross the tunnel: " + p);
  }
}
