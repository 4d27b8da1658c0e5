package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/** Two plutos negotiate IKEv1 (RFC 2409: Main, Aggressive and Quick Mode with PSK) in one JVM. */
class Ikev1TwoPeerTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";

  private TwoPlutos up(Map<String, String> westConn, Map<String, String> eastConn) throws Exception {
    return up(PSK, PSK, westConn, eastConn);
  }

  private TwoPlutos up(String westPsk, String eastPsk, Map<String, String> westConn,
      Map<String, String> eastConn) throws Exception {
    TwoPlutos t = new TwoPlutos(westPsk, eastPsk, IkeSettings.defaults());
    assertTrue(t.add(t.west, "west-east", westConn).text().contains("added connection description"));
    assertTrue(t.add(t.east, "west-east", eastConn).text().contains("added connection description"));
    return t;
  }

  static SaSpec find(Map<SaId, SaSpec> sas, int spi) {
    return sas.entrySet().stream().filter(x -> x.getKey().spi() == spi).findFirst().orElseThrow().getValue();
  }

  /** Both sides have the pair, and what one encrypts and signs with is what the other checks with. */
  static void assertMatchingPairs(TwoPlutos t) {
    QuickSa w = t.west.pluto.ikev1().ipsecSas().get(0);
    QuickSa e = t.east.pluto.ikev1().ipsecSas().get(0);
    assertEquals(w.outboundSpi, e.inboundSpi);
    assertEquals(w.inboundSpi, e.outboundSpi);
    SaSpec westOut = find(t.west.backend.sas(), w.outboundSpi);
    SaSpec eastIn = find(t.east.backend.sas(), e.inboundSpi);
    SaSpec eastOut = find(t.east.backend.sas(), e.outboundSpi);
    SaSpec westIn = find(t.west.backend.sas(), w.inboundSpi);
    assertArrayEquals(westOut.transform().encKey().bytes(), eastIn.transform().encKey().bytes());
    assertArrayEquals(westOut.transform().integKey().bytes(), eastIn.transform().integKey().bytes());
    assertArrayEquals(eastOut.transform().encKey().bytes(), westIn.transform().encKey().bytes());
    assertFalse(java.util.Arrays.equals(westOut.transform().encKey().bytes(), westIn.transform().encKey().bytes()), "directions differ");
    assertTrue(eastIn.inbound());
    assertEquals("192.0.1.0/24 -> 192.0.2.0/24", westOut.binding().selector().toString());
    assertEquals("192.0.2.0/24 -> 192.0.1.0/24", eastOut.binding().selector().toString());
  }

  @Test
  void mainModeAndQuickModeInstallMatchingSas() throws Exception {
    TwoPlutos t = up(TwoPlutos.connFor("never", "ike", "aes128-sha1-modp2048", "esp", "aes128-sha1"),
        TwoPlutos.connFor("never"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.closed, "initiate must finish: " + r.text());
    assertTrue(r.text().contains("\"west-east\" #1: STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_PRESHARED_KEY"
        + " cipher=aes_128 prf=oakley_sha group=modp2048}"), r.text());
    assertTrue(r.text().matches("(?s).*\"west-east\" #2: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode"
        + " \\{ESP=>0x[0-9a-f]{8} <0x[0-9a-f]{8} xfrm=AES_128-HMAC_SHA1 NATOA=none NATD=none DPD=none}.*"), r.text());
    assertEquals(Ikev1State.STATE_MAIN_I4, t.west.pluto.ikev1().isakmpSas().get(0).state);
    assertEquals(Ikev1State.STATE_MAIN_R3, t.east.pluto.ikev1().isakmpSas().get(0).state);
    assertEquals(Ikev1State.STATE_QUICK_R2, t.east.pluto.ikev1().ipsecSas().get(0).state);
    assertMatchingPairs(t);
    assertTrue(t.west.backend.policies().entrySet().stream().anyMatch(p -> p.getKey().direction()
        == PolicyDirection.OUT && p.getValue().action() == PolicyAction.IPSEC));
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty(), "no IKEv2 SA");
  }

  @Test
  void defaultIkeAndEspAgreeAndPermitMeansIkev1() throws Exception {
    TwoPlutos t = up(TwoPlutos.connFor("never", "ikev2", "permit"), TwoPlutos.connFor("never", "ikev2", "permit"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("STATE_MAIN_I4: ISAKMP SA established"), r.text());
    assertTrue(r.text().contains("STATE_QUICK_I2: sent QI2, IPsec SA established"), r.text());
    assertMatchingPairs(t);
  }

  @Test
  void isakmpSaIsReplacedBeforeItsLifetimeAndTheIpsecSaMovesOntoTheNewOne() throws Exception {
    TwoPlutos t = up(TwoPlutos.connFor("never", "ikelifetime", "10m", "salifetime", "1h", "rekeymargin", "3m",
        "rekeyfuzz", "0%"), TwoPlutos.connFor("never", "ikelifetime", "10m", "salifetime", "1h"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    IsakmpSa first = t.west.pluto.ikev1().isakmpSas().get(0);
    QuickSa ipsec = t.west.pluto.ikev1().ipsecSas().get(0);
    t.loop.advance(Duration.ofMinutes(8)); // replaced at 10m - 3m
    List<IsakmpSa> now = t.west.pluto.ikev1().isakmpSas();
    assertEquals(1, now.size(), "the old ISAKMP SA is deleted once the new one is up");
    assertNotEquals(first.serial, now.get(0).serial);
    assertEquals(Ikev1State.STATE_MAIN_I4, now.get(0).state);
    assertEquals(1, t.east.pluto.ikev1().isakmpSas().size(), "east deleted the old one on the Delete");
    assertEquals(List.of(ipsec), t.west.pluto.ikev1().ipsecSas(), "the IPsec SA stays, no new Quick Mode");
    assertEquals(now.get(0), ipsec.parent, "and now belongs to the new ISAKMP SA");
    // ... whose Quick Mode rekeys it later (1h - 9m default margin... here 3m) and whose own lifetime comes round
    t.loop.advance(Duration.ofMinutes(50));
    assertEquals(1, t.west.pluto.ikev1().ipsecSas().size());
    assertNotEquals(ipsec.serial, t.west.pluto.ikev1().ipsecSas().get(0).serial, "the IPsec SA was rekeyed");
    assertEquals(1, t.west.pluto.ikev1().isakmpSas().size(), "always one ISAKMP SA");
    assertMatchingPairs(t);
  }

  @Test
  void aggressiveModeWithAPskIsWarnedAboutAtAdd() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    String added = t.add(t.west, "west-east", TwoPlutos.connFor("never", "aggrmode", "yes")).text();
    assertTrue(added.contains("warning: aggrmode=yes with a pre-shared key lets anyone") && added.contains("added"),
        added);
    String mm = t.add(t.west, "mm", TwoPlutos.connFor("never")).text();
    assertFalse(mm.contains("warning"), mm);
  }

  @Test
  void aggressiveModeWithPfs() throws Exception {
    TwoPlutos t = up(TwoPlutos.connFor("never", "aggrmode", "yes", "pfs", "yes", "ike", "aes256-sha2_256-modp2048"),
        TwoPlutos.connFor("never", "aggrmode", "yes", "pfs", "yes", "ike", "aes256-sha2_256-modp2048"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("STATE_AGGR_I2: sent AI2, ISAKMP SA established {auth=OAKLEY_PRESHARED_KEY"
        + " cipher=aes_256 prf=oakley_sha2_256 group=modp2048}"), r.text());
    assertTrue(r.text().contains("STATE_QUICK_I2: sent QI2, IPsec SA established"), r.text());
    assertEquals(Ikev1State.STATE_AGGR_R2, t.east.pluto.ikev1().isakmpSas().get(0).state);
    assertTrue(t.west.pluto.ikev1().ipsecSas().get(0).pfs != null, "PFS group used");
    assertMatchingPairs(t);
  }

  @Test
  void wrongPskFailsAfterRetransmissions() throws Exception {
    TwoPlutos t = up(PSK, "@west @east : PSK \"another-secret\"\n", TwoPlutos.connFor("never", "keyingtries", "1"),
        TwoPlutos.connFor("never"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofMinutes(5));
    assertTrue(r.closed, r.text());
    assertTrue(r.text().contains("reached STATE_MAIN_I3.  Possible authentication failure: no acceptable response"
        + " to our first encrypted message"), r.text());
    assertTrue(t.west.pluto.ikev1().isakmpSas().isEmpty());
    assertTrue(t.east.pluto.ikev1().isakmpSas().isEmpty(), "east's half-open SA timed out");
    assertTrue(t.west.backend.sas().isEmpty() && t.east.backend.sas().isEmpty());
  }

  @Test
  void noCommonProposalIsRefused() throws Exception {
    TwoPlutos t = up(TwoPlutos.connFor("never", "ike", "3des-md5-modp1024"),
        TwoPlutos.connFor("never", "ike", "aes256-sha2_256-modp2048"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.closed, r.text());
    assertTrue(r.text().contains("STATE_MAIN_I1: the peer answered NO_PROPOSAL_CHOSEN"), r.text());
    assertTrue(t.west.pluto.ikev1().isakmpSas().isEmpty());
    assertTrue(t.east.pluto.ikev1().isakmpSas().isEmpty());
  }

  @Test
  void terminateDeletesBothSides() throws Exception {
    TwoPlutos t = up(TwoPlutos.connFor("never"), TwoPlutos.connFor("never"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    t.loop.runPending();
    assertTrue(t.west.pluto.ikev1().isakmpSas().isEmpty() && t.west.pluto.ikev1().ipsecSas().isEmpty());
    assertTrue(t.east.pluto.ikev1().ipsecSas().isEmpty(), "east got the ESP Delete");
    assertTrue(t.east.pluto.ikev1().isakmpSas().isEmpty(), "east got the ISAKMP Delete");
    assertTrue(t.west.backend.sas().isEmpty() && t.east.backend.sas().isEmpty());
    assertTrue(t.east.backend.policies().isEmpty(), t.east.backend.describe().toString());
  }

  @Test
  void deleteFromTheResponderSide() throws Exception {
    TwoPlutos t = up(TwoPlutos.connFor("never"), TwoPlutos.connFor("never"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.whack(t.east, new WhackRequest.Terminate("west-east"));
    t.loop.runPending();
    assertTrue(t.west.pluto.ikev1().ipsecSas().isEmpty(), "west got the ESP Delete");
    assertTrue(t.west.pluto.ikev1().isakmpSas().isEmpty(), "west got the ISAKMP Delete");
    assertTrue(t.west.backend.sas().isEmpty());
  }

  @Test
  void ipsecSaRekeyReplacesTheOldPair() throws Exception {
    TwoPlutos t = up(TwoPlutos.connFor("never", "salifetime", "1h", "rekeymargin", "9m", "rekeyfuzz", "0%"),
        TwoPlutos.connFor("never", "salifetime", "1h"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    QuickSa first = t.west.pluto.ikev1().ipsecSas().get(0);
    t.loop.advance(Duration.ofMinutes(52));
    assertEquals(1, t.west.pluto.ikev1().ipsecSas().size(), t.west.backend.describe().toString());
    QuickSa second = t.west.pluto.ikev1().ipsecSas().get(0);
    assertNotEquals(first.serial, second.serial);
    assertNotEquals(first.inboundSpi, second.inboundSpi);
    assertEquals(1, t.east.pluto.ikev1().ipsecSas().size(), "east deleted the old pair on the Delete");
    assertEquals(4, t.west.backend.sas().size() + t.east.backend.sas().size());
    assertMatchingPairs(t);
    assertEquals(second.serial, t.west.pluto.connections().iterator().next().erouteOwner());
  }

  /**
   * A lab ping lost one reply per rekey now and then: west deleted the old pair as soon as it sent QI2, while
   * east, which moves to the new SA only when QI2 reaches it, still sent on the old one. The old pair now stays
   * for a grace period after the rekey, and goes with a Delete after it.
   */
  @Test
  void theOldPairOutlivesTheRekeyLongEnoughForThePeersLastPackets() throws Exception {
    TwoPlutos t = up(TwoPlutos.connFor("never", "salifetime", "1h", "rekeymargin", "9m", "rekeyfuzz", "0%"),
        TwoPlutos.connFor("never", "salifetime", "1h"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    QuickSa first = t.west.pluto.ikev1().ipsecSas().get(0);
    t.loop.advance(Duration.ofMinutes(51).plusSeconds(1));
    assertEquals(2, t.west.pluto.ikev1().ipsecSas().size(), "the rekey is done and the old pair still there");
    assertTrue(t.west.backend.sas().keySet().stream().anyMatch(x -> x.spi() == first.inboundSpi),
        "west still accepts what east sent on the old SA before QI2 reached it: " + t.west.backend.describe());
    assertEquals(2, t.east.pluto.ikev1().ipsecSas().size());
    t.loop.advance(Duration.ofSeconds(5)); // QuickKeys.OLD_SA_GRACE
    assertEquals(1, t.west.pluto.ikev1().ipsecSas().size());
    assertTrue(t.west.backend.sas().keySet().stream().noneMatch(x -> x.spi() == first.inboundSpi));
    assertEquals(1, t.east.pluto.ikev1().ipsecSas().size(), "east deleted the old pair on west's Delete");
    assertMatchingPairs(t);
  }

  @Test
  void retransmittedMessagesAreAnsweredFromTheCache() throws Exception {
    TwoPlutos t = up(TwoPlutos.connFor("never"), TwoPlutos.connFor("never"));
    boolean[] dropped = {false};
    t.net.setTap(d -> {
      // lose east's first MR3 once: west resends MI3, east answers it from its cache
      if (!dropped[0] && d.from().getAddress().equals(t.east.address) && d.bytes()[18] == 2 && (d.bytes()[19] & 1) == 1) {
        dropped[0] = true;
        return null;
      }
      return d;
    });
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertFalse(r.text().contains("ISAKMP SA established"), "MR3 was lost");
    t.loop.advance(Duration.ofSeconds(2));
    assertTrue(dropped[0]);
    assertTrue(r.text().contains("STATE_QUICK_I2: sent QI2, IPsec SA established"), r.text());
    assertEquals(1, t.east.pluto.ikev1().isakmpSas().size(), "no second SA on east");
    assertMatchingPairs(t);
  }

  @Test
  void statusShowsIkev1States() throws Exception {
    TwoPlutos t = up(TwoPlutos.connFor("never"), TwoPlutos.connFor("never"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    String s = t.whack(t.west, new WhackRequest.Status(false)).text();
    assertTrue(s.contains("#2: \"west-east\":500 STATE_QUICK_I2 (sent QI2, IPsec SA established); EVENT_SA_REPLACE in"),
        s);
    assertTrue(s.contains("#1: \"west-east\":500 STATE_MAIN_I4 (ISAKMP SA established); EVENT_SA_EXPIRE in"), s);
    String e = t.whack(t.east, new WhackRequest.Status(false)).text();
    assertTrue(e.contains("STATE_MAIN_R3 (sent MR3, ISAKMP SA established)"), e);
    assertTrue(e.contains("STATE_QUICK_R2 (IPsec SA established); EVENT_SA_EXPIRE in"), e);
    String j = t.whack(t.west, new WhackRequest.Status(true)).text();
    QuickSa q = t.west.pluto.ikev1().ipsecSas().get(0);
    assertTrue(j.contains("\"kind\":\"IKE\",\"state\":\"STATE_MAIN_I4\""), j);
    assertTrue(j.contains(String.format("\"kind\":\"IPSEC\",\"state\":\"STATE_QUICK_I2\",\"parent\":1,"
        + "\"inSpi\":\"0x%08x\",\"outSpi\":\"0x%08x\"", q.inboundSpi, q.outboundSpi)), j);
  }
}
