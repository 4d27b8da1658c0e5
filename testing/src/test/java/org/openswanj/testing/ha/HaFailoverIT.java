package org.openswanj.testing.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.openswanj.testing.lab.Lab;

/**
 * Two gateways, one address (docs/HA.md), through bin/ipsec against strongSwan's charon: {@code testing/ha/failover}
 * builds etcd, two pluto nodes (klips) on one LAN bridge serving a virtual address and a charon peer with a
 * tunnel to it, pings at 10/s, then kills the active pluto with -9, restarts it, kills it again as standby, and
 * stops and restarts etcd.
 * The test checks what the script found: the standby took over within the lease TTL, pings resumed, charon's
 * IKE and Child SA SPIs did not change (no renegotiation), the IKE message IDs were synchronised by RFC 6311
 * (charon 5.5+ announces and answers it; both logs agree on the counters), a rekey afterwards worked, the returning node stayed
 * standby, killing the standby changed nothing, and stopping etcd left the tunnel up (same IKE SA after it
 * returned). With {@code --ikev1} the same kill for an IKEv1 tunnel (cookies, SPIs, DPD, a Quick Mode rekey, a
 * Delete).
 */
@Execution(ExecutionMode.CONCURRENT) // each test's lab has namespaces of its own name: they run at once (serial phase)
class HaFailoverIT {
  private static final Pattern SUMMARY = Pattern.compile(
      "^failover_s=([0-9.]+) lost_pings=([0-9]+) renegotiated=(yes|no)$", Pattern.MULTILINE);

  @BeforeAll
  static void prerequisites() {
    Lab.requireRoot();
    Lab.requirePluto();
    Lab.requireCharon();
    Lab.requireCommand("etcd", "etcd-server");
    Lab.requireCommand("etcdctl", "etcd-client");
    Lab.requireCommand("arping", "iputils-arping");
  }

  /** Runs {@code testing/ha/failover --name NAME ARGS} (240 s at most); its output, after checking it exited 0. */
  private static String failover(String name, String... args) throws Exception {
    Path top = top();
    Path out = Files.createTempFile("oj-ha-failover", ".log");
    List<String> cmd = new java.util.ArrayList<>(List.of(top.resolve("testing/ha/failover").toString(), "--name",
        name));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
        .redirectInput(new File("/dev/null")).start();
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("testing/ha/failover took over 240 s:\n" + Files.readString(out));
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    System.out.println(text);
    assertEquals(0, p.exitValue(), () -> "testing/ha/failover failed:\n" + text);
    return text;
  }

  /**
   * RFC 6311 §5.2 with a pluto (klips) as the peer, which announces IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED: the new
   * node starts its inbound SA at a floor past a's published inbound high-water and road advances its outbound
   * counter by it, pings resume without renegotiation, and a packet road sent to a before the kill, replayed to b,
   * is refused as a replay.
   */
  @Test
  void aPlutoPeerAdvancesItsCounterPastTheNewNodesFloorAndAnOldPacketIsRefused() throws Exception {
    String text = failover("hp" + System.getProperty("oj.lab.tag", ""), "--peer", "pluto");
    Matcher m = SUMMARY.matcher(text);
    assertTrue(m.find(), () -> "no summary line:\n" + text);
    assertEquals("no", m.group(3), () -> "road renegotiated:\n" + text);
    assertTrue(Double.parseDouble(m.group(1)) <= 6.0, () -> "failover took " + m.group(1) + " s:\n" + text);
    Matcher r = Pattern.compile("check: RFC 6311 §5.2: b: ESP=>0x[0-9a-f]+ <0x[0-9a-f]+ first outbound sequence number "
        + "[0-9]+, inbound from ([0-9]+); road: RFC 6311 replay counter sync from the peer: outbound ESP sequence "
        + "numbers of 1 Child SA advanced by ([0-9]+)").matcher(text);
    assertTrue(r.find(), () -> "no replay counter sync on both sides:\n" + text);
    assertEquals(r.group(1), r.group(2), "road advanced by b's floor");
    assertTrue(Long.parseLong(r.group(1)) > 65_536, () -> "the floor is past the margin: " + r.group(1));
    assertTrue(text.contains("check: an ESP packet of road's from before the takeover, replayed to b: refused"),
        () -> "the old packet was not refused:\n" + text);
  }

  /**
   * IKEv1 (charon with {@code version = 1}, Main Mode, NAT-T): after the kill charon keeps its ISAKMP SA (cookies) and
   * IPsec SA (SPIs), b's DPD R_U_THERE is acknowledged and DPD goes on, charon still has one IKE SA, its Quick Mode
   * rekey on the taken-over ISAKMP SA works, and its Delete reaches b.
   */
  @Test
  void anIkev1TunnelSurvivesTheKillWithItsCookiesAndSpis() throws Exception {
    String text = failover("h1" + System.getProperty("oj.lab.tag", ""), "--ikev1");
    Matcher m = SUMMARY.matcher(text);
    assertTrue(m.find(), () -> "no summary line:\n" + text);
    assertEquals("no", m.group(3), () -> "charon renegotiated:\n" + text);
    assertTrue(Double.parseDouble(m.group(1)) <= 6.0, () -> "failover took " + m.group(1) + " s:\n" + text);
    assertTrue(Integer.parseInt(m.group(2)) <= 60, () -> m.group(2) + " pings lost at 10/s:\n" + text);
    Matcher k = Pattern.compile("check: kill -9 active: b took over; .*; IKE SA (\\S+ \\S+) -> (\\S+ \\S+); Child SA "
        + "(in [0-9a-f]{8} out [0-9a-f]{8}) -> (in [0-9a-f]{8} out [0-9a-f]{8})").matcher(text);
    assertTrue(k.find(), () -> "no SPIs before and after:\n" + text);
    assertEquals(k.group(1), k.group(2), "charon's ISAKMP SA cookies");
    assertEquals(k.group(3), k.group(4), "charon's IPsec SA SPIs");
    Matcher seq = Pattern.compile("check: b's IPsec SA: ESP=>0x([0-9a-f]{8}) <0x([0-9a-f]{8}) xfrm=\\S+ first outbound "
        + "sequence number ([0-9]+)").matcher(text);
    assertTrue(seq.find(), () -> "b did not install the IPsec SA:\n" + text);
    assertEquals(k.group(4), "in " + seq.group(1) + " out " + seq.group(2), "b sends on charon's inbound SPI");
    assertTrue(Long.parseLong(seq.group(3)) > 65_536, () -> "past a's reservation: " + seq.group(3));
    Matcher d = Pattern.compile("check: DPD liveness after takeover: b: liveness check after the takeover: R_U_THERE "
        + "sequence number ([0-9]+); R_U_THERE_ACK ([0-9]+): the peer answered").matcher(text);
    assertTrue(d.find(), () -> "no R_U_THERE answered after the takeover:\n" + text);
    assertEquals(d.group(1), d.group(2), "charon acknowledged the takeover's R_U_THERE");
    assertTrue(text.contains("check: DPD goes on:") && text.contains("IKE SAs on road: 1 ("),
        () -> "DPD or the one IKE SA:\n" + text);
    Matcher r = Pattern.compile("check: Quick Mode rekey after takeover: new IPsec SA (in [0-9a-f]{8} out [0-9a-f]{8}) "
        + "\\(was (in [0-9a-f]{8} out [0-9a-f]{8})\\); ISAKMP SA \\S+ \\S+ \\(same\\)").matcher(text);
    assertTrue(r.find(), () -> "no Quick Mode rekey on the taken-over ISAKMP SA:\n" + text);
    assertEquals(k.group(4), r.group(2));
    assertTrue(!r.group(1).equals(r.group(2)), "new SPIs after the rekey");
    assertTrue(text.contains("check: delete after takeover: b: received Delete SA payload: deleting ISAKMP State"),
        () -> "charon's Delete did not reach b:\n" + text);
  }

  @Test
  void killingTheActiveNodeMovesTheTunnelWithoutRenegotiation() throws Exception {
    String text = failover("ha" + System.getProperty("oj.lab.tag", ""));
    Matcher m = SUMMARY.matcher(text);
    assertTrue(m.find(), () -> "no summary line:\n" + text);
    double failover = Double.parseDouble(m.group(1));
    int lost = Integer.parseInt(m.group(2));
    assertEquals("no", m.group(3), () -> "charon renegotiated:\n" + text);
    // the lease TTL (3 s) bounds the election; claiming the address and resuming the SAs add a little
    assertTrue(failover <= 6.0, () -> "failover took " + failover + " s:\n" + text);
    assertTrue(lost <= 60, () -> lost + " pings lost at 10/s:\n" + text);
    // RFC 6311 §5.1: charon announces IKEV2_MESSAGE_ID_SYNC_SUPPORTED, so the takeover synced the message IDs
    // (not the probe): b logged the IDs both continue from, and charon its side of the same exchange
    Matcher sync = Pattern.compile("check: RFC 6311 message ID sync: b: RFC 6311 message ID sync done: our next "
        + "request ([0-9]+), the peer's next request ([0-9]+); road: responder requested MID sync: initiating "
        + "([0-9]+)\\[[0-9]+\\], responding ([0-9]+)\\[[0-9]+\\]").matcher(text);
    assertTrue(sync.find(), () -> "no RFC 6311 sync on both sides:\n" + text);
    assertEquals(sync.group(1), sync.group(4), "b's next request is what charon expects");
    assertEquals(sync.group(2), sync.group(3), "charon's next request is what b expects");
    // the dead node's kernel drops the address by itself: pluto holds it for a lifetime it renews while it lives
    Matcher gone = Pattern.compile("check: a's kernel dropped [0-9.]+ ([0-9.]+) s after its pluto died \\(held with "
        + "valid_lft [0-9]+sec").matcher(text);
    assertTrue(gone.find(), () -> "a's kernel kept the address of its dead pluto:\n" + text);
    assertTrue(Double.parseDouble(gone.group(1)) <= 4.0, () -> "the address outlived its pluto by " + gone.group(1)
        + " s (lifetime: the lease TTL, 3 s):\n" + text);
    assertTrue(text.contains("check: rekey after takeover"), text);
    assertTrue(text.contains("check: old node returned: a=standby b=active"), text);
    Matcher s = Pattern.compile("check: standby killed: b=active; pings sent=([0-9]+) received=([0-9]+)").matcher(text);
    assertTrue(s.find(), text);
    assertEquals(s.group(1), s.group(2), () -> "pings lost when the standby died:\n" + text);
    // etcd stopped: the tunnel stays up; back: the node rejoins, is elected again and keeps the same IKE SA
    Matcher e = Pattern.compile("check: etcd stopped and restarted: b=active; pings sent=([0-9]+) received=([0-9]+)")
        .matcher(text);
    assertTrue(e.find(), text);
    int lostDuringOutage = Integer.parseInt(e.group(1)) - Integer.parseInt(e.group(2));
    assertTrue(lostDuringOutage <= 5, () -> lostDuringOutage + " pings lost while etcd was down and back:\n" + text);
  }

  private static Path top() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("bin/ipsec")) && Files.isDirectory(d.resolve("testing/ha"))) {
        return d;
      }
    }
    throw new AssertionError("cannot find the checkout (bin/ipsec, testing/ha) above " + Path.of("").toAbsolutePath());
  }
}
