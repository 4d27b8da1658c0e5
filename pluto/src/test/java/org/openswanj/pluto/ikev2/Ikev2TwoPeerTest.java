package org.openswanj.pluto.ikev2;

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
import org.openswanj.whack.proto.WhackRequest;

/** Two plutos negotiate, rekey and delete IKEv2 SAs in one JVM (RFC 7296), checked on what the kernel got. */
class Ikev2TwoPeerTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";

  private TwoPlutos up(Map<String, String> westConn, Map<String, String> eastConn) throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    assertTrue(t.add(t.west, "west-east", westConn).text().contains("added connection description"));
    assertTrue(t.add(t.east, "west-east", eastConn).text().contains("added connection description"));
    return t;
  }

  @Test
  void establishesAndInstallsMatchingSas() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn(), TwoPlutos.conn());
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.closed, "initiate must finish: " + r.text());
    assertTrue(r.text().contains("STATE_PARENT_I3: PARENT SA established"), r.text());
    assertTrue(r.text().contains("IPsec SA established tunnel mode"), r.text());
    IkeSa w = t.west.pluto.engine().ikeSas().get(0);
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);
    assertEquals(Ikev2State.STATE_PARENT_I3, w.state);
    assertEquals(Ikev2State.STATE_PARENT_R2, e.state);
    assertEquals(w.spiI, e.spiI);
    assertEquals(w.spiR, e.spiR);
    ChildSa wc = w.children.get(0);
    ChildSa ec = e.children.get(0);
    assertEquals(wc.outboundSpi, ec.inboundSpi);
    assertEquals(wc.inboundSpi, ec.outboundSpi);
    // the keys west encrypts with are the keys east decrypts with (RFC 7296 §2.17 KEYMAT order)
    SaSpec westOut = find(t.west.backend.sas(), wc.outboundSpi);
    SaSpec eastIn = find(t.east.backend.sas(), ec.inboundSpi);
    assertArrayEquals(westOut.transform().encKey().bytes(), eastIn.transform().encKey().bytes());
    assertFalse(westOut.inbound());
    assertTrue(eastIn.inbound());
    assertEquals("192.0.1.0/24 -> 192.0.2.0/24", westOut.binding().selector().toString());
    assertEquals(4, t.west.backend.sas().size() + t.west.backend.policies().size() - 1,
        "2 SAs and out/in/fwd policies: " + t.west.backend.describe());
    assertTrue(t.west.backend.policies().entrySet().stream().anyMatch(
        p -> p.getKey().direction() == PolicyDirection.OUT && p.getValue().action() == PolicyAction.IPSEC
            && p.getValue().template().outboundSpi() == wc.outboundSpi));
  }

  @Test
  void statusShowsOpenswanLayout() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn(), TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    String s = t.whack(t.west, new WhackRequest.Status(false)).text();
    assertTrue(s.contains("000 \"west-east\": 192.0.1.0/24===192.1.2.45<192.1.2.45>[@west]...192.1.2.23<192.1.2.23>[@east]===192.0.2.0/24; erouted; eroute owner: #2"), s);
    assertTrue(s.contains("#2: \"west-east\":500 STATE_PARENT_I3 (PARENT SA established); EVENT_SA_REPLACE in"), s);
    assertTrue(s.contains("newest IPSEC; eroute owner"), s);
    assertTrue(s.contains("#1: \"west-east\":500 STATE_PARENT_I3 (PARENT SA established); EVENT_SA_REPLACE in"), s);
    String j = t.whack(t.west, new WhackRequest.Status(true)).text();
    assertTrue(j.contains("\"state\":\"STATE_PARENT_I3\"") && j.contains("\"routing\":\"erouted\""), j);
  }

  @Test
  void terminateDeletesBothSides() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn(), TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    t.loop.runPending();
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty());
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty(), "east got the Delete");
    assertTrue(t.west.backend.sas().isEmpty() && t.east.backend.sas().isEmpty());
    assertTrue(t.west.backend.policies().isEmpty() && t.east.backend.policies().isEmpty(), t.east.backend.describe().toString());
  }

  @Test
  void childDeleteFromResponderSide() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn(), TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    ChildSa ec = t.east.pluto.engine().childSas().get(0);
    t.east.pluto.engine().informational.deleteChild(ec, true);
    t.loop.runPending();
    assertTrue(t.west.pluto.engine().childSas().isEmpty());
    assertTrue(t.east.pluto.engine().childSas().isEmpty());
    assertEquals(1, t.west.pluto.engine().ikeSas().size(), "the IKE SA stays");
    assertTrue(t.west.backend.sas().isEmpty() && t.east.backend.sas().isEmpty());
  }

  @Test
  void childRekeyWithPfsReplacesSasBeforeLifetime() throws Exception {
    Map<String, String> c = TwoPlutos.conn("salifetime", "60s", "rekeymargin", "10s", "rekeyfuzz", "0%", "pfs", "yes");
    TwoPlutos t = up(c, c);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    ChildSa first = t.west.pluto.engine().childSas().get(0);
    t.loop.advance(Duration.ofSeconds(51));
    List<ChildSa> now = t.west.pluto.engine().childSas();
    assertEquals(1, now.size(), "old child deleted after the rekey");
    ChildSa second = now.get(0);
    assertNotEquals(first.serial, second.serial);
    assertNotEquals(first.inboundSpi, second.inboundSpi);
    assertEquals(1, t.east.pluto.engine().childSas().size());
    assertEquals(second.outboundSpi, t.east.pluto.engine().childSas().get(0).inboundSpi);
    assertEquals(2, t.west.backend.sas().size());
    assertEquals(2, t.east.backend.sas().size());
  }

  @Test
  void ikeRekeyMovesChildren() throws Exception {
    Map<String, String> c = TwoPlutos.conn("ikelifetime", "120s", "rekeymargin", "20s", "rekeyfuzz", "0%");
    TwoPlutos t = up(c, c);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    IkeSa old = t.west.pluto.engine().ikeSas().get(0);
    t.loop.advance(Duration.ofSeconds(101));
    List<IkeSa> w = t.west.pluto.engine().ikeSas();
    assertEquals(1, w.size(), "old IKE SA deleted");
    assertNotEquals(old.spiI, w.get(0).spiI);
    assertEquals(1, w.get(0).children.size(), "child moved to the new IKE SA");
    assertEquals(1, t.east.pluto.engine().ikeSas().size());
    assertEquals(w.get(0).spiR, t.east.pluto.engine().ikeSas().get(0).spiR);
    // the new IKE SA works: delete over it reaches east
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty());
  }

  @Test
  void ownChildRekeyStillHappensAfterThePeerRekeyedEverything() throws Exception {
    Map<String, String> c = TwoPlutos.conn("salifetime", "60s", "rekeymargin", "20s", "rekeyfuzz", "0%");
    TwoPlutos t = up(c, TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    // the responder rekeys the Child SA, then the IKE SA (as strongSwan does on its own schedule)
    t.east.pluto.engine().createChild.rekeyChild(t.east.pluto.engine().childSas().get(0));
    t.loop.runPending();
    t.east.pluto.engine().createChild.rekeyIke(t.east.pluto.engine().ikeSas().get(0));
    t.loop.runPending();
    assertEquals(1, t.west.pluto.engine().ikeSas().size());
    assertFalse(t.west.pluto.engine().ikeSas().get(0).originalInitiator);
    ChildSa before = t.west.pluto.engine().childSas().get(0);
    t.loop.advance(Duration.ofSeconds(41));
    ChildSa after = t.west.pluto.engine().childSas().get(0);
    assertNotEquals(before.inboundSpi, after.inboundSpi, "west rekeyed its Child SA on its own schedule");
    assertEquals(1, t.west.pluto.engine().childSas().size());
  }

  @Test
  void wrongPskFailsAuthenticationOnBothSides() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, "@west @east : PSK \"another-secret\"\n", IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.conn());
    t.add(t.east, "west-east", TwoPlutos.conn());
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.closed);
    assertTrue(r.text().contains("AUTHENTICATION_FAILED"), r.text());
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty());
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty());
    assertTrue(t.west.backend.sas().isEmpty() && t.east.backend.sas().isEmpty());
  }

  @Test
  void invalidKePayloadRetriesWithTheRequestedGroup() throws Exception {
    Map<String, String> east = TwoPlutos.conn("ike", "aes256-sha2_256-modp3072");
    Map<String, String> west = TwoPlutos.conn("ike", "aes256-sha2_256-modp2048,aes256-sha2_256-modp3072");
    TwoPlutos t = up(west, east);
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("INVALID_KE_PAYLOAD"), r.text());
    assertTrue(r.text().contains("group=modp3072"), r.text());
    assertEquals(Ikev2State.STATE_PARENT_I3, t.west.pluto.engine().ikeSas().get(0).state);
  }

  @Test
  void noCommonProposalFails() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn("ike", "aes128-sha1-modp2048"), TwoPlutos.conn("ike", "aes256-sha2_512-modp4096"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("NO_PROPOSAL_CHOSEN"), r.text());
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty());
  }

  @Test
  void aPeerThatRefusesWhileStartingIsTriedAgainPerKeyingtries() throws Exception {
    // east restarts: its pluto answers before ipsec setup has added the conn (RFC 7296 §2.21.1)
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.conn("keyingtries", "3"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.closed, r.text());
    assertTrue(r.text().contains("NO_PROPOSAL_CHOSEN") && r.text().contains("keying attempt 2 follows in 1 s"),
        r.text());
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty(), "the refused attempt keeps no state");
    t.add(t.east, "west-east", TwoPlutos.conn());
    t.loop.advance(Duration.ofSeconds(1));
    assertEquals(Ikev2State.STATE_PARENT_I3, t.west.pluto.engine().ikeSas().get(0).state);
    assertEquals(1, t.west.pluto.engine().childSas().size());
  }

  @Test
  void keyingtriesBoundRefusalsAndDownCancelsTheWait() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.conn("keyingtries", "2"));
    t.add(t.west, "other", TwoPlutos.conn("keyingtries", "%forever"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(1)); // attempt 2, refused again: the last one keyingtries=2 allows
    t.whack(t.west, new WhackRequest.Initiate("other", false));
    t.whack(t.west, new WhackRequest.Terminate("other")); // auto --down while it waits
    t.add(t.east, "west-east", TwoPlutos.conn());
    t.loop.advance(Duration.ofSeconds(120));
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty(), "no attempt after keyingtries, none after --down");
  }

  @Test
  void cookieUnderLoad() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults().withCookieThreshold(0));
    t.add(t.west, "west-east", TwoPlutos.conn());
    t.add(t.east, "west-east", TwoPlutos.conn());
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("received COOKIE"), r.text());
    assertEquals(Ikev2State.STATE_PARENT_I3, t.west.pluto.engine().ikeSas().get(0).state);
  }

  @Test
  void narrowingResponderPicksIntersection() throws Exception {
    Map<String, String> west = TwoPlutos.conn("leftsubnet", "192.0.1.0/24", "rightsubnet", "192.0.0.0/16");
    Map<String, String> east = TwoPlutos.conn("narrowing", "yes");
    TwoPlutos t = up(west, east);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    ChildSa wc = t.west.pluto.engine().childSas().get(0);
    assertEquals("192.0.2.0/24", TrafficSelectors.describe(wc.remoteTs));
  }

  @Test
  void protoPortSelectorsReachTheKernel() throws Exception {
    Map<String, String> c = TwoPlutos.conn("leftprotoport", "tcp/%any", "rightprotoport", "tcp/22");
    TwoPlutos t = up(c, c);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    ChildSa wc = t.west.pluto.engine().childSas().get(0);
    assertEquals(6, wc.remoteTs.get(0).ipProtocol());
    assertEquals(22, wc.remoteTs.get(0).startPort());
    assertTrue(t.west.backend.policies().keySet().stream().anyMatch(
        p -> p.direction() == PolicyDirection.OUT && p.selector().protocol() == 6 && p.selector().dstPort() == 22),
        t.west.backend.describe().toString());
  }

  @Test
  void simultaneousChildRekeyLeavesOnePair() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn(), TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    // both ends start a rekey of the same Child SA before either answer arrives (RFC 7296 §2.8.1)
    t.west.pluto.engine().createChild.rekeyChild(t.west.pluto.engine().childSas().get(0));
    t.east.pluto.engine().createChild.rekeyChild(t.east.pluto.engine().childSas().get(0));
    t.loop.runPending();
    t.loop.advance(Duration.ofSeconds(5));
    assertEquals(1, t.west.pluto.engine().childSas().size(), "west: " + t.west.pluto.engine().childSas().size());
    assertEquals(1, t.east.pluto.engine().childSas().size());
    assertEquals(t.west.pluto.engine().childSas().get(0).outboundSpi,
        t.east.pluto.engine().childSas().get(0).inboundSpi, "the surviving pair matches");
    assertEquals(2, t.west.backend.sas().size(), t.west.backend.describe().toString());
    assertEquals(2, t.east.backend.sas().size(), t.east.backend.describe().toString());
  }

  @Test
  void aRekeyLostUntilThePeerExpiredTheChildSaCreatesANewOne() throws Exception {
    Map<String, String> c = TwoPlutos.conn("salifetime", "30s", "rekeymargin", "12s", "rekeyfuzz", "0%");
    TwoPlutos t = up(c, c);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    ChildSa first = t.west.pluto.engine().childSas().get(0);
    java.time.Instant start = t.loop.now();
    // west's rekey (at 18 s) and its retransmissions are lost until east's Child SA has expired (at 30 s)
    t.net.setTap(d -> {
      Duration at = Duration.between(start, t.loop.now());
      boolean fromWest = d.from().getAddress().getHostAddress().equals(TwoPlutos.WEST);
      return fromWest && at.compareTo(Duration.ofSeconds(17)) > 0 && at.compareTo(Duration.ofSeconds(31)) < 0 ? null : d;
    });
    t.loop.advance(Duration.ofSeconds(60));
    // RFC 7296 §2.25: CHILD_SA_NOT_FOUND to the late rekey; west deletes its copy and creates one from scratch
    List<ChildSa> west = t.west.pluto.engine().childSas();
    List<ChildSa> east = t.east.pluto.engine().childSas();
    assertEquals(1, west.size(), "west: " + west.size());
    assertEquals(1, east.size(), "east: " + east.size());
    assertNotEquals(first.inboundSpi, west.get(0).inboundSpi);
    assertEquals(west.get(0).outboundSpi, east.get(0).inboundSpi, "the new pair matches");
    assertEquals(2, t.west.backend.sas().size(), t.west.backend.describe().toString());
    assertEquals(2, t.east.backend.sas().size(), t.east.backend.describe().toString());
    assertEquals(1, t.west.pluto.engine().ikeSas().size(), "on the same IKE SA");
  }

  @Test
  void anEstablishedIkeSaWhoseRequestsGoUnansweredIsDeletedAndAutoStartNegotiatesAgain() throws Exception {
    Map<String, String> c = TwoPlutos.conn("salifetime", "30s", "rekeymargin", "12s", "rekeyfuzz", "0%",
        "auto", "start");
    TwoPlutos t = up(c, TwoPlutos.conn("salifetime", "30s", "rekeymargin", "12s", "rekeyfuzz", "0%"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    IkeSa before = t.west.pluto.engine().ikeSas().get(0);
    java.time.Instant start = t.loop.now();
    // east falls silent from 17 s to 200 s: west's rekey at 18 s runs out of retransmissions (≈ 128 s)
    t.net.setTap(d -> {
      Duration at = Duration.between(start, t.loop.now());
      return at.compareTo(Duration.ofSeconds(17)) > 0 && at.compareTo(Duration.ofSeconds(200)) < 0 ? null : d;
    });
    t.loop.advance(Duration.ofSeconds(170));
    assertTrue(t.west.pluto.engine().ikeSas().stream().noneMatch(s -> s == before),
        "RFC 7296 §2.4: the unanswered IKE SA is deleted");
    assertTrue(t.west.pluto.engine().childSas().isEmpty());
    t.loop.advance(Duration.ofSeconds(200));
    // auto=start: negotiated again once east answers; east's stale IKE SA is replaced (INITIAL_CONTACT)
    assertEquals(1, t.west.pluto.engine().childSas().size(), "west negotiated again");
    assertEquals(t.west.pluto.engine().childSas().get(0).outboundSpi,
        t.east.pluto.engine().childSas().stream().mapToInt(ch -> ch.inboundSpi).filter(
            spi -> spi == t.west.pluto.engine().childSas().get(0).outboundSpi).findFirst().orElse(0));
  }

  @Test
  void transportModeHostToHost() throws Exception {
    Map<String, String> c = TwoPlutos.conn("type", "transport");
    c.remove("leftsubnet");
    c.remove("rightsubnet");
    TwoPlutos t = up(c, c);
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("IPsec SA established transport mode"), r.text());
  }

  @Test
  void retransmitsThenGivesUpWhenPeerIsSilent() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn("keyingtries", "1"), TwoPlutos.conn());
    t.net.setTap(d -> null); // a black hole
    TwoPlutos.Recorder r = new TwoPlutos.Recorder();
    t.west.pluto.handle(new WhackRequest.Initiate("west-east", false), r);
    t.loop.advance(Duration.ofMinutes(5));
    assertTrue(r.closed);
    assertTrue(r.text().contains("max number of retransmissions"), r.text());
    long sent = t.net.log().size();
    assertEquals(8, sent, "1 + 7 retransmissions");
  }

  @Test
  void dpdClearsDeadPeer() throws Exception {
    Map<String, String> c = TwoPlutos.conn("dpddelay", "10s", "dpdtimeout", "30s", "dpdaction", "clear");
    TwoPlutos t = up(c, TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.net.setTap(d -> null);
    t.loop.advance(Duration.ofSeconds(60));
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty(), "peer declared dead");
    assertTrue(t.west.backend.sas().isEmpty());
  }

  private static SaSpec find(Map<SaId, SaSpec> sas, int spi) {
    return sas.entrySet().stream().filter(e -> e.getKey().spi() == spi).findFirst().orElseThrow().getValue();
  }
}
