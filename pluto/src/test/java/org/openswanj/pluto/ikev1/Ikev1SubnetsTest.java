package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.SubnetPermutation;
import org.openswanj.kernel.SaSpec;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.pluto.net.MemoryNetwork;
import org.openswanj.whack.proto.WhackRequest;

/**
 * leftsubnets=/rightsubnets= over IKEv1 as Openswan 2.6 runs them: the conn is added as its NAME/LxR instances (as
 * ipsec auto --add sends them), whack NAME acts on every instance through connalias=, and the four Quick Modes go
 * on ONE ISAKMP SA to the peer; the responder picks the instance whose subnets the client IDs are.
 */
class Ikev1SubnetsTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";

  /** West's view; east adds the same keywords and orients itself as right. */
  static Map<String, String> net() {
    Map<String, String> kw = TwoPlutos.connFor("never");
    kw.remove("leftsubnet");
    kw.remove("rightsubnet");
    kw.put("leftsubnets", "{192.0.1.0/24 192.0.3.0/24}");
    kw.put("rightsubnets", "{192.0.2.0/24 192.0.4.0/24}");
    return kw;
  }

  private static void addAll(TwoPlutos t, TwoPlutos.Node n, Map<String, String> kw) {
    for (SubnetPermutation.Instance i : SubnetPermutation.instances("net", kw)) {
      String r = t.add(n, i.name(), i.keywords()).text();
      assertTrue(r.contains("added connection description \"" + i.name() + "\""), r);
    }
  }

  private static TwoPlutos twoPeers() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    addAll(t, t.west, net());
    addAll(t, t.east, net());
    return t;
  }

  /** The outbound selectors installed on a host, sorted. */
  private static TreeSet<String> outbound(TwoPlutos.Node n) {
    TreeSet<String> out = new TreeSet<>();
    for (SaSpec s : n.backend.sas().values()) {
      if (!s.inbound()) {
        out.add(s.binding().selector().toString());
      }
    }
    return out;
  }

  /**
   * The most Quick Modes west had waiting for their QR1 at one time, read from the datagrams it sent: a message ID's
   * first Quick Mode message is its QI1, the second its QI2 (no loss here, so no retransmission).
   */
  private static int mostQuickModesInFlight(TwoPlutos t) {
    Map<Integer, Integer> sent = new HashMap<>();
    int inFlight = 0;
    int most = 0;
    for (MemoryNetwork.Datagram d : t.net.log()) {
      byte[] b = d.bytes();
      if (d.from().getAddress().getHostAddress().equals(TwoPlutos.WEST) && b.length >= 28 && (b[18] & 0xff) == 32) {
        int n = sent.merge(ByteBuffer.wrap(b, 20, 4).getInt(), 1, Integer::sum);
        inFlight += n == 1 ? 1 : n == 2 ? -1 : 0;
        most = Math.max(most, inFlight);
      }
    }
    return most;
  }

  @Test
  void upByAliasBringsFourIpsecSasOnOneIsakmpSaAndDownRemovesThemAll() throws Exception {
    TwoPlutos t = twoPeers();
    String status = t.whack(t.west, new WhackRequest.Status(false)).text();
    for (String n : List.of("net/1x1", "net/1x2", "net/2x1", "net/2x2")) {
      assertTrue(status.contains("\"" + n + "\": 192.0."), n + " in --status:\n" + status);
    }
    TwoPlutos.Recorder up = t.whack(t.west, new WhackRequest.Initiate("net", false));
    assertTrue(up.closed, "the reply closes once every instance is up: " + up.text());
    for (String n : List.of("net/1x1", "net/1x2", "net/2x1", "net/2x2")) {
      assertTrue(up.text().matches("(?s).*\"" + n + "\" #\\d+: STATE_QUICK_I2: sent QI2, IPsec SA established.*"),
          n + ":\n" + up.text());
    }
    assertEquals(1, up.text().split("STATE_MAIN_I4: ISAKMP SA established", -1).length - 1, up.text());
    // strongSwan keeps the CBC IVs of only 3 phase-2 exchanges per IKE SA: four QI1s at once made it fail all QI2s
    assertEquals(QuickMode.MAX_IN_FLIGHT, mostQuickModesInFlight(t), "Quick Modes waiting for QR1 at once");
    assertEquals(1, t.west.pluto.ikev1().isakmpSas().size(), "one ISAKMP SA on west");
    assertEquals(1, t.east.pluto.ikev1().isakmpSas().size(), "one ISAKMP SA on east");
    assertEquals(4, t.west.pluto.ikev1().ipsecSas().size());
    assertEquals(4, t.east.pluto.ikev1().ipsecSas().size());
    IsakmpSa one = t.west.pluto.ikev1().isakmpSas().get(0);
    assertTrue(t.west.pluto.ikev1().ipsecSas().stream().allMatch(q -> q.parent() == one));
    assertEquals(new TreeSet<>(List.of("192.0.1.0/24 -> 192.0.2.0/24", "192.0.1.0/24 -> 192.0.4.0/24",
        "192.0.3.0/24 -> 192.0.2.0/24", "192.0.3.0/24 -> 192.0.4.0/24")), outbound(t.west));
    assertEquals(new TreeSet<>(List.of("192.0.2.0/24 -> 192.0.1.0/24", "192.0.4.0/24 -> 192.0.1.0/24",
        "192.0.2.0/24 -> 192.0.3.0/24", "192.0.4.0/24 -> 192.0.3.0/24")), outbound(t.east));
    // each responder IPsec SA belongs to the instance whose subnets its client IDs are (find_client_connection)
    assertEquals(new TreeSet<>(List.of("net/1x1", "net/1x2", "net/2x1", "net/2x2")), new TreeSet<>(
        t.east.pluto.ikev1().ipsecSas().stream().map(q -> q.conn().name()).toList()));
    for (QuickSa q : t.east.pluto.ikev1().ipsecSas()) {
      assertTrue(outbound(t.east).contains(q.conn().localSubnets().get(0) + " -> "
          + q.conn().remoteSubnets(null).get(0)), q.conn().name() + " keys its own subnets");
    }
    String eastStatus = t.whack(t.east, new WhackRequest.Status(false)).text();
    assertTrue(eastStatus.matches("(?s).*\"net/2x2\":500 STATE_QUICK_R2.*"), eastStatus);

    TwoPlutos.Recorder down = t.whack(t.west, new WhackRequest.Terminate("net"));
    assertTrue(down.closed, down.text());
    t.loop.runPending();
    assertTrue(t.west.pluto.ikev1().ipsecSas().isEmpty() && t.west.pluto.ikev1().isakmpSas().isEmpty(),
        "west keeps nothing");
    assertTrue(t.east.pluto.ikev1().ipsecSas().isEmpty(), "east deleted the four on west's Deletes");
    assertTrue(t.west.backend.sas().isEmpty(), t.west.backend.sas().toString());
  }

  @Test
  void anInstanceThePeerRefusesFailsTheWholeCommandWhileTheOthersComeUp() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    addAll(t, t.west, net());
    Map<String, String> eastNet = net();
    eastNet.put("rightsubnets", "{192.0.2.0/24}"); // east has no 192.0.4.0/24: 1x2 and 2x2 match no conn there
    addAll(t, t.east, eastNet);
    TwoPlutos.Recorder up = t.whack(t.west, new WhackRequest.Initiate("net", false));
    t.loop.advance(java.time.Duration.ofMinutes(5)); // the refused Quick Modes give up
    assertTrue(up.closed, up.text());
    assertEquals(2, t.west.pluto.ikev1().ipsecSas().stream().filter(QuickSa::installed).count(), up.text());
    assertEquals(1, t.east.pluto.ikev1().isakmpSas().size());
    String last = up.lines.get(up.lines.size() - 1);
    assertTrue(last.endsWith("\"net\": 2 of 4 connections with this alias failed") && !last.startsWith("000 ")
        && !last.startsWith("004 "), "whack exits non-zero: " + up.text());
  }

  @Test
  void aDeadPeerRestartsEveryInstanceOnOneNewIsakmpSa() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    Map<String, String> kw = net();
    kw.putAll(Map.of("dpddelay", "5", "dpdtimeout", "15", "dpdaction", "restart"));
    addAll(t, t.west, kw);
    addAll(t, t.east, net());
    t.whack(t.west, new WhackRequest.Initiate("net", false));
    long first = t.west.pluto.ikev1().isakmpSas().get(0).serial;
    int[] dropped = {0};
    t.net.setTap(d -> d.from().getAddress().getHostAddress().equals(TwoPlutos.EAST) && ++dropped[0] < 1000 ? null
        : d);
    t.loop.advance(java.time.Duration.ofSeconds(21)); // declared dead
    t.net.setTap(d -> d);
    t.loop.advance(java.time.Duration.ofSeconds(10));
    assertEquals(1, t.west.pluto.ikev1().isakmpSas().size(), "one new ISAKMP SA, not one per instance");
    assertTrue(t.west.pluto.ikev1().isakmpSas().get(0).serial != first);
    assertEquals(4, t.west.pluto.ikev1().ipsecSas().stream().filter(QuickSa::installed).count(),
        "all four pairs back: " + t.west.backend.describe());
  }

  @Test
  void aNameThatIsNeitherConnNorAliasIsTodaysError() throws Exception {
    TwoPlutos t = twoPeers();
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("nosuch", false));
    assertEquals("021 no connection named \"nosuch\"", r.text());
    assertTrue(r.closed);
  }

  @Test
  void deleteByAliasRemovesEveryInstance() throws Exception {
    TwoPlutos t = twoPeers();
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.DeleteConn("net"));
    assertTrue(r.closed, r.text());
    assertEquals(4, r.text().split("deleting connection", -1).length - 1, r.text());
    assertTrue(t.west.pluto.connections().isEmpty());
  }
}
