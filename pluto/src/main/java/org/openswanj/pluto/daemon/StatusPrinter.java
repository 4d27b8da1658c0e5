package org.openswanj.pluto.daemon;

import com.google.common.collect.Iterators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
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

  /**
   * The text status as lines made when the iterator reaches them: the tables are copied (references only)
   * when the status starts, each SA's lines when its turn comes, so a status of 100,000 SAs never exists
   * in memory at once (see {@link StatusStream}).
   */
  static Iterator<String> status(Pluto p, List<String> header, boolean json) {
    if (json) {
      return List.of(statusJson(p)).iterator();
    }
    List<Connection> conns = List.copyOf(p.connections());
    List<IkeSa> ikes = p.engine().ikeSas();
    return Iterators.concat(header.iterator(), Iterators.singletonIterator(saCounts(p, ikes.size())),
        Iterators.singletonIterator(""),
        Iterators.concat(Iterators.transform(conns.iterator(), c -> connection(p, c).iterator())),
        Iterators.singletonIterator(""),
        Iterators.concat(Iterators.transform(ikes.iterator(), sa -> ikeSaLines(p, sa).iterator())),
        Ikev1Status.states(p.ikev1(), p.engineNow()), Iterators.singletonIterator(""));
  }

  /**
   * The SA counts, in Libreswan's words (Openswan 2.6 has no such line): half-open are the responder's states
   * that answered a first message and are not authenticated yet, what a spoofing flood makes (RFC 7296 §2.6).
   */
  private static String saCounts(Pluto p, int ikev2) {
    int total = ikev2 + p.ikev1().isakmpSas().size();
    int half = p.engine().halfOpen() + p.ikev1().halfOpenCount();
    return "IKE SAs: total(" + total + "), half-open(" + half + "), open(" + (total - half) + ")";
  }

  /** An IKE SA's Child SAs (two lines each) and then the IKE SA's own line. */
  private static List<String> ikeSaLines(Pluto p, IkeSa sa) {
    List<String> out = new ArrayList<>();
    for (ChildSa ch : sa.children()) {
      out.add(childLine(p, ch));
      String remote = com.google.common.net.InetAddresses.toAddrString(sa.remote().getAddress());
      String local = com.google.common.net.InetAddresses.toAddrString(sa.local().getAddress());
      out.add(new StringBuilder(128).append('#').append(ch.serial()).append(": \"").append(ch.conn().name())
          .append("\" esp.").append(hex8(ch.outboundSpi())).append('@').append(remote).append(" esp.")
          .append(hex8(ch.inboundSpi())).append('@').append(local).append(" tun.0@").append(remote).append(" tun.0@")
          .append(local).toString());
    }
    out.add(ikeLine(p, sa));
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
    if (c.remoteVirtual().isPresent()) {
      p.ikev1().ipsecSas().stream().filter(q -> q.conn() == c && q.instance() > 0 && q.installed())
          .forEach(q -> out.add(instance(c, q)));
    }
    return out;
  }

  /**
   * A {@code rightsubnet=vhost:} instance, as Openswan shows one: {@code "l2tp-psk"[1]:
   * 192.1.2.23<192.1.2.23>[@east]...192.1.2.254<192.1.2.254>[@west]===192.1.3.45/32; erouted; eroute owner: #2}.
   */
  private static String instance(Connection c, org.openswanj.pluto.ikev1.QuickSa q) {
    String peer = q.parent().remote().getAddress().getHostAddress();
    return "\"" + c.name() + "\"[" + q.instance() + "]: " + end(c, true) + "..." + peer + "<" + peer + ">["
        + q.parent().peerId() + "]===" + q.peerClient() + "; erouted; eroute owner: #" + q.serial();
  }

  /** Openswan's end form: {@code 10.1.0.0/24===192.0.2.1<192.0.2.1>[@west]}. */
  private static String end(Connection c, boolean local) {
    String host = local ? com.google.common.net.InetAddresses.toAddrString(c.localHost()) : c.remoteHost().map(a -> com.google.common.net.InetAddresses.toAddrString(a)).orElse("%any");
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
    boolean newest = ch.conn().newestIpsecSa() == ch.serial();
    boolean owner = ch.conn().erouteOwner() == ch.serial();
    return new StringBuilder(160).append('#').append(ch.serial()).append(": \"").append(ch.conn().name()).append("\":")
        .append(sa.remote().getPort()).append(' ').append(ch.state().name()).append(" (").append(ch.state().story())
        .append("); ").append(event(p, ch.replaceTimer(), sa.originalInitiator()))
        .append(newest ? "; newest IPSEC" : "").append(owner ? "; eroute owner" : "").append("; isakmp#")
        .append(sa.serial()).append("; idle;").toString();
  }

  private static String ikeLine(Pluto p, IkeSa sa) {
    boolean newest = sa.conn().newestIkeSa() == sa.serial();
    // the peer's certificate, beyond Openswan's line: who authenticated, under which CA
    String cert = sa.peerCert().map(c -> " peer='" + org.openswanj.pluto.pki.Dn.subject(c) + "' issuer='"
        + org.openswanj.pluto.pki.Dn.issuer(c) + "';").orElse("");
    // RFC 7383 fragments, also beyond Openswan: shown once any went either way
    String frags = sa.fragmentsSent() + sa.fragmentsReceived() == 0 ? ""
        : " fragments: " + sa.fragmentsSent() + " sent, " + sa.fragmentsReceived() + " received;";
    return new StringBuilder(160).append('#').append(sa.serial()).append(": \"").append(sa.conn().name()).append("\":")
        .append(sa.remote().getPort()).append(' ').append(sa.state().name()).append(" (").append(sa.state().story())
        .append("); ").append(event(p, sa.replaceTimer(), sa.originalInitiator()))
        .append(newest ? "; newest ISAKMP" : "").append("; isakmp#0; idle;").append(cert).append(frags).toString();
  }

  /** {@code %08x}, without a Formatter (one per Child SA line). */
  static String hex8(int v) {
    String h = Integer.toHexString(v);
    return "00000000".substring(h.length()) + h;
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
          ch.conn().name(), added, in.bytes(), out.bytes(), sa.conn().remoteId()));
      j.append(first ? "" : ",").append(String.format(Locale.ROOT,
          "{\"serial\":%d,\"conn\":%s,\"type\":\"ESP\",\"addTime\":%d,\"inBytes\":%d,\"outBytes\":%d,"
              + "\"inPackets\":%d,\"outPackets\":%d,\"inSpi\":\"0x%08x\",\"outSpi\":\"0x%08x\",\"replayFailures\":%d,"
              + "\"integrityFailures\":%d,\"id\":%s}", ch.serial(), Json.str(ch.conn().name()), added, in.bytes(),
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
                + "\"outSpi\":\"0x%08x\",\"algs\":%s}", ch.serial(), Json.str(ch.conn().name()), ch.state().name(),
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
