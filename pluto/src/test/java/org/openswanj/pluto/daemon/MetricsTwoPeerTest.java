package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/** whack --metrics on two plutos in one JVM: what a tunnel, a refusal and a rekey leave in the counters. */
class MetricsTwoPeerTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";

  private static TwoPlutos plutos(String westPsk, Map<String, String> westConn, Map<String, String> eastConn)
      throws Exception {
    TwoPlutos t = new TwoPlutos(westPsk, PSK, IkeSettings.defaults());
    assertTrue(t.add(t.west, "west-east", westConn).text().contains("added connection description"));
    assertTrue(t.add(t.east, "west-east", eastConn).text().contains("added connection description"));
    return t;
  }

  /** The exposition as whack prints it (reply codes stripped), checked against the format first. */
  private static List<String> metrics(TwoPlutos t, TwoPlutos.Node n) {
    TwoPlutos.Recorder r = t.whack(n, new WhackRequest.Metrics());
    assertTrue(r.closed);
    List<String> lines = r.lines.stream().map(l -> l.substring(4)).toList();
    OpenMetricsLines.check(lines);
    return lines;
  }

  private static long value(List<String> lines, String sample) {
    return OpenMetricsLines.value(lines, sample).orElseThrow(() -> new AssertionError("no " + sample + " in\n"
        + String.join("\n", lines)));
  }

  @Test
  void ikev2TunnelCountsOneCompletedHandshakeAndItsSas() throws Exception {
    TwoPlutos t = plutos(PSK, TwoPlutos.conn(), TwoPlutos.conn());
    assertTrue(t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text().contains("IPsec SA established"));
    List<String> west = metrics(t, t.west);
    assertEquals(1, value(west, "pluto_ike_handshakes_started_total{ike_version=\"2\"}"));
    assertEquals(1, value(west, "pluto_ike_handshakes_completed_total{ike_version=\"2\"}"));
    assertEquals(0, value(west, "pluto_ike_handshakes_failed_total{ike_version=\"2\",reason=\"other\"}"));
    assertEquals(1, value(west, "pluto_ike_sas{ike_version=\"2\",state=\"STATE_PARENT_I3\"}"));
    assertEquals(1, value(west, "pluto_ipsec_sas{ike_version=\"2\",state=\"STATE_PARENT_I3\"}"));
    List<String> east = metrics(t, t.east);
    assertEquals(1, value(east, "pluto_ike_handshakes_completed_total{ike_version=\"2\"}"));
    assertEquals(1, value(east, "pluto_ike_sas{ike_version=\"2\",state=\"STATE_PARENT_R2\"}"));
    // one in and one out sample per IPsec SA, named by the SPIs the kernel holds
    String inSpi = String.format("0x%08x", t.west.pluto.engine().childSas().get(0).inboundSpi());
    assertEquals(0, value(west, "pluto_ipsec_sa_packets_total{conn=\"west-east\",spi=\"" + inSpi
        + "\",direction=\"in\"}"), "the none backend moves no packets");
    assertEquals(2, west.stream().filter(l -> l.startsWith("pluto_ipsec_sa_bytes_total{conn=\"west-east\"")).count());
  }

  @Test
  void ikev1TunnelCountsPhaseOneAndTheIpsecSa() throws Exception {
    TwoPlutos t = plutos(PSK, TwoPlutos.connFor("never"), TwoPlutos.connFor("never"));
    assertTrue(t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text().contains("IPsec SA established"));
    List<String> west = metrics(t, t.west);
    assertEquals(1, value(west, "pluto_ike_handshakes_started_total{ike_version=\"1\"}"));
    assertEquals(1, value(west, "pluto_ike_handshakes_completed_total{ike_version=\"1\"}"));
    assertEquals(1, value(west, "pluto_ike_sas{ike_version=\"1\",state=\"STATE_MAIN_I4\"}"));
    assertEquals(1, value(west, "pluto_ipsec_sas{ike_version=\"1\",state=\"STATE_QUICK_I2\"}"));
    assertEquals(1, value(metrics(t, t.east), "pluto_ike_handshakes_completed_total{ike_version=\"1\"}"));
  }

  @Test
  void aWrongPskIsAnAuthenticationFailureOnBothSides() throws Exception {
    TwoPlutos t = plutos("@west @east : PSK \"another-shared-secret\"\n", TwoPlutos.conn("keyingtries", "1"),
        TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.runPending();
    String failed = "pluto_ike_handshakes_failed_total{ike_version=\"2\",reason=\"auth_failed\"}";
    assertEquals(1, value(metrics(t, t.east), failed), "east refused west's AUTH");
    assertEquals(1, value(metrics(t, t.west), failed), "west was answered AUTHENTICATION_FAILED");
    assertEquals(0, value(metrics(t, t.west), "pluto_ike_handshakes_completed_total{ike_version=\"2\"}"));
  }

  @Test
  void subnetsTheResponderRefusesAreTsUnacceptable() throws Exception {
    TwoPlutos t = plutos(PSK, TwoPlutos.conn("leftsubnet", "10.9.9.0/24"), TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    String failed = "pluto_ike_handshakes_failed_total{ike_version=\"2\",reason=\"ts_unacceptable\"}";
    assertEquals(1, value(metrics(t, t.east), failed));
    assertEquals(1, value(metrics(t, t.west), failed));
    assertEquals(0, value(metrics(t, t.west), "pluto_ike_handshakes_completed_total{ike_version=\"2\"}"));
  }

  @Test
  void noCommonProposalIsNoProposal() throws Exception {
    TwoPlutos t = plutos(PSK, TwoPlutos.conn("ike", "aes256-sha2_256-modp2048", "keyingtries", "1"),
        TwoPlutos.conn("ike", "aes128-sha1-modp1536"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.runPending();
    String failed = "pluto_ike_handshakes_failed_total{ike_version=\"2\",reason=\"no_proposal\"}";
    assertEquals(1, value(metrics(t, t.east), failed));
    assertEquals(1, value(metrics(t, t.east), "pluto_ike_handshakes_started_total{ike_version=\"2\"}"));
    assertEquals(1, value(metrics(t, t.west), failed));
  }

  @Test
  void aSilentPeerIsATimeout() throws Exception {
    TwoPlutos t = plutos(PSK, TwoPlutos.conn("keyingtries", "1"), TwoPlutos.conn());
    t.net.setTap(d -> null); // the wire loses everything
    t.whack(t.west, new WhackRequest.Initiate("west-east", true));
    t.loop.advance(Duration.ofMinutes(5));
    List<String> west = metrics(t, t.west);
    assertEquals(1, value(west, "pluto_ike_handshakes_failed_total{ike_version=\"2\",reason=\"timeout\"}"));
    assertTrue(west.stream().noneMatch(l -> l.startsWith("pluto_ike_sas{")), "the SA is gone: " + west);
  }

  @Test
  void childRekeyIsCounted() throws Exception {
    Map<String, String> c = TwoPlutos.conn("salifetime", "60s", "rekeymargin", "10s", "rekeyfuzz", "0%");
    TwoPlutos t = plutos(PSK, c, c);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(51));
    assertEquals(1, value(metrics(t, t.west), "pluto_rekeys_total{ike_version=\"2\",kind=\"child\"}"));
    assertEquals(1, value(metrics(t, t.east), "pluto_rekeys_total{ike_version=\"2\",kind=\"child\"}"));
    assertEquals(0, value(metrics(t, t.west), "pluto_rekeys_total{ike_version=\"2\",kind=\"ike\"}"));
  }

  @Test
  void ikeRekeyIsCounted() throws Exception {
    Map<String, String> c = TwoPlutos.conn("ikelifetime", "120s", "rekeymargin", "20s", "rekeyfuzz", "0%");
    TwoPlutos t = plutos(PSK, c, c);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(101));
    List<String> west = metrics(t, t.west);
    assertEquals(1, value(west, "pluto_rekeys_total{ike_version=\"2\",kind=\"ike\"}"));
    assertEquals(1, value(west, "pluto_ike_handshakes_completed_total{ike_version=\"2\"}"), "a rekey is no handshake");
    assertEquals(1, value(west, "pluto_ike_sas{ike_version=\"2\",state=\"STATE_PARENT_I3\"}"), "the old one is gone");
  }

  @Test
  void aDeadPeerCountsProbesAndOneTimeout() throws Exception {
    TwoPlutos t = plutos(PSK, TwoPlutos.conn("dpddelay", "10s", "dpdtimeout", "30s", "dpdaction", "clear"),
        TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(Duration.ofSeconds(25));
    List<String> alive = metrics(t, t.west);
    assertTrue(value(alive, "pluto_dpd_events_total{ike_version=\"2\",event=\"sent\"}") >= 1, "a quiet peer is probed");
    assertEquals(0, value(alive, "pluto_dpd_events_total{ike_version=\"2\",event=\"timeout\"}"), "and answers");
    t.net.setTap(d -> null);
    t.loop.advance(Duration.ofSeconds(60));
    List<String> west = metrics(t, t.west);
    assertTrue(value(west, "pluto_dpd_events_total{ike_version=\"2\",event=\"sent\"}") >= 1, String.join("\n", west));
    assertEquals(1, value(west, "pluto_dpd_events_total{ike_version=\"2\",event=\"timeout\"}"));
  }

  @Test
  void ikev1DpdAndAWrongPskAreCounted() throws Exception {
    TwoPlutos t = plutos(PSK, TwoPlutos.connFor("never", "dpddelay", "5", "dpdtimeout", "15", "dpdaction", "clear"),
        TwoPlutos.connFor("never"));
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.net.setTap(d -> null);
    t.loop.advance(Duration.ofSeconds(60));
    List<String> west = metrics(t, t.west);
    assertTrue(value(west, "pluto_dpd_events_total{ike_version=\"1\",event=\"sent\"}") >= 1, String.join("\n", west));
    assertEquals(1, value(west, "pluto_dpd_events_total{ike_version=\"1\",event=\"timeout\"}"));

    TwoPlutos bad = plutos("@west @east : PSK \"another-shared-secret\"\n", TwoPlutos.connFor("never",
        "keyingtries", "1"), TwoPlutos.connFor("never"));
    bad.whack(bad.west, new WhackRequest.Initiate("west-east", true));
    bad.loop.advance(Duration.ofMinutes(3));
    List<String> east = metrics(bad, bad.east);
    assertEquals(1, value(east, "pluto_ike_handshakes_failed_total{ike_version=\"1\",reason=\"auth_failed\"}"),
        String.join("\n", east));
    assertEquals(0, value(east, "pluto_ike_handshakes_completed_total{ike_version=\"1\"}"));
  }

  @Test
  void garbageDatagramsAreCountedAsMalformedDrops() throws Exception {
    TwoPlutos t = plutos(PSK, TwoPlutos.conn(), TwoPlutos.conn());
    byte[] junk = new byte[10]; // shorter than an IKE header (RFC 7296 §3.1: 28 octets)
    Arrays.fill(junk, (byte) 0x5a);
    InetSocketAddress from = new InetSocketAddress("192.1.2.99", 500);
    InetSocketAddress to = new InetSocketAddress(TwoPlutos.EAST, 500);
    for (int i = 0; i < 3; i++) {
      t.net.inject(from, to, junk);
    }
    t.loop.runPending();
    assertEquals(3, value(metrics(t, t.east), "pluto_ike_datagrams_dropped_total{reason=\"malformed\"}"));
    // a header of major version 5 (RFC 7296 §2.5)
    byte[] v5 = new byte[28];
    v5[17] = 0x50;
    v5[27] = 28; // its length
    t.net.inject(from, to, v5);
    t.loop.runPending();
    assertEquals(1, value(metrics(t, t.east), "pluto_ike_datagrams_dropped_total{reason=\"unsupported_version\"}"));
  }
}
