package org.openswanj.pluto.daemon;

import com.google.common.collect.Iterators;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.ikev1.Ikev1Engine;
import org.openswanj.pluto.ikev1.IsakmpSa;
import org.openswanj.pluto.ikev1.QuickSa;

/** The IKEv1 part of {@code whack --status}: ISAKMP and IPsec states in Openswan 2.6's layout. */
final class Ikev1Status {
  private Ikev1Status() {}

  /**
   * Each ISAKMP SA after its IPsec SAs, then IPsec SAs whose ISAKMP SA is gone; lines are made as the
   * iterator reaches them (a status of 100,000 SAs is streamed, not built at once). One pass over each table.
   */
  static Iterator<String> states(Ikev1Engine v1, Instant now) {
    List<IsakmpSa> isakmps = v1.isakmpSas();
    Map<IsakmpSa, List<QuickSa>> byParent = new IdentityHashMap<>();
    List<QuickSa> orphans = new ArrayList<>();
    Set<IsakmpSa> live = Collections.newSetFromMap(new IdentityHashMap<>());
    live.addAll(isakmps);
    for (QuickSa q : v1.ipsecSas()) {
      if (live.contains(q.parent())) {
        byParent.computeIfAbsent(q.parent(), k -> new ArrayList<>()).add(q);
      } else {
        orphans.add(q); // its ISAKMP SA was deleted; the IPsec SA lives on
      }
    }
    return Iterators.concat(
        Iterators.concat(Iterators.transform(isakmps.iterator(), sa -> Iterators.concat(
            Iterators.concat(Iterators.transform(byParent.getOrDefault(sa, List.of()).iterator(),
                q -> quick(q, now).iterator())),
            Iterators.singletonIterator(isakmp(sa, now))))),
        Iterators.concat(Iterators.transform(orphans.iterator(), q -> quick(q, now).iterator())));
  }

  private static List<String> quick(QuickSa q, Instant now) {
    IsakmpSa sa = q.parent();
    var conn = q.conn(); // its own conn: leftsubnets='s instances share their ISAKMP SA
    boolean newest = conn.newestIpsecSa() == q.serial();
    boolean owner = conn.erouteOwner() == q.serial();
    String state = q.state() == null ? "STATE_QUICK_I1" : q.state().name();
    String story = q.state() == null ? "" : q.state().story();
    String line = String.format("#%d: %s:%d %s (%s); %s%s%s; isakmp#%d; idle;", q.serial(), q.connName(),
        sa.remote().getPort(), state, story, event(now, q.replaceTimer() != null ? q.replaceTimer() : q.expireTimer(),
        q.replaceTimer() != null), newest ? "; newest IPSEC" : "", owner ? "; eroute owner" : "", sa.serial());
    if (!q.installed()) {
      return List.of(line);
    }
    return List.of(line, String.format("#%d: \"%s\" esp.%08x@%s esp.%08x@%s tun.0@%s tun.0@%s", q.serial(),
        conn.name(), q.outboundSpi(), com.google.common.net.InetAddresses.toAddrString(sa.remote().getAddress()), q.inboundSpi(),
        com.google.common.net.InetAddresses.toAddrString(sa.local().getAddress()), com.google.common.net.InetAddresses.toAddrString(sa.remote().getAddress()),
        com.google.common.net.InetAddresses.toAddrString(sa.local().getAddress())));
  }

  private static String isakmp(IsakmpSa sa, Instant now) {
    boolean newest = sa.conn().newestIkeSa() == sa.serial();
    String state = sa.state() == null ? "STATE_MAIN_I1" : sa.state().name();
    String story = sa.state() == null ? "" : sa.state().story();
    String cfg = sa.xauthUser().map(u -> " XAUTHuser=" + u + ";").orElse("")
        + sa.modecfgAddress().map(a -> " ModeCfg=" + com.google.common.net.InetAddresses.toAddrString(a) + ";").orElse("")
        // ours: what a Cisco Unity gateway gave us (the banner escaped to one line)
        + sa.unityBanner().map(b -> " banner=\"" + escape(b) + "\";").orElse("")
        + (sa.unitySplits().isEmpty() ? "" : " split=" + String.join(",", sa.unitySplits().stream()
            .map(Object::toString).toList()) + ";");
    // the peer's certificate, beyond Openswan's line, as the IKEv2 SA's (StatusPrinter)
    String cert = sa.peerCert().map(c -> " peer='" + org.openswanj.pluto.pki.Dn.subject(c) + "' issuer='"
        + org.openswanj.pluto.pki.Dn.issuer(c) + "';").orElse("");
    return String.format("#%d: \"%s\":%d %s (%s); %s%s; lastdpd=-1s(seq in:0 out:0); idle;%s%s", sa.serial(),
        sa.conn().name(), sa.remote().getPort(), state, story, event(now, sa.expireTimer(), false),
        newest ? "; newest ISAKMP" : "", cfg, cert);
  }

  /** One printable line: newlines, quotes and control characters escaped, at most 200 characters. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char ch = s.charAt(i);
      if (ch == '\n') {
        b.append("\\n");
      } else if (ch == '"' || ch == '\\') {
        b.append('\\').append(ch);
      } else {
        b.append(ch < 0x20 || ch == 0x7f ? '?' : ch);
      }
    }
    return b.toString();
  }

  private static String event(Instant now, EventLoop.Timer t, boolean replace) {
    if (t == null) {
      return "EVENT_RETRANSMIT";
    }
    long s = Math.max(0, Duration.between(now, t.due()).getSeconds());
    return (replace ? "EVENT_SA_REPLACE" : "EVENT_SA_EXPIRE") + " in " + s + "s";
  }

  /** The same states as JSON objects (ours, beyond Openswan), in the IKEv2 states' shape; "" if none. */
  static String json(Ikev1Engine v1) {
    StringBuilder b = new StringBuilder();
    for (IsakmpSa sa : v1.isakmpSas()) {
      if (sa.state() == null) {
        continue; // Aggressive Mode initiator waiting for its DH key
      }
      b.append(String.format(java.util.Locale.ROOT,
          ",{\"serial\":%d,\"conn\":%s,\"kind\":\"IKE\",\"state\":\"%s\",\"story\":%s,\"spiI\":\"%016x\","
              + "\"spiR\":\"%016x\",\"remote\":%s,\"nat\":%b,\"ikev1\":true}", sa.serial(),
          StatusPrinter.Json.str(sa.conn().name()), sa.state(), StatusPrinter.Json.str(sa.state().story()),
          sa.cookieI(), sa.cookieR(), StatusPrinter.Json.str(sa.remote().toString()), sa.natDetected()));
    }
    for (QuickSa q : v1.ipsecSas()) {
      if (q.installed() && q.state() != null) {
        b.append(String.format(java.util.Locale.ROOT,
            ",{\"serial\":%d,\"conn\":%s,\"kind\":\"IPSEC\",\"state\":\"%s\",\"parent\":%d,\"inSpi\":\"0x%08x\","
                + "\"outSpi\":\"0x%08x\",\"algs\":%s,\"ikev1\":true}", q.serial(),
            StatusPrinter.Json.str(q.conn().name()), q.state(), q.parent().serial(), q.inboundSpi(),
            q.outboundSpi(), StatusPrinter.Json.str(q.algs().describe())));
      }
    }
    return b.toString();
  }
}
