package org.openswanj.conf;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.openswanj.conf.alg.AlgorithmParser;
import org.openswanj.conf.alg.EspAlgorithm;
import org.openswanj.conf.alg.IkeAlgorithm;
import org.openswanj.conf.id.Identity;

/** Turns a conn's resolved keywords into a {@link ConnConfig}, filling Openswan 2.6's defaults. */
final class ConnBuilder {
  /** Openswan's default ESP replay window (KLIPS and NETKEY alike). */
  static final int DEFAULT_REPLAY_WINDOW = 32;

  private final Map<String, String> kw;

  private ConnBuilder(Map<String, String> kw) {
    this.kw = kw;
  }

  static ConnConfig build(String name, Map<String, String> keywords) throws ConfigException {
    if (name == null || name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException("conn name \"" + name + "\" is empty or contains white space");
    }
    Map<String, String> canon = canonicalize(keywords);
    return new ConnBuilder(canon).conn(name);
  }

  /** Builds from keywords the loader already checked line by line (canonical names, valid values). */
  static ConnConfig buildChecked(String name, Map<String, String> canonical) throws ConfigException {
    return new ConnBuilder(canonical).conn(name);
  }

  /** Validates every keyword and value; aliases become canonical names; obsolete keywords are dropped. */
  static Map<String, String> canonicalize(Map<String, String> keywords) throws ConfigException {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : keywords.entrySet()) {
      String key = e.getKey();
      String value = e.getValue() == null ? "" : e.getValue();
      if (Keyword.isUserKey(key)) {
        out.put(key, value);
        continue;
      }
      Keyword.Ref ref = Keyword.lookup(key).orElseThrow(() -> new ConfigException("unknown keyword '" + key + "'"));
      if (ref.keyword().section() != Keyword.Section.CONN) {
        throw new ConfigException("keyword '" + key + "' is not valid in a conn (it belongs in config setup)");
      }
      if (ref.keyword().isObsolete() || ref.keyword() == Keyword.ALSO || ref.keyword() == Keyword.ALSOFLIP) {
        continue;
      }
      Values.check(ref, value);
      String prev = out.put(ref.canonicalName(), value);
      if (prev != null && !prev.equals(value)) {
        throw new ConfigException("keyword '" + ref.canonicalName() + "' given twice with different values");
      }
    }
    return out;
  }

  private ConnConfig conn(String name) throws ConfigException {
    ConnType type = type();
    AutoAction auto = auto();
    if (auto != AutoAction.IGNORE && (!kw.containsKey("left") || !kw.containsKey("right"))) {
      throw new ConfigException((kw.containsKey("left") ? "right=" : "left=") + " is not set (needed for auto="
          + kw.get("auto") + ")");
    }
    if ("pam".equalsIgnoreCase(kw.get("xauthby"))) {
      throw new ConfigException("xauthby=pam is not supported: XAUTH users come from ipsec.d/passwd (xauthby=file)");
    }
    EndConfig left = end("left");
    EndConfig right = end("right");
    if (left.host() instanceof HostAddr.Address a && right.host() instanceof HostAddr.Address b
        && a.ip().getClass() != b.ip().getClass()) {
      throw new ConfigException("left=" + kw.get("left") + " and right=" + kw.get("right")
          + " are of different address families");
    }
    Set<AuthBy> authby = authby(type);
    return new ConnConfig(name, left, right, authby, type, auto, ikev2(authby), ike(), esp(),
        bool("pfs"), time("ikelifetime"), time("salifetime"), time("rekeymargin"),
        Values.percent("rekeyfuzz", get("rekeyfuzz")), bool("rekey"), Values.number("keyingtries",
            get("keyingtries")), time("dpddelay"), time("dpdtimeout"), dpdAction(), bool("forceencaps"),
        bool("narrowing"), bool("aggrmode"), phase2(), bool("compress"), replayWindow(), Optional.empty(), kw);
  }

  private String get(String key) {
    String v = kw.get(key);
    if (v != null) {
      return v;
    }
    Keyword.Ref ref = Keyword.lookup(key).orElseThrow();
    return ref.keyword().defaultValue();
  }

  private boolean bool(String key) throws ConfigException {
    return Values.bool(key, get(key));
  }

  private Duration time(String key) throws ConfigException {
    return Values.time(key, get(key));
  }

  private ConnType type() {
    return switch (get("type").toLowerCase(Locale.ROOT)) {
      case "transport" -> ConnType.TRANSPORT;
      case "pass", "passthrough" -> ConnType.PASSTHROUGH;
      case "drop" -> ConnType.DROP;
      case "reject" -> ConnType.REJECT;
      default -> ConnType.TUNNEL; // tunnel, udp, udpencap (the last two have no effect in Openswan 2.6)
    };
  }

  /** Openswan clears RSASIG for shunts (confread.c), so an unset authby of a shunt is "never". */
  private Set<AuthBy> authby(ConnType type) {
    String v = kw.get("authby");
    if (v == null) {
      return type.isShunt() ? Set.of(AuthBy.NEVER) : Set.of(AuthBy.RSASIG);
    }
    Set<AuthBy> out = EnumSet.noneOf(AuthBy.class);
    for (String p : Patterns.PIPE.split(v.toLowerCase(Locale.ROOT))) {
      out.add(switch (p) {
        case "secret" -> AuthBy.SECRET;
        case "never" -> AuthBy.NEVER;
        case "null" -> AuthBy.NULL; // RFC 7619, Libreswan's spelling
        default -> AuthBy.RSASIG;
      });
    }
    return out;
  }

  private AutoAction auto() {
    return switch (get("auto").toLowerCase(Locale.ROOT)) {
      case "add" -> AutoAction.ADD;
      case "route" -> AutoAction.ROUTE;
      case "start", "up" -> AutoAction.START;
      default -> AutoAction.IGNORE;
    };
  }

  /**
   * RFC 7619 defines NULL authentication for IKEv2 only: authby=null makes an unset ikev2= insist, and any
   * ikev2= that would let the conn speak IKEv1 is refused.
   */
  private Ikev2Policy ikev2(Set<AuthBy> authby) throws ConfigException {
    Ikev2Policy p = ikev2();
    if (!authby.contains(AuthBy.NULL) || p == Ikev2Policy.INSIST) {
      return p;
    }
    if (!kw.containsKey("ikev2")) {
      return Ikev2Policy.INSIST;
    }
    throw new ConfigException("authby=" + kw.get("authby") + " is IKEv2 only (RFC 7619) but ikev2=" + kw.get("ikev2")
        + " allows IKEv1; use ikev2=insist");
  }

  private Ikev2Policy ikev2() {
    return switch (get("ikev2").toLowerCase(Locale.ROOT)) {
      case "never", "no" -> Ikev2Policy.NEVER;
      case "propose", "yes" -> Ikev2Policy.PROPOSE;
      case "insist", "always" -> Ikev2Policy.INSIST;
      default -> Ikev2Policy.PERMIT;
    };
  }

  private DpdAction dpdAction() {
    return switch (get("dpdaction").toLowerCase(Locale.ROOT)) {
      case "clear" -> DpdAction.CLEAR;
      case "restart", "restart_by_peer" -> DpdAction.RESTART;
      default -> DpdAction.HOLD;
    };
  }

  private Phase2 phase2() {
    return get("phase2").equalsIgnoreCase("ah") ? Phase2.AH : Phase2.ESP;
  }

  private List<IkeAlgorithm> ike() throws ConfigException {
    String v = kw.get("ike");
    return v == null || v.isEmpty() ? List.of() : AlgorithmParser.parseIke(v, "ike");
  }

  private List<EspAlgorithm> esp() throws ConfigException {
    String v = kw.get("phase2alg");
    if (v == null || v.isEmpty()) {
      return List.of();
    }
    return phase2() == Phase2.AH ? AlgorithmParser.parseAh(v, "phase2alg") : AlgorithmParser.parseEsp(v, "phase2alg");
  }

  private int replayWindow() throws ConfigException {
    for (String side : new String[] {"left", "right"}) {
      String v = kw.get(side + "espreplay_window");
      if (v != null) {
        return Values.number(side + "espreplay_window", v);
      }
    }
    return DEFAULT_REPLAY_WINDOW;
  }

  private EndConfig end(String side) throws ConfigException {
    String hostText = kw.get(side);
    HostAddr host = hostText == null ? new HostAddr.Any(false) : Values.host(side, hostText);
    String id = kw.get(side + "id");
    Optional<Identity> identity = id == null ? Optional.empty() : Optional.of(Ids.parse(side + "id", id));
    String pp = kw.get(side + "protoport");
    ProtoPort protoPort = pp == null ? ProtoPort.ANY : ProtoPorts.parse(side + "protoport", pp);
    String key = kw.get(side + "rsasigkey");
    RsaSigKey rsa = key == null ? new RsaSigKey.None() : Values.rsaKey(side + "rsasigkey", key);
    return new EndConfig(host, identity, subnets(side), address(side + "nexthop"), protoPort, rsa,
        opt(side + "cert"), address(side + "sourceip"), opt(side + "updown"), bool(side + "xauthserver"),
        bool(side + "xauthclient"), opt(side + "ca"), sendCert(side), modecfg(side));
  }

  private EndConfig.ModeCfg modecfg(String side) throws ConfigException {
    List<InetAddress> dns = new ArrayList<>();
    List<InetAddress> wins = new ArrayList<>();
    for (String n : new String[] {"1", "2"}) {
      address(side + "modecfgdns" + n).ifPresent(dns::add);
      address(side + "modecfgwins" + n).ifPresent(wins::add);
    }
    String pool = kw.get(side + "addresspool");
    return new EndConfig.ModeCfg(dns, wins, pool == null ? Optional.empty()
        : Optional.of(AddressPool.parse(side + "addresspool", pool)), banner(side));
  }

  /** UNITY_BANNER's value is a TLV of at most 65535 bytes (RFC 2408 §3.3); one line of text is what clients show. */
  private Optional<String> banner(String side) throws ConfigException {
    String b = kw.get(side + "modecfgbanner");
    if (b == null || b.isEmpty()) {
      return Optional.empty();
    }
    if (b.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 4096) {
      throw new ConfigException(side + "modecfgbanner=: longer than 4096 bytes");
    }
    return Optional.of(b);
  }

  private List<Subnet> subnets(String side) throws ConfigException {
    List<Subnet> out = new ArrayList<>();
    String subnet = kw.get(side + "subnet");
    if (subnet != null && !Patterns.VHOST_VNET.matcher(subnet.toLowerCase(Locale.ROOT)).matches()) {
      out.add(Values.subnet(side + "subnet", subnet));
    }
    String subnets = kw.get(side + "subnets");
    if (subnets != null) {
      out.addAll(Values.subnets(side + "subnets", subnets));
    }
    return out;
  }

  private Optional<InetAddress> address(String key) throws ConfigException {
    String v = kw.get(key);
    if (v == null || v.startsWith("%")) {
      return Optional.empty(); // %defaultroute, %direct: resolved when the conn is added
    }
    return Optional.of(Values.ipaddr(key, v));
  }

  private Optional<String> opt(String key) {
    return Optional.ofNullable(kw.get(key));
  }

  private SendCert sendCert(String side) {
    return switch (get(side + "sendcert").toLowerCase(Locale.ROOT)) {
      case "never" -> SendCert.NEVER;
      case "always", "alwayssend", "forcedtype" -> SendCert.ALWAYS;
      default -> SendCert.IFASKED;
    };
  }
}
