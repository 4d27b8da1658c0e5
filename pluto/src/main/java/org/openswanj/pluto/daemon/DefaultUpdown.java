package org.openswanj.pluto.daemon;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code bin/_updown} (the default {@code leftupdown=}) does, done in pluto for the common case, so each SA no
 * longer costs a shell and its processes: on a loaded 2-CPU machine a script run took 40 ms and more, and pluto ran
 * five per road-warrior SA (prepare, route, up, down, unroute), which capped the klips and netkey handshake rate at
 * a few per second. The script stays the authority: this class reads the same {@code PLUTO_*} environment and
 * does only what the script would do when there is no configuration to honour — no
 * {@code /etc/sysconfig/pluto_updown} or {@code /etc/default/pluto_updown}, no source address
 * ({@code PLUTO_MY_SOURCEIP}) — and otherwise says so ({@link #applies} false) and the script runs.
 *
 * <p>The script's behaviour, verb by verb: klips routes each peer client into ipsecN ({@code route-*}: replace,
 * a default client as two halves, IPv6 with metric 1 unless {@code metric=} is given; {@code prepare-*} and
 * {@code unroute-*}: delete, errors ignored); netkey and none route nothing without a source address or ROUTE=yes;
 * {@code up-*}, {@code down-*} and Openswan's Cisco/NetworkManager verbs do nothing. That holds for the script as
 * shipped ({@link #SHIPPED_SHA256}); an installed {@code _updown} edited in place (Openswan admins do) always runs.
 */
final class DefaultUpdown {
  private static final List<Path> CONFIG = List.of(Path.of("/etc/sysconfig/pluto_updown"),
      Path.of("/etc/default/pluto_updown"));

  /** SHA-256 of the bin/_updown this class stands for (DefaultUpdownNetnsTest checks it against the tree's). */
  static final String SHIPPED_SHA256 = "7f513fced24fe2b6412aa4462beeea2d69383a6b572def7059106680eb68248b";

  /** Whether {@code script} is the shipped default script, unedited (unreadable: no). */
  static boolean isShipped(Path script) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(script));
      return java.util.HexFormat.of().formatHex(d).equals(SHIPPED_SHA256);
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      return false;
    }
  }

  /** How one verb went: {@code status} 0 or 1 as the script's exit, {@code output} what it would have printed. */
  record Outcome(int status, String output) {}

  private DefaultUpdown() {}

  /** Whether {@link #run} does what the default script would for {@code env} (else run the script). */
  static boolean applies(Map<String, String> env) {
    if (!"2.0".equals(env.get("PLUTO_VERSION")) || env.getOrDefault("PLUTO_MY_SOURCEIP", "").length() > 0
        || env.get("PLUTO_PEER_CLIENT") == null || verb(env).isEmpty()) {
      return false; // the script's own errors, and the source address it adds, stay the script's
    }
    return CONFIG.stream().noneMatch(Files::exists);
  }

  /** Does what the script does for {@code env}; {@link #applies} must be true. Routes go through {@code routes}. */
  static Outcome run(Map<String, String> env, RouteNetlink routes) {
    String verb = verb(env).orElseThrow();
    boolean klips = "klips".equals(env.get("PLUTO_STACK"));
    if (!klips || !(verb.equals("prepare") || verb.equals("route") || verb.equals("unroute"))) {
      return new Outcome(0, ""); // wanted() is false without a source address or ROUTE=yes; up/down do nothing
    }
    String iface = env.get("PLUTO_INTERFACE").replaceFirst(":.*", "");
    boolean v6 = env.get("PLUTO_VERB").endsWith("-v6");
    int mtu = number(env.get("PLUTO_MTU"));
    int metric = env.containsKey("PLUTO_METRIC") ? number(env.get("PLUTO_METRIC")) : v6 ? 1 : 0;
    StringBuilder out = new StringBuilder();
    int status = 0;
    for (String d : destinations(env.get("PLUTO_PEER_CLIENT"))) {
      InetAddress net = InetAddresses.forString(d.substring(0, d.indexOf('/')));
      int prefix = Integer.parseInt(d.substring(d.indexOf('/') + 1));
      try {
        if (verb.equals("route")) {
          routes.replace(net, prefix, iface, mtu, metric);
        } else {
          routes.delete(net, prefix, iface);
        }
      } catch (IOException e) {
        if (verb.equals("route")) { // the script ignores failed deletes
          out.append("_updown: ip route replace ").append(d).append(" dev ").append(iface)
              .append(mtu > 0 ? " mtu " + mtu : "").append(metric > 0 ? " metric " + metric : "")
              .append(" failed (").append(e.getMessage()).append(")\n");
          status = 1;
        }
      }
    }
    return new Outcome(status, out.toString());
  }

  /** The verb without its -host/-client/-v6 suffixes, if the script knows it. */
  private static Optional<String> verb(Map<String, String> env) {
    String v = env.getOrDefault("PLUTO_VERB", "");
    String base = v.replaceFirst("-(host|client)(-v6)?$", "");
    if (base.equals(v)) {
      return Optional.empty();
    }
    return switch (base) {
      case "prepare", "route", "unroute", "up", "down" -> Optional.of(base);
      case "updateresolvconf", "restoreresolvconf", "disconnectNM" -> Optional.of(base);
      default -> Optional.empty();
    };
  }

  /** The script's destinations(): a default client is eclipsed by two halves, never replaced. */
  static List<String> destinations(String peerClient) {
    return switch (peerClient) {
      case "0.0.0.0/0" -> List.of("0.0.0.0/1", "128.0.0.0/1");
      case "::/0" -> List.of("::/1", "8000::/1");
      default -> new ArrayList<>(List.of(peerClient));
    };
  }

  private static int number(String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
