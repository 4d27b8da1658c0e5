package org.openswanj.testing.klips;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.LabException;

/** What a lab host's pluto reports through {@code ipsec whack --status} and {@code --trafficstatus}. */
final class PlutoStatus {
  /** {@code 000 #2: "conn", type=ESP, add_time=…, inBytes=600, outBytes=600, id='@east'} (Openswan's layout). */
  private static final Pattern TRAFFIC = Pattern.compile("#(\\d+): \"([^\"]+)\".*?inBytes=(\\d+), outBytes=(\\d+)");
  /** {@code 000 #2: "conn" esp.8a771083@192.1.2.23 esp.b07f6d7c@192.1.2.45 tun.0@…}. */
  private static final Pattern ESP = Pattern.compile("esp\\.([0-9a-f]+)@(\\S+)");

  private PlutoStatus() {}

  /** One IPsec SA's byte counters. */
  record Traffic(int serial, String conn, long inBytes, long outBytes) {}

  static List<Traffic> traffic(Host h) {
    String out = h.ipsec("whack", "--trafficstatus").requireOk().stdout();
    return out.lines().map(TRAFFIC::matcher).filter(Matcher::find).map(m -> new Traffic(
        Integer.parseInt(m.group(1)), m.group(2), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)))).toList();
  }

  /** The sum over every IPsec SA pluto lists: {inBytes, outBytes}. */
  static long[] totals(Host h) {
    long[] t = new long[2];
    for (Traffic tr : traffic(h)) {
      t[0] += tr.inBytes();
      t[1] += tr.outBytes();
    }
    return t;
  }

  /** The SPIs of pluto's ESP SAs, as {@code spi@destination} (lower-case hex, no 0x), from --status. */
  static Set<String> espSas(Host h) {
    String out = h.ipsec("whack", "--status").requireOk().stdout();
    Set<String> sas = new LinkedHashSet<>();
    Matcher m = ESP.matcher(out);
    while (m.find()) {
      sas.add(m.group(1) + "@" + m.group(2));
    }
    return sas;
  }

  /** The SPI of pluto's one ESP SA towards {@code dst} (its outbound SA); fails if there is not exactly one. */
  static String spiTo(Host h, String dst) {
    List<String> spis = espSas(h).stream().filter(s -> s.endsWith("@" + dst)).map(s -> s.substring(0, s.indexOf('@')))
        .toList();
    if (spis.size() != 1) {
      throw new LabException("pluto on " + h.name() + " lists " + spis.size() + " ESP SAs to " + dst + ": "
          + espSas(h));
    }
    return spis.get(0);
  }
}
