package org.openswanj.testing.klips;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.openswanj.testing.lab.Host;

/**
 * {@code tcpdump -ni eth0} on a lab host, written to a pcap file and read back as tcpdump's one-line-per-packet
 * text. Only IP packets count: ARP and IPv6 link-local chatter (router solicitations from fe80::) are the link's,
 * not the tunnel's.
 */
final class Capture implements AutoCloseable {
  /** Raw ESP: {@code IP 192.1.2.45 > 192.1.2.23: ESP(spi=0x…,seq=0x…), length N}. */
  static final Pattern RAW_ESP = Pattern.compile("^\\S+ IP \\d+\\.\\d+\\.\\d+\\.\\d+ > \\d+\\.\\d+\\.\\d+\\.\\d+: ESP\\(spi=");
  /** ESP in UDP (RFC 3948): {@code IP 192.1.2.45.4500 > 192.1.2.23.4500: UDP-encap: ESP(spi=…}. */
  static final Pattern UDP_ESP = Pattern.compile("^\\S+ IP \\d+\\.\\d+\\.\\d+\\.\\d+\\.4500 > \\d+\\.\\d+\\.\\d+\\.\\d+\\.4500: UDP-encap: ESP\\(spi=");
  /** Anything between the two hosts' UDP 4500 ports (ESP in UDP, IKE behind the non-ESP marker, keepalives). */
  static final Pattern UDP_4500 = Pattern.compile("^\\S+ IP \\d+\\.\\d+\\.\\d+\\.\\d+\\.4500 > \\d+\\.\\d+\\.\\d+\\.\\d+\\.4500: ");

  private final Host host;
  private final String tag;
  private final Background tcpdump;

  private Capture(Host host, String tag, Background tcpdump) {
    this.host = host;
    this.tag = tag;
    this.tcpdump = tcpdump;
  }

  /** Starts capturing on {@code host}'s eth0; returns once tcpdump listens. */
  static Capture start(Host host, String tag) {
    String file = host.dir().resolve(tag + ".pcap").toString();
    // --immediate-mode: each packet leaves the capture ring at once; otherwise a few packets (ESP in UDP leaves as
    // GSO runs of up to 64 KB, a handful for the whole transfer) wait for a ring block to fill and die with tcpdump
    Background b = Background.start(host, tag + "-tcpdump", "tcpdump", "-ni", "eth0", "--immediate-mode", "-U", "-s",
        "200", "-Z", "root", "-w", file);
    try {
      b.awaitStderr("listening on eth0", Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
    return new Capture(host, tag, b);
  }

  /** Stops tcpdump and returns the IP packets it saw, one tcpdump line each. */
  List<String> stop() {
    tcpdump.close();
    String text = host.exec("tcpdump", "-nn", "-r", host.dir().resolve(tag + ".pcap").toString()).requireOk().stdout();
    return text.lines().filter(l -> l.matches("^\\S+ IP6? .*") && !l.matches("^\\S+ IP6 fe80:.*")).toList();
  }

  @Override
  public void close() {
    tcpdump.close();
  }
}
