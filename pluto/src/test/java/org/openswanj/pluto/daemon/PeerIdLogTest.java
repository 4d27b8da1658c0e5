package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.pluto.net.MemoryNetwork;
import org.openswanj.whack.proto.WhackRequest;

/**
 * A peer whose ID carries a newline and an escape sequence (put into the clear-text ID payload of an IKEv1
 * Aggressive Mode first message on the wire): east logs the ID it was given, and the log shows it on one line
 * with the control characters as {@code \ooo} (Openswan's sanitize_string), never as a line of its own.
 */
class PeerIdLogTest {
  @TempDir Path dir;

  private static byte[] replace(byte[] in, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + f.length <= in.length; i++) {
      if (java.util.Arrays.equals(in, i, i + f.length, f, 0, f.length)) {
        byte[] out = in.clone();
        System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, out, i, f.length);
        return out;
      }
    }
    return in;
  }

  @Test
  void aNewlineInThePeersIdCannotForgeALogLine() throws Exception {
    Path log = dir.resolve("pluto.log");
    Logging.configure(new Logging.Target.File(log), List.of());
    String psk = "@west-gateway @east : PSK \"a-long-shared-secret\"\n";
    TwoPlutos t = new TwoPlutos(psk, psk, IkeSettings.defaults());
    t.net.setTap(d -> d.from().getAddress().equals(t.west.address)
        ? new MemoryNetwork.Datagram(d.from(), d.to(), replace(d.bytes(), "west-gateway", "w\nFORGED\r\u001b[J"))
        : d);
    t.add(t.west, "west-east", TwoPlutos.connFor("never", "aggrmode", "yes", "leftid", "@west-gateway"));
    t.add(t.east, "west-east", TwoPlutos.connFor("never", "aggrmode", "yes"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", true));
    List<String> lines = Files.readAllLines(log);
    String all = String.join("\n", lines);
    assertTrue(lines.stream().anyMatch(l -> l.contains("w\\012FORGED\\015\\033[J")), "the ID escaped:\n" + all);
    assertFalse(lines.stream().anyMatch(l -> l.startsWith("FORGED") || l.contains("\u001b")), all);
  }
}
