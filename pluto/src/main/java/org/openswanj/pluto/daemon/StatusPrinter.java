package org.openswanj.pluto.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.openswanj.conf.Subnet;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaUsage;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.conn.PolicyNames;
import org.openswanj.pluto.engine.EventLoop.Timer;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.ikev2.ChildSa;
import org.openswanj.pluto.ikev2.IkeSa;

/** {@code whack --status} and {@code --trafficstatus} in Openswan 2.6's layout, and the same facts as JSON (ours). */
final class StatusPrinter {
  private StatusPrinter() {}

  static List<String> status(Pluto p, List<String> header, boolean json) {
    if (json) {
      return List.of(statusJson(p));
    }
    List<String> out = new ArrayList<>(header);
    out.add("");
    for (Connection c : p.connections()) {
      out.addAll(connection(p, c));
    }
    out.add("");
    List<IkeSa> ikes = p.engine().ikeSas();
    for (IkeSa sa : ikes) {
      for (ChildSa ch : sa.children()) {
        out.add(childLine(p, ch));
        out.add(String.format("#%d: \"%s\" esp.%08x@%s esp.%08x@%s tun.0@%s tun.0@%s", ch.serial(), sa.conn().name(),
            ch.outboundSpi(), sa.remote().getAddress().getHostAddress(), ch.inboundSpi(),
            sa.local().getAddress().getHostAddress(), sa.remote().getAddress().getHostAddress(),
            sa.local().getAddress().getHostAddress()));
      }
      out.add(ikeLine(p, sa));
    }
    out.addAll(Ikev1Status.states(p.ikev1(), p.engineNow()));
    out.add("");
    return out;
  }

  private static List<String> connection(Pluto p, Connection c) {
    String n = "\"" + c.name() + "\":";
    List<String> out = new ArrayList<>();
    String owner = c.erouteOwner() != 0 ? " eroute owner: #" + c.erouteOwner() : "";
    out.add(n + " " + end(c, true) + "..." + end(c, false) + "; " + c.routing().text() + ";" + owner);
    out.add(n + "     myip=unset; hisip=unset;");
    out.add(n + "   ike_life: " + c.config().ikeLifetime().getSeconds() + "s; ipsec_life: "
        + c.config().saLifetime().getSeconds() + "s; rekey_margin: " + c.config().rekeyMargin().getSeconds()
        + "s; rekey_fuzz: " + c.config().rekeyFuzzPercent() + "%; keyingtries: " + c.config().keyingTries());
    out.add(n + "   policy: " + policy(c) + "; ");
    out.add(n + "   newest ISAKMP SA: #" + c.newestIkeSa() + "; newest IPsec SA: #" + c.newestIpsecSa() + "; ");
    return out;
  }

  /** Openswan's end form: {@code 10.1.0.0/24===192.0.2.1<192.0.2.1>[@west]}. */
  private static String end(Connection c, boolean local) {
    String host = local ? c.localHost().getHostAddress() : c.remoteHost().map(a -> a.getHostAddress()).orElse("%any");
    String id = "[" + (local ? c.localId() : c.remoteId()) + "]";
    List<Subnet> subs = local ? c.local().subnets() : c.remote().subnets();
    String hostPart = host + "<" + host + ">" + id;
    if (subs.isEmpty()) {
      return hostPart;
    }
    String s = subs.stream().map(Subnet::toString).collect(Collectors.joining(","));
    return local ? s + "===" + hostPart : hostPart + "===" + s;
  }

  private static String policy(Connection c) {
    return PolicyNames.of(c.config());
  }

  private static String childLine(Pluto p, ChildSa ch) {
    IkeSa sa = ch.parent();
    boolean newest = sa.conn().newestIpsecSa() == ch.serial();
    boolean owner = sa.conn().erouteOwner() == ch.serial();
    return String.format("#%d: \"%s\":%d %s (%s); %s%s%s; isakmp#%d; idle;", ch.serial(), sa.conn().name(),
        sa.remote().getPort(), ch.state().name(), ch.state().story(), event(p, ch.replaceTimer(), sa.originalInitiator()),
        newest ? "; newest IPSEC" : "", owner ? "; eroute owner" : "", sa.serial());
  }

  private static String ikeLine(Pluto p, IkeSa sa) {
    boolean newest = sa.conn().newestIkeSa() == sa.serial();
    // the peer's certificate, beyond Openswan's line: who authenticated, under which CA
    String cert = sa.peerCert().map(c -> " peer='" + org.openswanj.pluto.pki.Dn.subject(c) + "' issuer='"
        + org.openswanj.pluto.pki.Dn.issuer(c) + "';").orElse("");
    // RFC 7383 fragments, also beyond Openswan: shown once any went either way
    String frags = sa.fragmentsSent() + sa.fragmentsReceived() == 0 ? ""
        : " fragments: " + sa.fragmentsSent() + " sent, " + sa.fragmentsReceived() + " received;";
    return String.format("#%d: \"%s\":%d %s (%s); %s%s; isakmp#0; idle;%s%s", sa.serial(), sa.conn().name(),
        sa.remote().getPort(), sa.state().name(), sa.state().story(), event(p, sa.replaceTimer(), sa.originalInitiator()),
        newest ? "; newest ISAKMP" : "", cert, frags);
  }

  private static String event(Pluto p, Timer t, boolean replace) {
    if (t == null) {
      return "EVENT_NULL";
    }
    long s = Math.max(0, Duration.between(p.engineNow(), t.due()).getSeconds());
    return (replace ? "EVENT_SA_REPLACE" : "EVENT_SA_EXPIRE") + " in " + s + "s";
  }

  static List<String> trafficStatus(Pluto p, boolean json) {
    List<String> lines = new ArrayList<>();
    StringBuilder j = new StringBuilder("{\"trafficstatus\":[");
    boolean first = true;
    for (ChildSa ch : p.engine().childSas()) {
      IkeSa sa = ch.parent();
      SaUsage in = usage(p, new SaId(sa.remote().getAddress(), sa.local().getAddress(), ch.inboundSpi(), IpsecProto.ESP));
      SaUsage out = usage(p, new SaId(sa.local().getAddress(), sa.remote().getAddress(), ch.outboundSpi(), IpsecProto.ESP));
      long added = ch.established() == null ? 0 : ch.established().getEpochSecond();
      lines.add(String.format("#%d: \"%s\", type=ESP, add_time=%d, inBytes=%d, outBytes=%d, id='%s'", ch.serial(),
          sa.conn().name(), added, in.bytes(), out.bytes(), sa.conn().remoteId()));
      j.append(first ? "" : ",").append(String.format(Locale.ROOT,
          "{\"serial\":%d,\"conn\":%s,\"type\":\"ESP\",\"addTime\":%d,\"inBytes\":%d,\"outBytes\":%d,"
              + "\"inPackets\":%d,\"outPackets\":%d,\"inSpi\":\"0x%08x\",\"outSpi\":\"0x%08x\",\"replayFailures\":%d,"
              + "\"integrityFailures\":%d,\"id\":%s}", ch.serial(), Json.str(sa.conn().name()), added, in.bytes(),
          out.bytes(), in.packets(), out.packets(), ch.inboundSpi(), ch.outboundSpi(), in.replayFailures(),
          in.integrityFailures(), Json.str(sa.conn().remoteId().toString())));
      first = false;
    }
    return json ? List.of(j.append("]}").toString()) : lines;
  }

  private static SaUsage usage(Pluto p, SaId id) {
    try {
      return p.backend().querySa(id);
    } catch (KernelException e) {
      return SaUsage.ZERO;
    }
  }

  private static String statusJson(Pluto p) {
    StringBuilder b = new StringBuilder("{\"connections\":[");
    boolean first = true;
    for (Connection c : p.connections()) {
      b.append(first ? "" : ",").append("{\"name\":").append(Json.str(c.name()))
          .append(",\"local\":").append(Json.str(end(c, true)))
          .append(",\"remote\":").append(Json.str(end(c, false)))
          .append(",\"routing\":").append(Json.str(c.routing().text()))
          .append(",\"erouteOwner\":").append(c.erouteOwner())
          .append(",\"newestIkeSa\":").append(c.newestIkeSa())
          .append(",\"newestIpsecSa\":").append(c.newestIpsecSa())
          .append(",\"policy\":").append(Json.str(policy(c))).append('}');
      first = false;
    }
    b.append("],\"states\":[");
    first = true;
    for (IkeSa sa : p.engine().ikeSas()) {
      b.append(first ? "" : ",").append(String.format(Locale.ROOT,
          "{\"serial\":%d,\"conn\":%s,\"kind\":\"IKE\",\"state\":\"%s\",\"story\":%s,\"spiI\":\"%016x\",\"spiR\":\"%016x\","
              + "\"remote\":%s,\"nat\":%b}", sa.serial(), Json.str(sa.conn().name()), sa.state().name(),
          Json.str(sa.state().story()), sa.spiI(), sa.spiR(), Json.str(sa.remote().toString()), sa.natDetected()));
      first = false;
      for (ChildSa ch : sa.children()) {
        b.append(String.format(Locale.ROOT,
            ",{\"serial\":%d,\"conn\":%s,\"kind\":\"IPSEC\",\"state\":\"%s\",\"parent\":%d,\"inSpi\":\"0x%08x\","
                + "\"outSpi\":\"0x%08x\",\"algs\":%s}", ch.serial(), Json.str(sa.conn().name()), ch.state().name(),
            sa.serial(), ch.inboundSpi(), ch.outboundSpi(), Json.str(ch.algs().describe())));
      }
    }
    String v1 = Ikev1Status.json(p.ikev1());
    b.append(first && !v1.isEmpty() ? v1.substring(1) : v1);
    return b.append("]}").toString();
  }

  /** Minimal JSON string quoting (RFC 8259 §7). */
  static final class Json {
    private Json() {}

    static String str(String s) {
      StringBuilder b = new StringBuilder("\"");
      for (char ch : s.toCharArray()) {
        switch (ch) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> {
            if (ch < 0x20) {
              b.append(String.format("\\u%04x", (int) ch));
            } else {
              b.append(ch);
            }
          }
        }
      }
      return b.append('"').toString();
    }
  }
}
