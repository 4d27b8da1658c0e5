package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.kernel.SaSpec;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/**
 * XAUTH and ModeConfig between two plutos in one JVM: west is the road warrior (leftxauthclient=yes, the
 * {@code : XAUTH} secret), east the gateway (rightxauthserver=yes, ipsec.d/passwd, leftaddresspool= for west).
 */
class Ikev1XauthTest {
  /** alice's password as {@code openssl passwd -1 -salt abcdefgh alice-pw} hashes it. */
  private static final String PASSWD = "alice:$1$abcdefgh$/rjHnY0UaDSC5WvrpEXr21:west-east\n";
  private static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";

  @TempDir
  Path eastIpsecD;

  private TwoPlutos up(String westPassword, String... extra) throws Exception {
    Files.writeString(eastIpsecD.resolve("passwd"), PASSWD);
    TwoPlutos t = new TwoPlutos(PSK + "@alice : XAUTH \"" + westPassword + "\"\n", PSK, IkeSettings.defaults(), null,
        eastIpsecD);
    String[] kw = new String[extra.length + 12];
    String[] base = {"leftxauthclient", "yes", "rightxauthserver", "yes", "leftxauthusername", "alice",
        "leftaddresspool", "10.9.100.10-10.9.100.20", "modecfgdns1", "192.0.2.53", "esp", "aes128-sha1"};
    System.arraycopy(base, 0, kw, 0, base.length);
    System.arraycopy(extra, 0, kw, base.length, extra.length);
    Map<String, String> conn = TwoPlutos.connFor("never", kw);
    assertTrue(t.add(t.west, "west-east", conn).text().contains("added connection description"));
    assertTrue(t.add(t.east, "west-east", conn).text().contains("added connection description"));
    return t;
  }

  private static String status(TwoPlutos.Node n, TwoPlutos t) {
    return t.whack(n, new WhackRequest.Status(false)).text();
  }

  private static void assertVirtualIpTunnel(TwoPlutos t, TwoPlutos.Recorder r) {
    assertTrue(r.closed, r.text());
    assertTrue(r.text().contains("STATE_XAUTH_I1: XAUTH client: sent reply, expecting status (as alice)"), r.text());
    assertTrue(r.text().contains("ModeCfg: received IP address 10.9.100.10 DNS 192.0.2.53"), r.text());
    assertTrue(r.text().contains("STATE_QUICK_I2: sent QI2, IPsec SA established"), r.text());
    QuickSa w = t.west.pluto.ikev1().ipsecSas().get(0);
    SaSpec westOut = Ikev1TwoPeerTest.find(t.west.backend.sas(), w.outboundSpi);
    SaSpec eastOut = Ikev1TwoPeerTest.find(t.east.backend.sas(), w.inboundSpi);
    assertEquals("10.9.100.10/32 -> 192.0.2.0/24", westOut.binding().selector().toString());
    assertEquals("192.0.2.0/24 -> 10.9.100.10/32", eastOut.binding().selector().toString());
    String east = status(t.east, t);
    assertTrue(east.contains("XAUTHuser=alice; ModeCfg=10.9.100.10;"), east);
    assertEquals(Ikev1State.STATE_MAIN_R3, t.east.pluto.ikev1().isakmpSas().get(0).state);
  }

  @Test
  void pullModeGivesTheClientAnAddressAndQuickModeUsesIt() throws Exception {
    TwoPlutos t = up("alice-pw", "modecfgpull", "yes");
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    assertVirtualIpTunnel(t, r);
  }

  @Test
  void pushModeSetsTheAddress() throws Exception {
    TwoPlutos t = up("alice-pw");
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    assertVirtualIpTunnel(t, r);
  }

  @Test
  void threeWrongPasswordsEndTheSaWithoutAnIpsecSa() throws Exception {
    TwoPlutos t = up("not-alice-pw", "modecfgpull", "yes");
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(30));
    assertTrue(r.closed, r.text());
    assertTrue(r.text().contains("XAUTH: the gateway refused user alice (status FAIL)"), r.text());
    assertTrue(t.west.pluto.ikev1().isakmpSas().isEmpty(), "the gateway's Delete ended west's ISAKMP SA");
    assertTrue(t.east.pluto.ikev1().isakmpSas().isEmpty());
    assertTrue(t.west.backend.sas().isEmpty() && t.east.backend.sas().isEmpty(), "no IPsec SA without XAUTH");
  }

  @Test
  void aClientWithoutAnXauthSecretGivesUpWithAClearLine() throws Exception {
    Files.writeString(eastIpsecD.resolve("passwd"), PASSWD);
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults(), null, eastIpsecD);
    Map<String, String> conn = TwoPlutos.connFor("never", "leftxauthclient", "yes", "rightxauthserver", "yes",
        "leftxauthusername", "alice", "leftaddresspool", "10.9.100.10-10.9.100.20");
    t.add(t.west, "west-east", conn);
    t.add(t.east, "west-east", conn);
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(30));
    assertTrue(r.text().contains("XAUTH/ModeCfg client: no XAUTH password for user alice in ipsec.secrets"),
        r.text());
    assertTrue(t.west.backend.sas().isEmpty() && t.east.backend.sas().isEmpty());
  }

  @Test
  void thePoolLeasesEachUserItsOwnAddressAndKeepsIt() throws Exception {
    TwoPlutos t = up("alice-pw", "modecfgpull", "yes");
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    assertTrue(r.text().contains("received IP address 10.9.100.10"), r.text());
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    t.loop.advance(Duration.ofSeconds(2));
    r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    assertTrue(r.text().contains("received IP address 10.9.100.10"), "alice gets her address back: " + r.text());
    assertFalse(r.text().contains("10.9.100.11"));
  }
}
