package org.openswanj.kernel.klips.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real traffic through two klips backends in network namespaces west and east (root; ip, ping,
 * iptables and tcpdump needed, else skipped with the reason).
 */
class KlipsLabTest {

  @BeforeAll
  static void needsRootAndTools() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root");
    for (String tool : List.of("ip", "ping", "iptables", "tcpdump")) {
      assumeTrue(Lab.status("sh", "-c", "command -v " + tool) == 0, "the lab needs " + tool);
    }
  }

  private static long ipsec0Packets(Lab lab) throws Exception {
    String out = Lab.in(lab.east, "iptables", "-L", "INPUT", "-v", "-x", "-n");
    Matcher m = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\s+(?:\\S+\\s+)?(?:icmp|1)\\s+--\\s+ipsec0", Pattern.MULTILINE).matcher(out);
    assertTrue(m.find(), "no ipsec0 rule in: " + out);
    return Long.parseLong(m.group(1));
  }

  private static int ping(Lab lab, int count) throws Exception {
    return Lab.status("ip", "netns", "exec", lab.west, "ping", "-c", Integer.toString(count), "-i", "0.2", "-W", "3",
        "-I", "10.1.0.1", "10.2.0.1");
  }

  private static Process tcpdump(Lab lab, Path file) throws IOException {
    return new ProcessBuilder("ip", "netns", "exec", lab.east, "tcpdump", "-n", "-l", "-i", lab.vethE, "ip")
        .redirectOutput(file.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static String stop(Process p, Path file) throws Exception {
    Thread.sleep(500);
    p.destroy();
    p.waitFor(5, TimeUnit.SECONDS);
    return Files.readString(file);
  }

  void pingThroughTheTunnel(String mode, String espMarker) throws Exception {
    try (Lab lab = new Lab()) {
      Lab.Node west = lab.node(true, mode);
      Lab.Node east = lab.node(false, mode);
      west.await("READY");
      east.await("READY");
      Lab.in(lab.east, "iptables", "-I", "INPUT", "-i", "ipsec0", "-p", "icmp");
      Path dump = Files.createTempFile("klips-tcpdump", ".txt");
      Process td = tcpdump(lab, dump);
      Thread.sleep(800);
      assertEquals(0, ping(lab, 5), "ping 10.2.0.1 from 10.1.0.1 through the tunnel");
      String seen = stop(td, dump);
      assertTrue(seen.contains(espMarker), "capture on the veth shows ESP: " + seen);
      assertFalse(seen.contains("ICMP"), "no clear ICMP on the veth: " + seen);
      assertEquals(5, ipsec0Packets(lab), "iptables on east's ipsec0 counts the decrypted echo requests");

      west.send("inject");
      west.await("INJECTED");
      Thread.sleep(500);
      String stats = String.join("\n", east.stats());
      assertTrue(stats.contains("replay 1,"), "the replay is counted: " + stats);
      assertTrue(stats.contains("integrity 1,"), "the flipped bit is counted: " + stats);
      assertTrue(stats.contains("unknown SPI 1,"), "the unknown SPI is counted: " + stats);
      assertEquals(5, ipsec0Packets(lab), "none of the hostile packets reached ipsec0");
    }
  }

  @Test
  void rawEsp() throws Exception {
    pingThroughTheTunnel("raw", "ESP(spi=0x00001001");
  }

  @Test
  void udpEncapsulatedEsp() throws Exception {
    pingThroughTheTunnel("udp", "UDP-encap");
  }

  @Test
  void trapRaisesOneAcquireAndReleasesTheHeldPackets() throws Exception {
    try (Lab lab = new Lab()) {
      Lab.Node west = lab.node(true, "trap");
      Lab.Node east = lab.node(false, "raw");
      west.await("READY");
      east.await("READY");
      Lab.in(lab.east, "iptables", "-I", "INPUT", "-i", "ipsec0", "-p", "icmp");
      assertEquals(0, ping(lab, 3), "ping answered once the SA is up");
      west.await("ACQUIRE 10.1.0.1/32 -> 10.2.0.1/32 proto 1");
      assertEquals(1, west.all.stream().filter(l -> l.startsWith("ACQUIRE")).count(), "one acquire: " + west.all);
      assertEquals(3, ipsec0Packets(lab), "the held first echo request was sent, not lost");
    }
  }
}
