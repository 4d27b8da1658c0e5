package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;

/**
 * The ipsec tools an Openswan admin runs, through bin/ipsec on two lab hosts: {@code --version}/{@code
 * --versioncode}, an unknown verb, {@code setup} verbs and exit codes, {@code verify} naming what is broken and
 * its fix, {@code barf} without a secret, {@code showdefaults}, and {@code auto --rereadsecrets} picking up a
 * corrected PSK so the tunnel that failed authentication comes up.
 */
class AdminToolsIT {
  private static final String WRONG_PSK = "a-wrong-pre-shared-key-for-west";

  private Lab lab;
  private Host west;
  private Host east;

  @BeforeEach
  void up() throws Exception {
    Lab.requirePluto();
    lab = Lab.up("ojat");
    west = lab.west();
    east = lab.east();
    for (Host h : List.of(west, east)) {
      Host peer = h == west ? east : west;
      PlutoPeers.install(h, PlutoPeers.ipsecConf(h, peer, "klips")
          .replace("config setup\n", "config setup\n\tplutostderrlog=" + h.plutoLogFile() + "\n"), PlutoPeers.secrets(h, peer));
    }
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  private Result tool(Host h, String tool) {
    return h.ipsecRaw(tool, "--config", h.ipsecConf().toString(), "--ctlbase", h.ctlbase().toString(),
        "--secretsfile", h.secretsFile().toString());
  }

  private void sysctl(Host h, String path, String value) {
    h.exec("sh", "-c", "for f in " + path + "; do echo " + value + " > $f; done").requireOk();
  }

  @Test
  void versionAndUnknownVerbsAreOpenswans() {
    Result v = west.ipsecRaw("--version");
    assertEquals(0, v.exitCode());
    assertTrue(v.stdout().startsWith("Linux Openswan-compatible openswanj U0.1.0/K"), v.stdout());
    Result code = west.ipsecRaw("--versioncode");
    assertEquals(0, code.exitCode());
    assertTrue(code.stdout().matches("U0\\.1\\.0/K\\S+( \\(netkey\\))?\n"), code.stdout());
    Result unknown = west.ipsecRaw("frobnicate");
    assertEquals(1, unknown.exitCode(), "ipsec.in: exit 1");
    assertEquals("", unknown.stdout());
    assertEquals(1, unknown.stderr().lines().count(), unknown.stderr());
    assertTrue(unknown.stderr().contains("unknown IPsec command `frobnicate'"), unknown.stderr());
    assertEquals(1, west.ipsecRaw("--frobnicate").exitCode());
    assertEquals(2, west.setup("frobnicate").exitCode(), "setup.in: RETVAL=2 for an unknown verb");
  }

  @Test
  void setupVerifyBarfAndShowdefaults() throws Exception {
    assertEquals(3, west.setup("status").exitCode(), "stopped");
    assertEquals(0, west.setup("condrestart").exitCode(), "condrestart of a stopped pluto does nothing");
    assertEquals(3, west.setup("status").exitCode());
    Result start = west.setup("start");
    assertEquals(0, start.exitCode(), start.toString());
    Result again = west.setup("start");
    assertEquals(0, again.exitCode(), "_realsetup: already active is exit 0");
    assertTrue(again.stdout().contains("apparently already active, start aborted"), again.stdout());
    assertEquals(0, west.setup("status").exitCode());

    // a healthy gateway: every check passes
    sysctl(west, "/proc/sys/net/ipv4/conf/*/send_redirects", "0");
    sysctl(west, "/proc/sys/net/ipv4/conf/*/rp_filter", "0");
    sysctl(west, "/proc/sys/net/ipv4/ip_forward", "1");
    Result ok = tool(west, "verify");
    assertEquals(0, ok.exitCode(), ok.toString());
    assertFalse(ok.stdout().contains("FAILED"), ok.stdout());
    assertTrue(ok.stdout().matches("(?s).*Checking that pluto is running\\s+\\[OK\\].*"), ok.stdout());
    assertTrue(ok.stdout().matches("(?s).*Pluto listening for IKE on udp 500\\s+\\[OK\\].*"), ok.stdout());

    // one thing broken at a time: verify names it and its fix
    sysctl(west, "/proc/sys/net/ipv4/ip_forward", "0");
    Result fwd = tool(west, "verify");
    assertEquals(1, fwd.exitCode());
    assertTrue(fwd.stdout().matches("(?s).*Checking IP forwarding\\s+\\[FAILED\\]\n  net.ipv4.ip_forward is 0.*"
        + "fix: echo 1 > /proc/sys/net/ipv4/ip_forward.*"), fwd.stdout());
    assertEquals(1, fwd.stdout().lines().filter(l -> l.contains("[FAILED]")).count(), fwd.stdout());
    sysctl(west, "/proc/sys/net/ipv4/ip_forward", "1");
    Files.setPosixFilePermissions(west.secretsFile(), PosixFilePermissions.fromString("rw-r--r--"));
    Result perms = tool(west, "verify");
    assertEquals(1, perms.exitCode());
    assertTrue(perms.stdout().contains("fix: chmod 600 " + west.secretsFile()), perms.stdout());
    Files.setPosixFilePermissions(west.secretsFile(), PosixFilePermissions.fromString("rw-------"));

    Result barf = tool(west, "barf");
    assertEquals(0, barf.exitCode(), barf.stderr());
    assertFalse(barf.stdout().contains(PlutoPeers.PSK), "barf shows no secret");
    assertTrue(barf.stdout().contains("@west @east : PSK [sums to "), barf.stdout());
    for (String section : List.of("version", "ipsec whack --status", "ip xfrm state (keys censored)",
        "/proc/sys/net/ipv4/ip_forward")) {
      assertTrue(barf.stdout().contains("+ _________________________ " + section + "\n"), section);
    }
    assertTrue(barf.stdout().contains("\"" + CONN + "\":"), "pluto's status is in the dump");
    assertTrue(barf.stdout().contains("last 200 pluto lines of " + west.plutoLogFile()), "and its log");

    assertEquals(1, west.ipsecRaw("showdefaults").exitCode(), "no default route yet");
    west.exec("ip", "route", "add", "default", "via", "192.1.2.23").requireOk();
    Result d = west.ipsecRaw("showdefaults");
    assertEquals(0, d.exitCode(), d.toString());
    assertEquals("routephys=eth0\nroutevirt=ipsec0\nrouteaddr=192.1.2.45\nroutenexthop=192.1.2.23\n", d.stdout());

    Result stop = west.setup("stop");
    assertEquals(0, stop.exitCode());
    Result noPluto = tool(west, "verify");
    assertEquals(1, noPluto.exitCode());
    assertTrue(noPluto.stdout().contains("Checking that pluto is running") && noPluto.stdout().contains("fix: ipsec setup start"),
        noPluto.stdout());
  }

  @Test
  void rereadsecretsPicksUpACorrectedKey() throws Exception {
    String good = Files.readString(west.secretsFile());
    Files.writeString(west.secretsFile(), good.replace(PlutoPeers.PSK, WRONG_PSK));
    assertEquals(0, east.setup("start").exitCode());
    assertEquals(0, west.setup("start").exitCode());
    Result bad = west.ipsec("auto", "--up", CONN);
    assertNotEquals(0, bad.exitCode(), "a wrong PSK fails authentication: " + bad);
    assertTrue(PlutoPeers.childSpis(west).isEmpty());

    Files.writeString(west.secretsFile(), good);
    Result reread = west.ipsec("auto", "--rereadsecrets");
    assertEquals(0, reread.exitCode(), reread.toString());
    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), "the corrected key is used without a restart: " + up);
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 2).allReplied());
  }

  @Test
  void whackListeventsDeletestateAndUtc() throws Exception {
    assertEquals(0, east.setup("start").exitCode());
    assertEquals(0, west.setup("start").exitCode());
    assertEquals(0, west.ipsec("auto", "--up", CONN).exitCode());
    Result events = west.ipsec("whack", "--utc", "--listevents");
    assertEquals(0, events.exitCode(), events.toString());
    assertTrue(events.stdout().matches("(?s)002 It is now: \\d+ seconds since epoch\n.*"
        + "002 event EVENT_SA_REPLACE is schd: \\d+ \\(in \\d+s\\) state:\\d+\n002     connection: \"" + CONN + "\"\n.*"),
        events.stdout());

    String json = west.ipsec("whack", "--status", "--json").stdout();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"serial\":(\\d+),\"conn\":\"[^\"]*\",\"kind\":\"IPSEC\"")
        .matcher(json);
    assertTrue(m.find(), json);
    Result del = west.ipsec("whack", "--deletestate", m.group(1));
    assertEquals(0, del.exitCode(), del.toString());
    PlutoPeers.await("the Child SA is gone on both ends", () -> PlutoPeers.childSpis(west).isEmpty()
        && PlutoPeers.childSpis(east).isEmpty(), 10_000);
    assertEquals(1, PlutoPeers.ikeStates(west).size(), "its IKE SA stays");

    Result none = west.ipsec("whack", "--deletestate", "9999");
    assertEquals(21, none.exitCode(), "RC_UNKNOWN_NAME: " + none);
    assertEquals("021 no state #9999 to delete\n", none.stdout());
    Result bad = west.ipsec("whack", "--deletestate", "x");
    assertEquals(1, bad.exitCode(), bad.toString());
    assertTrue(bad.stderr().contains("--deletestate takes a state number"), bad.stderr());
  }
}
