package org.openswanj.pluto.tools;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.openswanj.pluto.oe.DnssecConfig;
import org.openswanj.pluto.oe.OeConfigException;
import org.openswanj.pluto.oe.OeGateway;
import org.openswanj.pluto.oe.OeKeyResolver;
import org.openswanj.pluto.oe.OeLookupResult;
import org.openswanj.pluto.oe.OeRecordException;
import org.openswanj.pluto.oe.OeResolverConfig;
import org.openswanj.pluto.oe.OeTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ipsec oelookup [options] ADDRESS|@FQDN...}: looks the targets up as pluto's OE does (same resolver,
 * cache, timeout and DNSSEC settings) and prints what it found, so an admin can check a zone before turning OE
 * on. Not in Openswan (FreeS/WAN's lwdnsq was the nearest). Exit 0 when every target has a key, 2 when one
 * has none, 1 on a usage or configuration error.
 */
@Command(name = "oelookup", description = "Look up OE peers' keys and gateways in DNS, as pluto does.")
public final class OeLookupMain implements Callable<Integer> {
  @Option(names = "--help", usageHelp = true, description = "show this help")
  boolean help;
  @Option(names = "--server", paramLabel = "ADDR[:PORT]", description = "DNS server (default: /etc/resolv.conf)")
  List<String> servers = new ArrayList<>();
  @Option(names = "--timeout", paramLabel = "SECONDS", description = "look-up timeout (default 5)")
  double timeoutSeconds = OeResolverConfig.DEFAULT_TIMEOUT.toMillis() / 1000.0;
  @Option(names = "--dnssec-enable", paramLabel = "yes|no", description = "as in config setup (default yes)")
  String dnssecEnable;
  @Option(names = "--dnssec-rootkey-file", paramLabel = "FILE", description = "root trust anchor file")
  Path rootKeyFile;
  @Option(names = "--dnssec-anchors", paramLabel = "FILE", description = "more trust anchors (DS, DNSKEY, BIND)")
  Path anchorsFile;
  @Option(names = "--repeat", paramLabel = "N", description = "look each target up N times (later ones from cache)")
  int repeat = 1;
  @Option(names = "--keys", description = "print each key in full (0s...)")
  boolean keys;
  @Parameters(arity = "1..*", paramLabel = "TARGET", description = "an address, or an @FQDN ID")
  List<String> targets;

  private final PrintStream out;
  private final PrintStream err;

  OeLookupMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Tools.run(new OeLookupMain(out, err), args, out, err);
  }

  @Override
  public Integer call() throws ToolException {
    List<OeTarget> parsed = new ArrayList<>();
    for (String t : targets) {
      try {
        parsed.add(OeTarget.parse(t));
      } catch (OeRecordException e) {
        throw new ToolException(Tools.USAGE, e.getMessage());
      }
    }
    boolean all = true;
    try (OeKeyResolver r = OeKeyResolver.create(config())) {
      out.println("; " + r.dnssec().describe());
      for (int i = 0; i < Math.max(1, repeat); i++) {
        for (OeTarget t : parsed) {
          all &= show(r, t);
        }
      }
    } catch (OeConfigException e) {
      throw new ToolException(1, e.getMessage());
    }
    out.flush();
    return all ? 0 : 2;
  }

  private OeResolverConfig config() throws OeConfigException, ToolException {
    if (timeoutSeconds <= 0 || repeat < 1) {
      throw new ToolException(Tools.USAGE, "--timeout and --repeat must be positive");
    }
    List<InetSocketAddress> list = new ArrayList<>();
    for (String s : servers) {
      try {
        HostAndPort hp = HostAndPort.fromString(s).withDefaultPort(53);
        list.add(new InetSocketAddress(InetAddresses.forString(hp.getHost()), hp.getPort()));
      } catch (IllegalArgumentException e) {
        throw new ToolException(Tools.USAGE, "--server " + s + ": not an address[:port]");
      }
    }
    return new OeResolverConfig(list, Duration.ofMillis(Math.round(timeoutSeconds * 1000)),
        OeResolverConfig.DEFAULT_MAX_IN_FLIGHT, DnssecConfig.fromKeywords(dnssecEnable, rootKeyFile, anchorsFile));
  }

  private boolean show(OeKeyResolver r, OeTarget t) {
    long sentBefore = r.queriesSent();
    long t0 = System.nanoTime();
    OeLookupResult res = r.lookup(t).join();
    double ms = (System.nanoTime() - t0) / 1e6;
    out.printf("%s: %s in %.1f ms (dnssec %s, %d queries sent)%s%n", t, res.outcome(), ms, res.dnssec().describe(),
        r.queriesSent() - sentBefore, res.found() ? "" : ": " + res.reason());
    Instant now = Instant.now();
    for (OeGateway g : res.gateways()) {
      out.printf("  gateway %s%s precedence %d: %s from %s, ttl %d s, %s%n",
          g.address().map(InetAddresses::toAddrString).orElse("(itself)"),
          g.name().map(n -> " (" + n + ")").orElse(""), g.precedence(), g.key().key(), g.key().source(),
          g.key().source().ttlLeft(now).toSeconds(), g.key().source().dnssec().describe());
      if (keys) {
        out.println("    0s" + Base64.getEncoder().encodeToString(g.key().key().encoded()));
      }
    }
    if (res.found()) {
      res.notes().forEach(n -> out.println("  note: " + n));
    }
    return res.found();
  }
}
