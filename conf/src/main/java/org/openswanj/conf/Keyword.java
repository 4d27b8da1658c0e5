package org.openswanj.conf;

import static org.openswanj.conf.KeywordOpt.*;
import static org.openswanj.conf.KeywordType.*;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every ipsec.conf keyword of Openswan 2.6 (lib/libipsecconf/keywords.c, v2.6.52), declared once: section,
 * left/right form, value type, accepted values, default as Openswan fills it, aliases, obsolete.
 */
public enum Keyword {
  // ---- config setup
  INTERFACES("interfaces", Section.SETUP, STRING, "%defaultroute"),
  MYID("myid", Section.SETUP, STRING, ""),
  SYSLOG("syslog", Section.SETUP, STRING, "daemon.error"),
  KLIPSDEBUG("klipsdebug", Section.SETUP, LIST, "none", oneOf("all", "none", "verbose", "xmit", "tunnel-xmit",
      "netlink", "xform", "eroute", "spi", "radij", "esp", "ah", "rcv", "tunnel", "pfkey", "comp", "nat-traversal",
      "nattraversal", "natt")),
  PLUTODEBUG("plutodebug", Section.SETUP, LIST, DebugWord.NONE, oneOf(DebugWord.words().toArray(String[]::new))),
  PLUTOOPTS("plutoopts", Section.SETUP, STRING, ""),
  PLUTOSTDERRLOG("plutostderrlog", Section.SETUP, FILENAME, ""),
  PLUTOSTDERRLOGTIME("plutostderrlogtime", Section.SETUP, BOOL, "no"),
  PLUTORESTARTONCRASH("plutorestartoncrash", Section.SETUP, BOOL, "yes"),
  DUMPDIR("dumpdir", Section.SETUP, FILENAME, ""),
  MANUALSTART("manualstart", Section.SETUP, STRING, ""),
  PLUTO("pluto", Section.SETUP, FILENAME, ""),
  PLUTOWAIT("plutowait", Section.SETUP, BOOL, "no"),
  OE("oe", Section.SETUP, BOOL, "no"),
  PREPLUTO("prepluto", Section.SETUP, FILENAME, ""),
  POSTPLUTO("postpluto", Section.SETUP, FILENAME, ""),
  FRAGICMP("fragicmp", Section.SETUP, BOOL, "yes"),
  HIDETOS("hidetos", Section.SETUP, BOOL, "yes"),
  UNIQUEIDS("uniqueids", Section.SETUP, BOOL, "yes"),
  OVERRIDEMTU("overridemtu", Section.SETUP, NUMBER, ""),
  NOCRSEND("nocrsend", Section.SETUP, BOOL, "no"),
  STRICTCRLPOLICY("strictcrlpolicy", Section.SETUP, BOOL, "no"),
  CRLCHECKINTERVAL("crlcheckinterval", Section.SETUP, TIME, "0"),
  FORCE_BUSY("force_busy", Section.SETUP, BOOL, "no"),
  VIRTUAL_PRIVATE_KW("virtual_private", Section.SETUP, VIRTUAL_PRIVATE, ""),
  NAT_TRAVERSAL("nat_traversal", Section.SETUP, BOOL, "no"),
  DISABLE_PORT_FLOATING("disable_port_floating", Section.SETUP, BOOL, "no"),
  KEEP_ALIVE("keep_alive", Section.SETUP, NUMBER, "20"),
  FORCE_KEEPALIVE("force_keepalive", Section.SETUP, BOOL, "no"),
  LISTEN("listen", Section.SETUP, IPADDR, ""),
  PROTOSTACK("protostack", Section.SETUP, ENUM, "auto", oneOf("none", "auto", "klips", "mast", "netkey", "native")),
  NHELPERS("nhelpers", Section.SETUP, NUMBER, "-1"),
  SECCTX_ATTR_VALUE("secctx_attr_value", Section.SETUP, NUMBER, "32001"),
  FORWARDCONTROL("forwardcontrol", Section.SETUP, STRING, "", OBSOLETE),
  RP_FILTER("rp_filter", Section.SETUP, STRING, "", OBSOLETE),
  PLUTOFORK("plutofork", Section.SETUP, BOOL, "", OBSOLETE),
  PLUTOLOAD("plutoload", Section.SETUP, STRING, "", OBSOLETE),
  PLUTOSTART("plutostart", Section.SETUP, STRING, "", OBSOLETE),
  // ---- config setup, our extensions: the gateway cluster (docs/HA.md); absent = no cluster
  CLUSTER_ETCD("cluster-etcd", Section.SETUP, STRING, ""),
  CLUSTER_NODE("cluster-node", Section.SETUP, STRING, ""),
  CLUSTER_VIP("cluster-vip", Section.SETUP, STRING, ""),
  CLUSTER_ETCD_CACERT("cluster-etcd-cacert", Section.SETUP, FILENAME, ""),
  CLUSTER_ETCD_CERT("cluster-etcd-cert", Section.SETUP, FILENAME, ""),
  CLUSTER_ETCD_KEY("cluster-etcd-key", Section.SETUP, FILENAME, ""),
  CLUSTER_LEASE_TTL("cluster-lease-ttl", Section.SETUP, TIME, "3"),
  CLUSTER_SEQ_MARGIN("cluster-seq-margin", Section.SETUP, NUMBER, "65536"),
  // ---- config setup, our extension: OpenMetrics over HTTP GET /metrics on this address only; absent = none
  METRICS("metrics", Section.SETUP, LISTEN_ADDRESS, ""),
  // ---- config setup, Libreswan's DNSSEC keywords (our extension to Openswan 2.6): OE look-ups are validated
  // when a trust anchor file is given (pluto-oe's DnssecConfig)
  DNSSEC_ENABLE("dnssec-enable", Section.SETUP, BOOL, "yes"),
  DNSSEC_ROOTKEY_FILE("dnssec-rootkey-file", Section.SETUP, FILENAME, ""),
  DNSSEC_ANCHORS("dnssec-anchors", Section.SETUP, FILENAME, ""),
  // ---- conn, left/right forms ("" is left= / right= itself)
  ENDPOINT("", Section.CONN, HOST, "", LR),
  SUBNET_KW("subnet", Section.CONN, SUBNET, "", LR),
  SUBNETS_KW("subnets", Section.CONN, SUBNETS, "", LR),
  SOURCEIP("sourceip", Section.CONN, IPADDR, "", LR),
  NEXTHOP("nexthop", Section.CONN, IPADDR, "", LR),
  FIREWALL("firewall", Section.CONN, BOOL, "", LR, OBSOLETE),
  UPDOWN("updown", Section.CONN, FILENAME, "ipsec _updown", LR),
  ID_KW("id", Section.CONN, ID, "", LR),
  RSASIGKEY("rsasigkey", Section.CONN, RSAKEY, "%none", LR),
  RSASIGKEY2("rsasigkey2", Section.CONN, RSAKEY, "", LR),
  SPIBASE("spibase", Section.CONN, NUMBER, "", LR),
  CERT("cert", Section.CONN, FILENAME, "", LR),
  SENDCERT("sendcert", Section.CONN, ENUM, "ifasked", LR, oneOf("never", "sendifasked", "ifasked", "alwayssend",
      "always", "forcedtype")),
  CA("ca", Section.CONN, STRING, "", LR),
  SUBNETWITHIN("subnetwithin", Section.CONN, SUBNET, "", LR),
  PROTOPORT_KW("protoport", Section.CONN, PROTOPORT, "", LR),
  XAUTHSERVER("xauthserver", Section.CONN, BOOL, "no", LR),
  XAUTHCLIENT("xauthclient", Section.CONN, BOOL, "no", LR),
  XAUTHUSERNAME("xauthusername", Section.CONN, STRING, "", LR, alias("xauthname")),
  MODECFGSERVER("modecfgserver", Section.CONN, BOOL, "no", LR),
  MODECFGCLIENT("modecfgclient", Section.CONN, BOOL, "no", LR),
  MODECFGDNS1("modecfgdns1", Section.CONN, IPADDR, "", LR),
  MODECFGDNS2("modecfgdns2", Section.CONN, IPADDR, "", LR),
  MODECFGWINS1("modecfgwins1", Section.CONN, IPADDR, "", LR),
  MODECFGWINS2("modecfgwins2", Section.CONN, IPADDR, "", LR),
  /** Libreswan's name: the banner a ModeConfig server sends this end's Cisco Unity client (UNITY_BANNER). */
  MODECFGBANNER("modecfgbanner", Section.CONN, STRING, "", LR),
  /** Our extension (Libreswan's name): the range A-B a ModeConfig server hands this end's clients addresses from. */
  ADDRESSPOOL("addresspool", Section.CONN, STRING, "", LR),
  SPI("spi", Section.CONN, NUMBER, "", LR),
  ESPENCKEY("espenckey", Section.CONN, BITSTRING, "", LR),
  ESPAUTHKEY("espauthkey", Section.CONN, BITSTRING, "", LR),
  ESPREPLAY_WINDOW("espreplay_window", Section.CONN, NUMBER, "", LR),
  // ---- conn, whole-connection keywords
  IKE("ike", Section.CONN, IKE_ALGS, ""),
  AUTO("auto", Section.CONN, ENUM, "ignore", oneOf("ignore", "add", "route", "start", "up"), DUP),
  ALSO("also", Section.CONN, NAMES, ""),
  ALSOFLIP("alsoflip", Section.CONN, NAMES, ""),
  ENDADDRFAMILY("endaddrfamily", Section.CONN, ENUM, "ipv4", oneOf("ipv4", "v4", "inet", "ipv6", "v6", "inet6")),
  CLIENTADDRFAMILY("clientaddrfamily", Section.CONN, ENUM, "ipv4", alias("connaddrfamily", "tunneladdrfamily"),
      oneOf("ipv4", "v4", "inet", "ipv6", "v6", "inet6")),
  TYPE("type", Section.CONN, ENUM, "tunnel", oneOf("tunnel", "transport", "udp", "udpencap", "pass", "passthrough",
      "reject", "drop")),
  AUTHBY("authby", Section.CONN, ENUM, "rsasig", oneOf("rsasig", "secret", "never", "secret|rsasig",
      "rsasig|secret", "null", "rsasig|null", "null|rsasig")),
  KEYEXCHANGE("keyexchange", Section.CONN, ENUM, "ike", oneOf("ike")),
  IKEV2("ikev2", Section.CONN, ENUM, "permit", oneOf("never", "permit", "propose", "insist", "yes", "always", "no")),
  NARROWING("narrowing", Section.CONN, BOOL, "no"),
  SAREFTRACK("sareftrack", Section.CONN, ENUM, "yes", oneOf("yes", "no", "conntrack")),
  PFS("pfs", Section.CONN, BOOL, "yes"),
  SHA2_TRUNCBUG("sha2_truncbug", Section.CONN, BOOL, "no"),
  SALIFETIME("salifetime", Section.CONN, TIME, "8h", alias("keylife", "lifetime")),
  LOOPBACK("loopback", Section.CONN, BOOL, "no"),
  LABELED_IPSEC("labeled_ipsec", Section.CONN, BOOL, "no"),
  POLICY_LABEL("policy_label", Section.CONN, STRING, ""),
  REMOTE_PEER_TYPE("remote_peer_type", Section.CONN, ENUM, "", oneOf("cisco")),
  NM_CONFIGURED("nm_configured", Section.CONN, BOOL, "no"),
  FORCEENCAPS("forceencaps", Section.CONN, BOOL, "no"),
  OVERLAPIP("overlapip", Section.CONN, BOOL, "no"),
  REKEY("rekey", Section.CONN, BOOL, "yes"),
  REKEYMARGIN("rekeymargin", Section.CONN, TIME, "9m"),
  REKEYFUZZ("rekeyfuzz", Section.CONN, PERCENT, "100%"),
  KEYINGTRIES("keyingtries", Section.CONN, NUMBER, "3"),
  IKELIFETIME("ikelifetime", Section.CONN, TIME, "1h"),
  DISABLEARRIVALCHECK("disablearrivalcheck", Section.CONN, INVERTBOOL, "no"),
  FAILURESHUNT("failureshunt", Section.CONN, ENUM, "none", oneOf("none", "passthrough", "drop", "reject")),
  /** Libreswan's: what a %trap eroute becomes while negotiating after an ACQUIRE (Openswan 2.6 always holds). */
  NEGOTIATIONSHUNT("negotiationshunt", Section.CONN, ENUM, "hold", oneOf("hold", "passthrough", "drop")),
  CONNALIAS("connalias", Section.CONN, NAMES, ""),
  PHASE2ALG("phase2alg", Section.CONN, ESP_ALGS, "", alias("esp", "ah")),
  PHASE2("phase2", Section.CONN, ENUM, "esp", alias("auth"), oneOf("ah+esp", "esp", "ah", "default")),
  COMPRESS("compress", Section.CONN, BOOL, "no"),
  METRIC("metric", Section.CONN, NUMBER, "1"),
  DPDDELAY("dpddelay", Section.CONN, TIME, "0"),
  DPDTIMEOUT("dpdtimeout", Section.CONN, TIME, "120"),
  DPDACTION("dpdaction", Section.CONN, ENUM, "hold", oneOf("hold", "clear", "restart", "restart_by_peer")),
  FIRSTMSGID("firstmsgid", Section.CONN, NUMBER, "0"),
  MTU("mtu", Section.CONN, NUMBER, ""),
  AGGRMODE("aggrmode", Section.CONN, BOOL, "no", alias("aggressive")),
  MODECFGPULL("modecfgpull", Section.CONN, BOOL, "no"),
  /** How an XAUTH server checks passwords: ipsec.d/passwd (file), or accepting any (alwaysok); pam is refused. */
  XAUTHBY("xauthby", Section.CONN, ENUM, "file", oneOf("file", "pam", "alwaysok")),
  PFSGROUP("pfsgroup", Section.CONN, STRING, "", OBSOLETE),
  // ---- conn, our extensions: Libreswan's and strongSwan's IKEv2 fragmentation (RFC 7383)
  FRAGMENTATION("fragmentation", Section.CONN, ENUM, "yes", oneOf("yes", "no", "force"));

  /** Which section a keyword belongs to. */
  public enum Section { SETUP, CONN }

  /** Which end a left/right keyword names. */
  public enum Side { NONE, LEFT, RIGHT }

  /** A keyword as found in a file: the table entry, and for left/right keywords which end. */
  public record Ref(Keyword keyword, Side side) {
    /** The canonical name: {@code leftsubnet}, {@code salifetime} (aliases resolved), lower case. */
    public String canonicalName() {
      return switch (side) {
        case LEFT -> "left" + keyword.name;
        case RIGHT -> "right" + keyword.name;
        case NONE -> keyword.name;
      };
    }
  }

  private final String name;
  private final Section section;
  private final KeywordType type;
  private final String defaultValue;
  private final List<String> values;
  private final List<String> aliases;
  private final boolean leftRight;
  private final boolean obsolete;
  private final boolean duplicateOk;

  Keyword(String name, Section section, KeywordType type, String defaultValue, KeywordOpt... opts) {
    this.name = name;
    this.section = section;
    this.type = type;
    this.defaultValue = defaultValue;
    this.values = KeywordOpt.items(opts, KeywordOpt.Kind.VALUES);
    this.aliases = KeywordOpt.items(opts, KeywordOpt.Kind.ALIASES);
    this.leftRight = KeywordOpt.has(opts, KeywordOpt.Kind.LEFT_RIGHT);
    this.obsolete = KeywordOpt.has(opts, KeywordOpt.Kind.OBSOLETE);
    this.duplicateOk = KeywordOpt.has(opts, KeywordOpt.Kind.DUPLICATE_OK);
  }

  public String keywordName() {
    return name;
  }

  public Section section() {
    return section;
  }

  public KeywordType type() {
    return type;
  }

  /** Openswan's default, as a value one could write ("" = none). */
  public String defaultValue() {
    return defaultValue;
  }

  /** Accepted values of ENUM and LIST keywords (empty otherwise). */
  public List<String> acceptedValues() {
    return values;
  }

  public List<String> aliases() {
    return aliases;
  }

  public boolean isLeftRight() {
    return leftRight;
  }

  public boolean isObsolete() {
    return obsolete;
  }

  /** True when the keyword may appear more than once in a section (auto=). */
  public boolean isDuplicateOk() {
    return duplicateOk;
  }

  private static final Map<String, Keyword> BY_NAME = buildIndex();

  private static Map<String, Keyword> buildIndex() {
    Map<String, Keyword> m = new HashMap<>();
    for (Keyword k : values()) {
      m.put(k.name, k);
      for (String a : k.aliases) {
        m.put(a, k);
      }
    }
    return Map.copyOf(m);
  }

  /** Finds a keyword case-insensitively, with its left/right form; empty for unknown (and x- user keys). */
  public static Optional<Ref> lookup(String written) {
    String s = written.toLowerCase(Locale.ROOT);
    Keyword k = BY_NAME.get(s);
    if (k != null && !k.leftRight && !k.name.isEmpty()) {
      return Optional.of(new Ref(k, Side.NONE));
    }
    if (k != null && !k.name.isEmpty()) {
      // Openswan's parser (libipsecconf keywords.c) takes a left/right keyword written bare as the right end's:
      // its XAUTH examples write "modecfgdns1=" for rightmodecfgdns1=
      return Optional.of(new Ref(k, Side.RIGHT));
    }
    for (Side side : new Side[] {Side.LEFT, Side.RIGHT}) {
      String prefix = side == Side.LEFT ? "left" : "right";
      if (s.startsWith(prefix)) {
        Keyword lr = BY_NAME.get(s.substring(prefix.length()));
        if (lr != null && lr.leftRight) {
          return Optional.of(new Ref(lr, side));
        }
      }
    }
    return Optional.empty();
  }

  /** True for {@code x-…}, {@code X-…}, {@code x_…}, {@code X_…}: user extensions, kept but not interpreted. */
  public static boolean isUserKey(String written) {
    return written.length() > 2 && (written.charAt(0) == 'x' || written.charAt(0) == 'X')
        && (written.charAt(1) == '-' || written.charAt(1) == '_');
  }
}
