package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.SaSpec;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.whack.proto.WhackRequest;

/**
 * No key material reaches a log line or a whack answer at any level (issue 13): an IKEv2 and an IKEv1 life (up,
 * rekeys, delete) logged at TRACE, then every line searched for the PSK and every derived key, as hex (either
 * case) and base64.
 */
class NoKeysInLogsTest {
  private static final String PSK_TEXT = "correct-horse-battery-staple-42";
  private static final String PSK = "@west @east : PSK \"" + PSK_TEXT + "\"\n";

  private LogCapture capture;

  @BeforeEach
  void captureEverything() {
    capture = new LogCapture("capture", Level.ALL, e -> e.getLoggerName() + " " + e.getMessage().getFormattedMessage()
        + (e.getThrown() == null ? "" : " " + e.getThrown()));
  }

  @AfterEach
  void restore() {
    capture.close();
  }

  @Test
  void ikev2AndIkev1LivesLogNoSecret() throws Exception {
    List<byte[]> secrets = new ArrayList<>();
    StringBuilder whack = new StringBuilder();
    for (String ikev2 : List.of("insist", "never")) {
      TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
      t.add(t.west, "west-east", TwoPlutos.connFor(ikev2, "salifetime", "60s", "rekeymargin", "10s", "rekeyfuzz", "0%",
          "ikelifetime", "120s", "pfs", "yes"));
      t.add(t.east, "west-east", TwoPlutos.connFor(ikev2, "salifetime", "60s", "ikelifetime", "120s"));
      whack.append(t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text());
      if (ikev2.equals("insist")) {
        IkeSa w = t.west.pluto.engine().ikeSas().get(0);
        var k = w.keys;
        for (var s : List.of(k.skD(), k.skAi(), k.skAr(), k.skEi(), k.skEr(), k.skPi(), k.skPr())) {
          secrets.add(s.bytes().clone());
        }
      }
      collectEspKeys(t, secrets);
      t.loop.advance(Duration.ofSeconds(55)); // Child SA rekeys (with PFS)
      collectEspKeys(t, secrets);
      whack.append(t.whack(t.west, new WhackRequest.Status(false)).text());
      t.whack(t.west, new WhackRequest.Terminate("west-east"));
    }
    List<String> lines = capture.lines();
    assertTrue(lines.size() > 30, "the lives were logged: " + lines.size() + " lines");
    assertTrue(secrets.size() >= 11, "keys collected: " + secrets.size());
    String all = String.join("\n", lines) + "\n" + whack;
    assertFalse(all.contains(PSK_TEXT), "the PSK appears in a log line");
    HexFormat hex = HexFormat.of();
    for (byte[] s : secrets) {
      if (s.length < 8) {
        continue; // no key (an AEAD's integrity key is empty)
      }
      for (String form : List.of(hex.formatHex(s), hex.withUpperCase().formatHex(s),
          Base64.getEncoder().encodeToString(s), hex.formatHex(s, 0, Math.min(8, s.length)))) {
        assertFalse(all.contains(form), "key material (" + form.length() + " chars) appears in a log line");
      }
    }
  }

  private static void collectEspKeys(TwoPlutos t, List<byte[]> out) {
    for (SaSpec s : t.west.backend.sas().values()) {
      out.add(s.transform().encKey().bytes().clone());
      if (s.transform().integKey() != null) {
        out.add(s.transform().integKey().bytes().clone());
      }
    }
  }
}
