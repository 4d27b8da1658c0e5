package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.kernel.SaSpec;
import org.openswanj.pluto.crypto.Ikev1KeyDerivation;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.CfgAttribute;
import org.openswanj.pluto.ike.wire.CfgType;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.V1AttributePayload;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/**
 * Cisco Unity between two plutos in one JVM: west is the road warrior with {@code remote_peer_type=cisco} and no
 * rightsubnet=, east the gateway with two conns to west (192.0.2.0/24 and 198.51.100.0/24, as leftsubnets='s
 * instances are) and {@code leftmodecfgbanner=}. West asks for (or is pushed) the banner and the split networks,
 * and runs one Quick Mode from its ModeConfig address to each.
 */
class Ikev1UnityTest {
  private static final String PASSWD = "alice:$1$abcdefgh$/rjHnY0UaDSC5WvrpEXr21:west-east\n";
  private static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  private static final String BANNER = "Authorised use only.\nSecond line \"quoted\"";

  @TempDir
  Path eastIpsecD;

  private TwoPlutos up(boolean cisco, String... extra) throws Exception {
    Files.writeString(eastIpsecD.resolve("passwd"), PASSWD + PASSWD.replace("west-east", "west-east-2"));
    TwoPlutos t = new TwoPlutos(PSK + "@alice : XAUTH \"alice-pw\"\n", PSK, IkeSettings.defaults(), null,
        eastIpsecD);
    String[] base = {"leftxauthclient", "yes", "rightxauthserver", "yes", "leftxauthusername", "alice",
        "leftaddresspool", "10.9.100.10-10.9.100.20", "esp", "aes128-sha1", "leftmodecfgbanner", BANNER};
    String[] kw = new String[base.length + extra.length];
    System.arraycopy(base, 0, kw, 0, base.length);
    System.arraycopy(extra, 0, kw, base.length, extra.length);
    Map<String, String> west = new java.util.LinkedHashMap<>(TwoPlutos.connFor("never", kw));
    if (!List.of(extra).contains("rightsubnet")) {
      west.remove("rightsubnet"); // a Cisco client knows the gateway, not its networks
    }
    if (cisco) {
      west.put("remote_peer_type", "cisco");
    }
    Map<String, String> east = TwoPlutos.connFor("never", kw);
    Map<String, String> east2 = new java.util.LinkedHashMap<>(east);
    east2.put("rightsubnet", "198.51.100.0/24");
    assertTrue(t.add(t.west, "west-east", west).text().contains("added connection description"));
    assertTrue(t.add(t.east, "west-east", east).text().contains("added connection description"));
    assertTrue(t.add(t.east, "west-east-2", east2).text().contains("added connection description"));
    return t;
  }

  private static List<byte[]> transactions(TwoPlutos t, TwoPlutos.Node from) {
    return t.net.log().stream().filter(d -> d.from().getAddress().equals(from.address)
        && (d.bytes()[18] & 0xff) == ExchangeType.TRANSACTION.wireValue()).map(d -> d.bytes()).toList();
  }

  /** The selectors of west's outbound SAs. */
  private static List<String> westSelectors(TwoPlutos t) {
    return t.west.pluto.ikev1().ipsecSas().stream().map(q -> Ikev1TwoPeerTest.find(t.west.backend.sas(),
        q.outboundSpi)).map(SaSpec::binding).map(b -> b.selector().toString()).sorted().toList();
  }

  private static void assertSplitTunnels(TwoPlutos t, TwoPlutos.Recorder r) {
    assertTrue(r.text().contains("ModeCfg: received IP address 10.9.100.10"), r.text());
    assertTrue(r.text().contains("ModeCfg: banner \"Authorised use only.\\nSecond line \\\"quoted\\\"\""), r.text());
    assertTrue(r.text().contains("ModeCfg: split networks 192.0.2.0/24,198.51.100.0/24"), r.text());
    assertEquals(List.of("10.9.100.10/32 -> 192.0.2.0/24", "10.9.100.10/32 -> 198.51.100.0/24"), westSelectors(t),
        r.text());
    assertEquals(List.of("west-east", "west-east-2"), t.east.pluto.ikev1().ipsecSas().stream()
        .map(q -> q.conn().name()).sorted().toList(), "east's conn for each split network took its Quick Mode");
    String status = t.whack(t.west, new WhackRequest.Status(false)).text();
    assertTrue(status.contains("banner=\"Authorised use only.\\nSecond line \\\"quoted\\\"\"; split=192.0.2.0/24,"
        + "198.51.100.0/24;"), status);
    IsakmpSa w = t.west.pluto.ikev1().isakmpSas().get(0);
    assertEquals(BANNER, w.unityBanner().orElseThrow());
    QuickSa q = t.west.pluto.ikev1().ipsecSas().get(0);
    assertEquals(java.util.Optional.of(BANNER), QuickKeys.saPeer(q).banner(), "updown gets PLUTO_PEER_BANNER");
    assertTrue(QuickKeys.saPeer(q).cisco());
    assertEquals(java.util.Optional.of(q.clientR), QuickKeys.saPeer(q).client(), "updown routes the split network");
  }

  @Test
  void pullAsksForTheUnityAttributesAndEachSplitNetworkGetsAQuickMode() throws Exception {
    TwoPlutos t = up(true, "modecfgpull", "yes");
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    assertSplitTunnels(t, r);
    // west's ModeCfg REQUEST (its second Transaction message: after the XAUTH reply and the status ACK) and
    // east's REPLY, opened with east's keys
    IsakmpSa east = t.east.pluto.ikev1().isakmpSas().get(0);
    byte[] a = east.keys.skeyidA().bytes();
    byte[] request = transactions(t, t.west).get(2);
    IkeHeader h = IkeCodec.decodeHeader(request);
    V1Protect.Opened o = QuickMode.openHashed(east, h, request, V1Protect.phase2Iv(east, h.messageId()), "HASH",
        x -> Ikev1KeyDerivation.quickHash1(east.algs.prf(), a, h.messageId(), x));
    V1AttributePayload req = (V1AttributePayload) o.payloads().get(1);
    assertEquals(CfgType.ISAKMP_CFG_REQUEST, req.type());
    for (CfgAttribute u : List.of(CfgAttribute.UNITY_BANNER, CfgAttribute.UNITY_SPLIT_INCLUDE,
        CfgAttribute.UNITY_DEF_DOMAIN)) {
      assertEquals(0, req.find(u).orElseThrow(() -> new AssertionError(u + " not asked")).variable().length);
    }
    byte[] reply = transactions(t, t.east).stream().filter(m -> java.nio.ByteBuffer.wrap(m).getInt(20)
        == h.messageId()).findFirst().orElseThrow();
    V1Protect.Opened ro = QuickMode.openHashed(east, IkeCodec.decodeHeader(reply), reply, o.nextIv(), "HASH",
        x -> Ikev1KeyDerivation.quickHash1(east.algs.prf(), a, h.messageId(), x));
    V1AttributePayload rep = (V1AttributePayload) ro.payloads().get(1);
    assertEquals(CfgType.ISAKMP_CFG_REPLY, rep.type());
    assertEquals("c0000200ffffff00000000000000" + "c6336400ffffff00000000000000",
        HexFormat.of().formatHex(rep.find(CfgAttribute.UNITY_SPLIT_INCLUDE).orElseThrow().variable()));
    assertEquals(BANNER, new String(rep.find(CfgAttribute.UNITY_BANNER).orElseThrow().variable(),
        StandardCharsets.UTF_8));
    assertFalse(rep.find(CfgAttribute.UNITY_DEF_DOMAIN).isPresent(), "no domain configured: not in the reply");
  }

  @Test
  void pushCarriesTheUnityAttributesBecauseWestSentTheUnityVendorId() throws Exception {
    TwoPlutos t = up(true);
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    assertTrue(t.east.pluto.ikev1().isakmpSas().get(0).peerUnity, "MI1 carried the Unity vendor ID");
    assertTrue(t.west.pluto.ikev1().isakmpSas().get(0).peerUnity, "east answered with it");
    assertSplitTunnels(t, r);
  }

  @Test
  void withoutRemotePeerTypeCiscoNothingOfUnityHappens() throws Exception {
    TwoPlutos t = up(false, "modecfgpull", "yes", "rightsubnet", "192.0.2.0/24");
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    assertFalse(t.east.pluto.ikev1().isakmpSas().get(0).peerUnity);
    assertFalse(r.text().contains("banner"), r.text());
    assertEquals(List.of("10.9.100.10/32 -> 192.0.2.0/24"), westSelectors(t));
  }

  @Test
  void anExplicitRightsubnetWinsOverTheSplitNetworks() throws Exception {
    TwoPlutos t = up(true, "modecfgpull", "yes", "rightsubnet", "192.0.2.0/24");
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    assertTrue(r.text().contains("ModeCfg: split networks 192.0.2.0/24,198.51.100.0/24 (not used: rightsubnet="
        + " names the peer's network)"), r.text());
    assertEquals(List.of("10.9.100.10/32 -> 192.0.2.0/24"), westSelectors(t));
  }

  /**
   * charon's unity plugin proposes 0.0.0.0/0 as the gateway's side and narrows to the split networks itself
   * (unity_narrow.c): east takes it on the ISAKMP SA's conn, keeps the wire's pair as the SA's selector and installs
   * policies for the split networks only, so the client reaches exactly those.
   */
  @Test
  void aUnityClientsWildcardIsAnsweredWithPoliciesForTheSplitNetworksOnly() throws Exception {
    TwoPlutos t = up(true, "modecfgpull", "yes");
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    assertSplitTunnels(t, r);
    IsakmpSa west = t.west.pluto.ikev1().isakmpSas().get(0);
    org.openswanj.conf.Subnet any = new org.openswanj.conf.Subnet(java.net.InetAddress.getByName("0.0.0.0"), 0);
    t.west.pluto.ikev1().quickMode.initiate(west, west.conn, null, null, any); // as charon's Quick Mode
    t.loop.advance(Duration.ofSeconds(2));
    QuickSa wide = t.east.pluto.ikev1().ipsecSas().stream().filter(q -> q.clientR.prefix() == 0).findFirst()
        .orElseThrow(() -> new AssertionError("east took no 0.0.0.0/0 Quick Mode"));
    assertEquals("west-east", wide.conn().name(), "the ISAKMP SA's conn");
    assertEquals("[192.0.2.0/24, 198.51.100.0/24]", wide.unityLocal.toString());
    SaSpec in = Ikev1TwoPeerTest.find(t.east.backend.sas(), wide.inboundSpi);
    assertEquals("10.9.100.10/32 -> 0.0.0.0/0", in.binding().selector().toString(), "the SA keeps the wire's pair");
    List<String> out = t.east.backend.policies().keySet().stream()
        .filter(p -> p.direction() == org.openswanj.kernel.PolicyDirection.OUT)
        .map(p -> p.selector().toString()).sorted().toList();
    assertTrue(out.contains("192.0.2.0/24 -> 10.9.100.10/32") && out.contains("198.51.100.0/24 -> 10.9.100.10/32"),
        out.toString());
    assertFalse(out.contains("0.0.0.0/0 -> 10.9.100.10/32"), "no policy wider than the split networks: " + out);
  }

  @Test
  void withoutTheUnityVendorIdAWildcardIsRefused() throws Exception {
    TwoPlutos t = up(false, "modecfgpull", "yes", "rightsubnet", "192.0.2.0/24");
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(2));
    int before = t.east.pluto.ikev1().ipsecSas().size();
    IsakmpSa west = t.west.pluto.ikev1().isakmpSas().get(0);
    org.openswanj.conf.Subnet any = new org.openswanj.conf.Subnet(java.net.InetAddress.getByName("0.0.0.0"), 0);
    t.west.pluto.ikev1().quickMode.initiate(west, west.conn, null, null, any);
    t.loop.advance(Duration.ofSeconds(2));
    assertEquals(before, t.east.pluto.ikev1().ipsecSas().size(), "INVALID_ID_INFORMATION, no IPsec SA");
  }
}
