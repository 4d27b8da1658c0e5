package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.SaSpec;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.whack.proto.WhackRequest;

/**
 * Two IKEv2 conns to the same peer with the same IDs and authby (net-a, net-b): the second conn's Child SA goes on
 * the first one's IKE SA with CREATE_CHILD_SA (RFC 7296 §1.3.1), as Libreswan and strongSwan do, since a second
 * IKE SA with the same IDs is a replacement to a uniqueids peer and costs the first tunnel. Each Child SA keeps
 * its own conn: policies and reqid, status line, --down.
 */
class Ikev2SharedIkeSaTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";

  static Map<String, String> netA(String... extra) {
    return TwoPlutos.conn(extra);
  }

  static Map<String, String> netB(String... extra) {
    Map<String, String> kw = TwoPlutos.conn(extra);
    kw.put("leftsubnet", "192.0.3.0/24");
    kw.put("rightsubnet", "192.0.4.0/24");
    return kw;
  }

  private static TwoPlutos twoConns() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    for (TwoPlutos.Node n : List.of(t.west, t.east)) {
      t.add(n, "net-a", netA());
      t.add(n, "net-b", netB());
    }
    return t;
  }

  /** Outbound IPsec policies, selector to the name of the conn whose reqid keys it. */
  private static TreeMap<String, Integer> outboundReqids(TwoPlutos.Node n) {
    TreeMap<String, Integer> out = new TreeMap<>();
    n.backend.policies().forEach((id, spec) -> {
      if (id.direction() == PolicyDirection.OUT && spec.action() == org.openswanj.kernel.PolicyAction.IPSEC) {
        out.put(id.selector().toString(), spec.reqid());
      }
    });
    return out;
  }

  private static TreeSet<String> outboundSas(TwoPlutos.Node n) {
    TreeSet<String> out = new TreeSet<>();
    for (SaSpec s : n.backend.sas().values()) {
      if (!s.inbound()) {
        out.add(s.binding().selector().toString());
      }
    }
    return out;
  }

  private static String last(TwoPlutos.Recorder r) {
    return r.lines.get(r.lines.size() - 1);
  }

  @Test
  void theSecondConnsChildSaGoesOnTheFirstConnsIkeSa() throws Exception {
    TwoPlutos t = twoConns();
    TwoPlutos.Recorder a = t.whack(t.west, new WhackRequest.Initiate("net-a", false));
    assertTrue(a.closed && a.text().contains("IPsec SA established"), a.text());
    TwoPlutos.Recorder b = t.whack(t.west, new WhackRequest.Initiate("net-b", false));
    assertTrue(b.closed, b.text());
    assertTrue(last(b).matches("004 \"net-b\" #\\d+: STATE_PARENT_I3: IPsec SA established tunnel mode .*"),
        "whack ends with the established line and exits 0:\n" + b.text());
    assertTrue(!b.text().contains("IKE_SA_INIT") && !b.text().contains("initiating v2 parent SA"), b.text());

    assertEquals(1, t.west.pluto.engine().ikeSas().size(), "one IKE SA on west");
    assertEquals(1, t.east.pluto.engine().ikeSas().size(), "one IKE SA on east (a uniqueids peer keeps both)");
    IkeSa one = t.west.pluto.engine().ikeSas().get(0);
    assertEquals(2, t.west.pluto.engine().childSas().size());
    assertTrue(t.west.pluto.engine().childSas().stream().allMatch(c -> c.parent() == one));
    assertEquals(new TreeSet<>(List.of("net-a", "net-b")), new TreeSet<>(
        t.east.pluto.engine().childSas().stream().map(c -> c.conn().name()).toList()),
        "east answered the CREATE_CHILD_SA for net-b, the conn its selectors fit");
    assertEquals(new TreeSet<>(List.of("192.0.1.0/24 -> 192.0.2.0/24", "192.0.3.0/24 -> 192.0.4.0/24")),
        outboundSas(t.west));
    assertEquals(new TreeSet<>(List.of("192.0.2.0/24 -> 192.0.1.0/24", "192.0.4.0/24 -> 192.0.3.0/24")),
        outboundSas(t.east));
    for (TwoPlutos.Node n : List.of(t.west, t.east)) {
      TreeMap<String, Integer> reqids = outboundReqids(n);
      assertEquals(2, reqids.size(), n.backend.describe().toString());
      assertEquals(2, new TreeSet<>(reqids.values()).size(), "each conn's policy has its own reqid: " + reqids);
      for (ChildSa c : n.pluto.engine().childSas()) {
        assertEquals(c.reqid(), reqids.get(c.outboundSelectors().get(0).toString()), c.conn().name());
      }
    }
    String status = t.whack(t.east, new WhackRequest.Status(false)).text();
    assertTrue(status.matches("(?s).*#\\d+: \"net-b\":500 STATE_PARENT_R2.*"), status);
    assertTrue(status.matches("(?s).*#\\d+: \"net-a\":500 STATE_PARENT_R2.*"), status);
  }

  @Test
  void downOfOneConnKeepsTheOtherAndTheLastTakesTheIkeSa() throws Exception {
    TwoPlutos t = twoConns();
    t.whack(t.west, new WhackRequest.Initiate("net-a", false));
    t.whack(t.west, new WhackRequest.Initiate("net-b", false));
    TwoPlutos.Recorder down = t.whack(t.west, new WhackRequest.Terminate("net-a"));
    assertTrue(down.closed, down.text());
    t.loop.runPending();
    assertEquals(1, t.west.pluto.engine().ikeSas().size(), "net-b still uses the IKE SA");
    assertEquals("net-b", t.west.pluto.engine().ikeSas().get(0).conn().name(), "net-b owns it now: " + down.text());
    String status = t.whack(t.west, new WhackRequest.Status(false)).text();
    assertTrue(status.matches("(?s).*#\\d+: \"net-b\":500 STATE_PARENT_I3 .*") && !status.contains("\"net-a\":500"),
        status);
    assertEquals(List.of("net-b"), t.west.pluto.engine().childSas().stream().map(c -> c.conn().name()).toList());
    assertEquals(List.of("net-b"), t.east.pluto.engine().childSas().stream().map(c -> c.conn().name()).toList());
    assertEquals(new TreeSet<>(List.of("192.0.3.0/24 -> 192.0.4.0/24")), outboundSas(t.west));
    assertEquals(new TreeSet<>(List.of("192.0.4.0/24 -> 192.0.3.0/24")), outboundSas(t.east));
    // IKE SA rekey moves the remaining child with its conn
    t.whack(t.west, new WhackRequest.Terminate("net-b"));
    t.loop.runPending();
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty() && t.east.pluto.engine().ikeSas().isEmpty(),
        "the last conn's --down deletes the IKE SA on both sides");
    assertTrue(t.west.backend.sas().isEmpty() && t.east.backend.sas().isEmpty(), t.east.backend.describe().toString());
    assertTrue(t.west.backend.policies().isEmpty(), t.west.backend.describe().toString());
  }

  @Test
  void aConnStartedWhileTheIkeSaIsNegotiatedWaitsForIt() throws Exception {
    TwoPlutos t = twoConns();
    TwoPlutos.Recorder a = new TwoPlutos.Recorder();
    TwoPlutos.Recorder b = new TwoPlutos.Recorder();
    t.west.pluto.handle(new WhackRequest.Initiate("net-a", false), a);
    t.west.pluto.handle(new WhackRequest.Initiate("net-b", false), b);
    t.loop.runPending();
    assertTrue(a.closed && b.closed, a.text() + "\n" + b.text());
    assertTrue(b.text().contains("CREATE_CHILD_SA waits for IKE SA"), b.text());
    assertTrue(last(b).contains("\"net-b\"") && last(b).contains("IPsec SA established"), b.text());
    assertEquals(1, t.west.pluto.engine().ikeSas().size());
    assertEquals(1, t.east.pluto.engine().ikeSas().size());
    assertEquals(2, t.east.pluto.engine().childSas().size());
  }

  @Test
  void aConnWaitingForAnIkeSaWhoseInitGoesUnansweredWaitsForTheNextKeyingAttempt() throws Exception {
    TwoPlutos t = twoConns();
    t.net.setTap(d -> d.from().getAddress().getHostAddress().equals(TwoPlutos.EAST) ? null : d);
    TwoPlutos.Recorder a = new TwoPlutos.Recorder();
    TwoPlutos.Recorder b = new TwoPlutos.Recorder();
    t.west.pluto.handle(new WhackRequest.Initiate("net-a", false), a);
    t.west.pluto.handle(new WhackRequest.Initiate("net-b", false), b);
    t.loop.advance(Duration.ofMinutes(3)); // the first IKE_SA_INIT is given up: keying attempt 2
    assertTrue(a.text().contains("starting keying attempt 2"), a.text());
    t.net.setTap(d -> d);
    t.loop.advance(Duration.ofMinutes(3));
    assertTrue(b.closed && last(b).contains("\"net-b\"") && last(b).contains("IPsec SA established"), b.text());
    assertEquals(1, t.west.pluto.engine().ikeSas().size(), "one IKE SA on west");
    assertEquals(new TreeSet<>(List.of("net-a", "net-b")), new TreeSet<>(
        t.east.pluto.engine().childSas().stream().map(c -> c.conn().name()).toList()));
  }

  @Test
  void selectorsNoConnOfThePeerFitsAreRefusedAndTheIkeSaStays() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "net-a", netA());
    t.add(t.west, "net-b", netB());
    t.add(t.east, "net-a", netA()); // east has no conn for 192.0.3.0/24 === 192.0.4.0/24
    t.whack(t.west, new WhackRequest.Initiate("net-a", false));
    TwoPlutos.Recorder b = t.whack(t.west, new WhackRequest.Initiate("net-b", false));
    assertTrue(b.closed, b.text());
    assertTrue(b.text().contains("CREATE_CHILD_SA refused by the peer: TS_UNACCEPTABLE"), b.text());
    String l = last(b);
    assertTrue(!l.startsWith("000 ") && !l.startsWith("004 "), "whack exits non-zero: " + b.text());
    assertEquals(1, t.west.pluto.engine().childSas().size());
    assertEquals(1, t.east.pluto.engine().childSas().size());
    assertEquals(1, t.west.pluto.engine().ikeSas().size(), "the refusal costs the IKE SA nothing");
  }

  @Test
  void aDeadPeerRestartsEveryConnThatHadAChildSaOnOneNewIkeSa() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    String[] dpd = {"dpddelay", "5", "dpdtimeout", "15", "dpdaction", "restart"};
    t.add(t.west, "net-a", netA(dpd));
    t.add(t.west, "net-b", netB(dpd));
    t.add(t.east, "net-a", netA());
    t.add(t.east, "net-b", netB());
    t.whack(t.west, new WhackRequest.Initiate("net-a", false));
    t.whack(t.west, new WhackRequest.Initiate("net-b", false));
    long first = t.west.pluto.engine().ikeSas().get(0).serial();
    int[] dropped = {0};
    t.net.setTap(d -> d.from().getAddress().getHostAddress().equals(TwoPlutos.EAST) && ++dropped[0] < 1000 ? null
        : d);
    t.loop.advance(Duration.ofSeconds(21));
    t.net.setTap(d -> d);
    t.loop.advance(Duration.ofSeconds(10));
    assertEquals(1, t.west.pluto.engine().ikeSas().size(), "one new IKE SA, not one per conn");
    assertTrue(t.west.pluto.engine().ikeSas().get(0).serial() != first);
    assertEquals(new TreeSet<>(List.of("net-a", "net-b")), new TreeSet<>(t.west.pluto.engine().childSas().stream()
        .filter(ChildSa::installed).map(c -> c.conn().name()).toList()), t.west.backend.describe().toString());
  }

  @Test
  void anIkeSaRekeyMovesBothChildSasWithTheirConns() throws Exception {
    TwoPlutos t = twoConns();
    t.whack(t.west, new WhackRequest.Initiate("net-a", false));
    t.whack(t.west, new WhackRequest.Initiate("net-b", false));
    IkeSa old = t.west.pluto.engine().ikeSas().get(0);
    t.west.pluto.engine().createChild.rekeyIke(old);
    t.loop.runPending();
    assertEquals(1, t.west.pluto.engine().ikeSas().size());
    IkeSa fresh = t.west.pluto.engine().ikeSas().get(0);
    assertTrue(fresh != old);
    assertEquals(new TreeSet<>(List.of("net-a", "net-b")), new TreeSet<>(fresh.children().stream()
        .map(c -> c.conn().name()).toList()));
    TwoPlutos.Recorder down = t.whack(t.west, new WhackRequest.Terminate("net-b"));
    t.loop.runPending();
    assertTrue(down.closed);
    assertEquals(List.of("net-a"), t.east.pluto.engine().childSas().stream().map(c -> c.conn().name()).toList());
  }

  @Test
  void aSoftExpireRekeysTheSecondConnsChildSaAsThatConns() throws Exception {
    TwoPlutos t = twoConns();
    t.whack(t.west, new WhackRequest.Initiate("net-a", false));
    t.whack(t.west, new WhackRequest.Initiate("net-b", false));
    ChildSa b = t.west.pluto.engine().childSas().stream().filter(c -> c.conn().name().equals("net-b")).findFirst()
        .orElseThrow();
    TreeMap<String, Integer> westReqids = outboundReqids(t.west);
    TreeMap<String, Integer> eastReqids = outboundReqids(t.east);
    t.west.pluto.engine().onExpire(b.inboundSpi(), false); // RFC 4301 §4.4.2.1 soft lifetime: rekey
    t.loop.runPending();
    for (TwoPlutos.Node n : List.of(t.west, t.east)) {
      List<ChildSa> bs = n.pluto.engine().childSas().stream().filter(c -> c.conn().name().equals("net-b")).toList();
      assertEquals(1, bs.size(), "the rekeyed Child SA replaced the old one: " + n.pluto.engine().childSas());
      assertTrue(bs.get(0).serial() != b.serial());
      assertEquals(2, n.pluto.engine().childSas().size());
    }
    assertEquals(westReqids, outboundReqids(t.west), "net-b's policy keeps net-b's reqid");
    assertEquals(eastReqids, outboundReqids(t.east));
    assertEquals(new TreeSet<>(List.of("192.0.1.0/24 -> 192.0.2.0/24", "192.0.3.0/24 -> 192.0.4.0/24")),
        outboundSas(t.west));
  }

  @Test
  void leftsubnetsInstancesUpByAliasShareOneIkeSaAndGoDownTogether() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    Map<String, String> kw = TwoPlutos.conn();
    kw.remove("leftsubnet");
    kw.remove("rightsubnet");
    kw.put("leftsubnets", "{192.0.1.0/24 192.0.3.0/24}");
    kw.put("rightsubnets", "{192.0.2.0/24 192.0.4.0/24}");
    List<String> names = List.of("net/1x1", "net/1x2", "net/2x1", "net/2x2");
    for (TwoPlutos.Node n : List.of(t.west, t.east)) {
      // as ipsec auto --add sends them (Openswan 2.6 permutes for IKEv2 too)
      for (org.openswanj.conf.SubnetPermutation.Instance i : org.openswanj.conf.SubnetPermutation.instances("net", kw)) {
        String r = t.add(n, i.name(), i.keywords()).text();
        assertTrue(r.contains("added connection description"), r);
      }
    }
    TwoPlutos.Recorder up = t.whack(t.west, new WhackRequest.Initiate("net", false));
    assertTrue(up.closed, up.text());
    for (String n : names) {
      assertTrue(up.text().matches("(?s).*\"" + n + "\" #\\d+: STATE_PARENT_I3: IPsec SA established.*"),
          n + ":\n" + up.text());
    }
    assertTrue(last(up).startsWith("004 "), "whack exits 0: " + up.text());
    assertEquals(1, t.west.pluto.engine().ikeSas().size(), up.text());
    assertEquals(1, t.east.pluto.engine().ikeSas().size());
    assertEquals(new TreeSet<>(names), new TreeSet<>(
        t.east.pluto.engine().childSas().stream().map(c -> c.conn().name()).toList()));
    assertEquals(new TreeSet<>(List.of("192.0.1.0/24 -> 192.0.2.0/24", "192.0.1.0/24 -> 192.0.4.0/24",
        "192.0.3.0/24 -> 192.0.2.0/24", "192.0.3.0/24 -> 192.0.4.0/24")), outboundSas(t.west));
    for (ChildSa c : t.east.pluto.engine().childSas()) {
      // east's instance keys its own subnets (its left is west's right)
      assertEquals(List.of(c.conn().localSubnets().get(0) + " -> " + c.conn().remoteSubnets(null).get(0)),
          c.outboundSelectors().stream().map(Object::toString).toList(), c.conn().name());
    }
    TwoPlutos.Recorder down = t.whack(t.west, new WhackRequest.Terminate("net"));
    t.loop.runPending();
    assertTrue(down.closed, down.text());
    assertTrue(t.west.pluto.engine().ikeSas().isEmpty() && t.east.pluto.engine().ikeSas().isEmpty());
    assertTrue(t.west.backend.sas().isEmpty() && t.east.backend.sas().isEmpty(), t.east.backend.describe().toString());
  }
}
