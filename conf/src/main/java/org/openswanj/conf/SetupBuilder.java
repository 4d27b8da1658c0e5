package org.openswanj.conf;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code config setup} keywords to a {@link SetupConfig}, with Openswan 2.6's defaults (confread.c). */
final class SetupBuilder {
  private SetupBuilder() {}

  /** {@code raw}: canonical lower-case names to values, already checked one by one. */
  static SetupConfig build(Map<String, String> raw) throws ConfigException {
    String vp = raw.get("virtual_private");
    String mtu = raw.get("overridemtu");
    return new SetupConfig(protostack(value(raw, Keyword.PROTOSTACK)), Values.list(value(raw, Keyword.INTERFACES)),
        value(raw, Keyword.PLUTODEBUG), bool(raw, Keyword.UNIQUEIDS), nhelpers(raw.get("nhelpers")),
        vp == null ? List.of() : VirtualPrivate.parse(vp).allowed(), bool(raw, Keyword.OE),
        bool(raw, Keyword.NAT_TRAVERSAL), Values.number("keep_alive", value(raw, Keyword.KEEP_ALIVE)),
        mtu == null ? Optional.empty() : Optional.of(Values.number("overridemtu", mtu)),
        value(raw, Keyword.MYID), value(raw, Keyword.PLUTOSTDERRLOG), raw);
  }

  /** The keyword's value, or its default as {@link Keyword} declares it. */
  private static String value(Map<String, String> raw, Keyword k) {
    return raw.getOrDefault(k.keywordName(), k.defaultValue());
  }

  private static boolean bool(Map<String, String> raw, Keyword k) throws ConfigException {
    return Values.bool(k.keywordName(), value(raw, k));
  }

  private static int nhelpers(String v) throws ConfigException {
    return v == null ? -1 : Values.number("nhelpers", v);
  }

  private static Protostack protostack(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "netkey", "native" -> Protostack.NETKEY;
      case "klips", "mast" -> Protostack.KLIPS;
      case "none" -> Protostack.NONE;
      default -> Protostack.AUTO;
    };
  }
}
