package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.kernel.SaSpec;
import org.openswanj.pluto.crypto.Ikev1KeyDerivation;
import org.openswanj.pluto.ike.wire.CfgAttribute;
import org.openswanj.pluto.ike.wire.CfgType;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.V1AttributePayload;
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
    Ikev1State eastState = t.east.pluto.ikev1().isakmpSas().get(0).state;
    assertTrue(eastState == Ikev1State.STATE_MAIN_R3 || eastState == Ikev1State.STATE_AGGR_R2, eastState.name());
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

  /** The Transaction messages of {@code from}, in order, as they crossed the wire. */
  private static java.util.List<byte[]> transactions(TwoPlutos t, TwoPlutos.Node from) {
    return t.net.log().stream().filter(d -> d.from().getAddress().equals(from.address)
        && (d.bytes()[18] & 0xff) == ExchangeType.TRANSACTION.wireValue()).map(d -> d.bytes()).toList();
  }

  @Test
  void theGatewaysRequestAndTheClientsReplyAreWhatTheDraftsSay() throws Exception {
    TwoPlutos t = up("alice-pw", "modecfgpull", "yes");
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    IsakmpSa east = t.east.pluto.ikev1().isakmpSas().get(0);
    byte[] request = transactions(t, t.east).get(0);
    IkeHeader h = IkeCodec.decodeHeader(request);
    assertTrue(h.encrypted(), "mode-cfg-05 §3.2: HDR* (encrypted)");
    assertNotEquals(0, h.messageId(), "a Transaction exchange has its own non-zero message ID");
    byte[] a = east.keys.skeyidA().bytes();
    V1Protect.Opened o = QuickMode.openHashed(east, h, request, V1Protect.phase2Iv(east, h.messageId()), "HASH",
        x -> Ikev1KeyDerivation.quickHash1(east.algs.prf(), a, h.messageId(), x)); // HASH = prf(SKEYID_a, M-ID | ATTR)
    V1AttributePayload req = (V1AttributePayload) o.payloads().get(1);
    assertEquals(CfgType.ISAKMP_CFG_REQUEST, req.type());
    assertEquals(0, req.find(CfgAttribute.XAUTH_USER_NAME).orElseThrow().variable().length, "xauth-06 §4.1: empty");
    assertEquals(0, req.find(CfgAttribute.XAUTH_USER_PASSWORD).orElseThrow().variable().length);
    // the client's REPLY continues the exchange: same message ID, the IV after the request, same identifier
    byte[] reply = transactions(t, t.west).get(0);
    IkeHeader rh = IkeCodec.decodeHeader(reply);
    assertEquals(h.messageId(), rh.messageId());
    V1Protect.Opened ro = QuickMode.openHashed(east, rh, reply, o.nextIv(), "HASH",
        x -> Ikev1KeyDerivation.quickHash1(east.algs.prf(), a, h.messageId(), x));
    V1AttributePayload rep = (V1AttributePayload) ro.payloads().get(1);
    assertEquals(CfgType.ISAKMP_CFG_REPLY, rep.type());
    assertEquals(req.identifier(), rep.identifier());
    assertEquals("alice", new String(rep.find(CfgAttribute.XAUTH_USER_NAME).orElseThrow().variable(),
        java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void quickModeBeforeXauthFinishedIsDropped() throws Exception {
    TwoPlutos t = up("alice-pw");
    // west's XAUTH reply never arrives: east stays in STATE_XAUTH_R0
    t.net.setTap(d -> d.from().getAddress().equals(t.west.address)
        && (d.bytes()[18] & 0xff) == ExchangeType.TRANSACTION.wireValue() ? null : d);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    IsakmpSa east = t.east.pluto.ikev1().isakmpSas().get(0);
    assertEquals(Ikev1State.STATE_XAUTH_R0, east.state);
    IsakmpSa west = t.west.pluto.ikev1().isakmpSas().get(0);
    t.west.pluto.ikev1().quickMode.initiate(west, west.conn, null, null); // a client that skips XAUTH
    t.loop.runPending();
    assertTrue(t.east.pluto.ikev1().ipsecSas().isEmpty(), "no IPsec SA before XAUTH succeeded");
    assertTrue(t.east.backend.sas().isEmpty());
    assertEquals(Ikev1State.STATE_XAUTH_R0, east.state);
  }

  @Test
  void aggressiveModeWithXauthProposesXauthInitPreSharedAndComesUp() throws Exception {
    TwoPlutos t = up("alice-pw", "modecfgpull", "yes", "aggrmode", "yes");
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    assertTrue(r.text().contains("STATE_AGGR_I2"), r.text());
    assertVirtualIpTunnel(t, r);
    // xauth-06 §4.4.1: the initiator is the XAUTH client, so AI1 proposes XAUTHInitPreShared (65001)
    byte[] ai1 = t.net.log().get(0).bytes();
    assertTrue(IkeCodec.hex(ai1).contains("8003fde9"), "OAKLEY_AUTHENTICATION_METHOD = 65001 in AI1");
  }

  @Test
  void whackXauthNameAndPassAnswerInsteadOfTheSecrets() throws Exception {
    Files.writeString(eastIpsecD.resolve("passwd"), PASSWD);
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults(), null, eastIpsecD); // no XAUTH secret on west
    Map<String, String> conn = TwoPlutos.connFor("never", "leftxauthclient", "yes", "rightxauthserver", "yes",
        "leftaddresspool", "10.9.100.10-10.9.100.20", "modecfgpull", "yes", "esp", "aes128-sha1", "modecfgdns1",
        "192.0.2.53");
    t.add(t.west, "west-east", conn);
    t.add(t.east, "west-east", conn);
    TwoPlutos.Recorder creds = t.whack(t.west, new WhackRequest.XauthCredentials("west-east", "alice", "alice-pw"));
    assertTrue(creds.closed && creds.text().isEmpty(), creds.text());
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    assertVirtualIpTunnel(t, r);
    TwoPlutos.Recorder unknown = t.whack(t.west, new WhackRequest.XauthCredentials("nope", "alice", "x"));
    assertTrue(unknown.text().contains("no connection named \"nope\""), unknown.text());
  }
}
