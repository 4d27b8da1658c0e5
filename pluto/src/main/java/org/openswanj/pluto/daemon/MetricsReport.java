package org.openswanj.pluto.daemon;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaUsage;
import org.openswanj.pluto.daemon.OpenMetrics.Family;
import org.openswanj.pluto.daemon.OpenMetrics.Sample;
import org.openswanj.pluto.daemon.OpenMetrics.Type;
import org.openswanj.pluto.ikev1.IsakmpSa;
import org.openswanj.pluto.ikev1.QuickSa;
import org.openswanj.pluto.ikev2.ChildSa;
import org.openswanj.pluto.ikev2.IkeSa;

/**
 * The one snapshot behind {@code whack --metrics} and {@code metrics=}: taken on the event loop, it counts the
 * SAs by state, reads each installed IPsec SA's counters from the backend (as {@code --trafficstatus} does) and
 * the data path's drops, and adds {@link Metrics}' counters.
 */
final class MetricsReport {
  private MetricsReport() {}

  /** The exposition lines, {@code # EOF} last. On the loop. */
  static List<String> lines(Pluto p, Metrics m) {
    return OpenMetrics.lines(families(p, m));
  }

  static List<Family> families(Pluto p, Metrics m) {
    List<Family> out = new ArrayList<>();
    out.add(saGauge("pluto_ike_sas", "IKE SAs (IKEv2) and ISAKMP SAs (IKEv1) by state.",
        p.engine().ikeSas().stream().map(s -> s.state().name()).toList(),
        p.ikev1().isakmpSas().stream().map(s -> s.state().name()).toList()));
    out.add(saGauge("pluto_ipsec_sas", "Child SAs (IKEv2) and IPsec SAs (IKEv1) by state.",
        p.engine().childSas().stream().map(s -> s.state().name()).toList(),
        p.ikev1().ipsecSas().stream().map(s -> s.state().name()).toList()));
    out.addAll(m.families());
    List<Sample> bytes = new ArrayList<>();
    List<Sample> packets = new ArrayList<>();
    for (ChildSa c : p.engine().childSas()) {
      IkeSa sa = c.parent();
      if (c.installed()) {
        usage(p, sa.conn().name(), sa.local().getAddress(), sa.remote().getAddress(), c.inboundSpi(),
            c.outboundSpi(), bytes, packets);
      }
    }
    for (QuickSa q : p.ikev1().ipsecSas()) {
      IsakmpSa sa = q.parent();
      if (q.installed()) {
        usage(p, sa.conn().name(), sa.local().getAddress(), sa.remote().getAddress(), q.inboundSpi(),
            q.outboundSpi(), bytes, packets);
      }
    }
    out.add(new Family("pluto_ipsec_sa_bytes", Type.COUNTER,
        "Bytes through each installed IPsec SA, from the kernel backend (ESP payload as the backend counts it).",
        bytes));
    out.add(new Family("pluto_ipsec_sa_packets", Type.COUNTER, "Packets through each installed IPsec SA.", packets));
    List<Sample> drops = new ArrayList<>();
    p.backend().dataPathDrops().forEach((why, n) -> drops.add(Sample.of(n, "reason", why)));
    out.add(new Family("pluto_dataplane_drops", Type.COUNTER,
        "Packets the kernel backend's data path dropped, by reason (klips: its own; netkey: the namespace's XFRM "
            + "counters, /proc/net/xfrm_stat, since pluto started).",
        drops));
    return out;
  }

  /** Counts by state, states in name order; IKEv1's and IKEv2's state names never coincide. */
  private static Family saGauge(String name, String help, List<String> v2, List<String> v1) {
    List<Sample> out = new ArrayList<>();
    count(v1).forEach((st, n) -> out.add(Sample.of(n, "ike_version", "1", "state", st)));
    count(v2).forEach((st, n) -> out.add(Sample.of(n, "ike_version", "2", "state", st)));
    return new Family(name, Type.GAUGE, help, out);
  }

  private static Map<String, Long> count(List<String> states) {
    Map<String, Long> m = new TreeMap<>();
    states.forEach(s -> m.merge(s, 1L, Long::sum));
    return m;
  }

  private static void usage(Pluto p, String conn, InetAddress local, InetAddress remote, int inSpi, int outSpi,
      List<Sample> bytes, List<Sample> packets) {
    SaUsage in = query(p, new SaId(remote, local, inSpi, IpsecProto.ESP));
    SaUsage out = query(p, new SaId(local, remote, outSpi, IpsecProto.ESP));
    String inHex = "0x" + StatusPrinter.hex8(inSpi);
    String outHex = "0x" + StatusPrinter.hex8(outSpi);
    bytes.add(Sample.of(in.bytes(), "conn", conn, "spi", inHex, "direction", "in"));
    bytes.add(Sample.of(out.bytes(), "conn", conn, "spi", outHex, "direction", "out"));
    packets.add(Sample.of(in.packets(), "conn", conn, "spi", inHex, "direction", "in"));
    packets.add(Sample.of(out.packets(), "conn", conn, "spi", outHex, "direction", "out"));
  }

  private static SaUsage query(Pluto p, SaId id) {
    try {
      return p.backend().querySa(id);
    } catch (KernelException e) {
      return SaUsage.ZERO; // gone meanwhile: its counters went with it
    }
  }
}
