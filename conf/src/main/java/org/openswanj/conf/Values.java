package org.openswanj.conf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openswanj.conf.alg.AlgorithmParser;

/** Typed readers for keyword values; each failure names the keyword and what it accepts. */
public final class Values {
  private Values() {}

  /** yes/no/true/false/on/off (and Openswan's y/n). */
  public static boolean bool(String key, String v) throws ConfigException {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "yes", "y", "true", "on" -> true;
      case "no", "n", "false", "off" -> false;
      default -> throw new ConfigException(
          key + "=" + v + ": not a boolean (accepted: yes, no, true, false, on, off)");
    };
  }

  /** A number of seconds, or with an s/m/h/d/w suffix; %forever is 0 (parser.y "duration"). */
  public static Duration time(String key, String v) throws ConfigException {
    if (v.equalsIgnoreCase("%forever")) {
      return Duration.ZERO;
    }
    int i = 0;
    while (i < v.length() && Character.isDigit(v.charAt(i))) {
      i++;
    }
    String suffix = v.substring(i);
    if (i == 0 || i > 12 || suffix.length() > 1) {
      throw new ConfigException(key + "=" + v
          + ": not a time (accepted: seconds, or a number with suffix s, m, h, d, w, or %forever)");
    }
    long n = Long.parseLong(v.substring(0, i));
    return switch (suffix) {
      case "", "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      case "w" -> Duration.ofDays(7 * n);
      default -> throw new ConfigException(key + "=" + v + ": bad time unit \"" + suffix
          + "\" (accepted: s, m, h, d, w)");
    };
  }

  /** A non-negative integer (decimal, or 0x hex as for spi=); %forever is 0 (parser.l reads it as 0). */
  public static int number(String key, String v) throws ConfigException {
    if (v.equalsIgnoreCase("%forever")) {
      return 0;
    }
    if (Patterns.HEX_NUMBER.matcher(v).matches() && Long.parseLong(v.substring(2), 16) <= Integer.MAX_VALUE) {
      return (int) Long.parseLong(v.substring(2), 16);
    }
    if (!Patterns.digits(v, 1, 10) || Long.parseLong(v) > Integer.MAX_VALUE) {
      throw new ConfigException(key + "=" + v + ": not a number (accepted: a non-negative integer)");
    }
    return Integer.parseInt(v);
  }

  /** A percentage {@code 100%}; may exceed 100 (rekeyfuzz). */
  public static int percent(String key, String v) throws ConfigException {
    if (!Patterns.percent(v)) {
      throw new ConfigException(key + "=" + v + ": not a percentage (accepted: an integer followed by %, e.g. 100%)");
    }
    return Integer.parseInt(v.substring(0, v.length() - 1));
  }

  /** One of the keyword's accepted values, lower-cased. */
  public static String enumValue(Keyword k, String key, String v) throws ConfigException {
    String l = v.toLowerCase(Locale.ROOT);
    if (!k.acceptedValues().contains(l)) {
      throw new ConfigException(key + "=" + v + ": invalid value (accepted: "
          + String.join(", ", k.acceptedValues()) + ")");
    }
    return l;
  }

  /** Splits a list value written {@code {a b}}, {@code "a, b"} or {@code a,b}. */
  public static List<String> list(String v) {
    String s = v.trim();
    if (s.startsWith("{") && s.endsWith("}")) {
      s = s.substring(1, s.length() - 1);
    }
    return Patterns.words(s);
  }

  /** Checks a value against its keyword's type; called once per line so errors carry file:line. */
  public static void check(Keyword.Ref ref, String v) throws ConfigException {
    Keyword k = ref.keyword();
    String key = ref.canonicalName();
    switch (k.type()) {
      case BOOL, INVERTBOOL -> bool(key, v);
      case TIME -> time(key, v);
      case NUMBER -> number(key, v);
      case PERCENT -> percent(key, v);
      case ENUM -> enumValue(k, key, v);
      case LIST -> {
        for (String p : list(v)) {
          enumValue(k, key, p);
        }
      }
      case IPADDR -> {
        if (!(k == Keyword.NEXTHOP && (v.equalsIgnoreCase("%defaultroute") || v.equalsIgnoreCase("%direct")))) {
          ipaddr(key, v);
        }
      }
      case SUBNET -> subnetValue(key, v);
      case SUBNETS -> subnets(key, v);
      case HOST -> host(key, v);
      case ID -> Ids.parse(key, v);
      case RSAKEY -> rsaKey(key, v);
      case BITSTRING -> bitstring(key, v);
      case PROTOPORT -> ProtoPorts.parse(key, v);
      case IKE_ALGS -> AlgorithmParser.parseIke(v, key);
      case ESP_ALGS -> espOrAh(key, v);
      case VIRTUAL_PRIVATE -> VirtualPrivate.parse(v);
      case NAMES -> names(key, v);
      case LISTEN_ADDRESS -> ListenAddress.parse(key, v);
      case STRING, FILENAME -> { }
    }
  }

  /**
   * One line of phase2alg= cannot know the conn's phase2=: an AH list ({@code sha1}) passes here and the conn,
   * which knows, parses it as what it is. The ESP message is the one a wrong value gets.
   */
  private static void espOrAh(String key, String v) throws ConfigException {
    try {
      AlgorithmParser.parseEsp(v, key);
    } catch (ConfigException esp) {
      try {
        AlgorithmParser.parseAh(v, key);
      } catch (ConfigException ah) {
        throw esp;
      }
    }
  }

  static java.net.InetAddress ipaddr(String key, String v) throws ConfigException {
    try {
      return Subnet.parseAddress(v, v);
    } catch (ConfigException e) {
      throw new ConfigException(key + "=" + v + ": not an IPv4 or IPv6 address");
    }
  }

  static void subnetValue(String key, String v) throws ConfigException {
    if (VirtualSubnet.of(key, v).isEmpty()) {
      subnet(key, v);
    }
  }

  static Subnet subnet(String key, String v) throws ConfigException {
    try {
      return Subnet.parse(v);
    } catch (ConfigException e) {
      throw new ConfigException(key + "=" + v + ": " + e.getMessage());
    }
  }

  static List<Subnet> subnets(String key, String v) throws ConfigException {
    List<Subnet> out = new ArrayList<>();
    for (String p : list(v)) {
      out.add(subnet(key, p));
    }
    return out;
  }

  static HostAddr host(String key, String v) throws ConfigException {
    try {
      return HostAddr.parse(v);
    } catch (ConfigException e) {
      throw new ConfigException(key + "=" + v + ": " + e.getMessage());
    }
  }

  static RsaSigKey rsaKey(String key, String v) throws ConfigException {
    try {
      return RsaSigKey.parse(v);
    } catch (ConfigException e) {
      throw new ConfigException(key + ": " + e.getMessage().replaceFirst("^rsasigkey: ", ""));
    }
  }

  static void bitstring(String key, String v) throws ConfigException {
    boolean ok = Patterns.BITS_HEX.matcher(v).matches() || Patterns.BITS_BASE64.matcher(v).matches()
        || Patterns.BITS_TEXT.matcher(v).matches();
    if (!ok) {
      throw new ConfigException(key + ": not a key (accepted: 0x<hex>, 0s<base64>, 0t<text>)");
    }
  }

  static void names(String key, String v) throws ConfigException {
    for (String n : list(v)) {
      if (!Patterns.CONN_NAME.matcher(n).matches()) {
        throw new ConfigException(key + "=" + v + ": \"" + n + "\" is not a conn name");
      }
    }
  }
}
