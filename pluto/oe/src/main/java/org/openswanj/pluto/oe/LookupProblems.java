package org.openswanj.pluto.oe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The answers of one look-up that could not be used, grouped so that one line says it once for every record
 * type that failed the same way: {@code DNSSEC: bogus IPSECKEY/TXT/KEY 45.2.1.192.in-addr.arpa.: <reason>}.
 * Thread-safe.
 */
final class LookupProblems {
  private record Key(OeOutcome outcome, Name name, String what, String reason) {}

  private final Map<Key, List<String>> types = new LinkedHashMap<>();

  synchronized void add(OeOutcome outcome, int type, Name name, String what, String reason) {
    types.computeIfAbsent(new Key(outcome, name, what, reason), k -> new ArrayList<>()).add(Type.string(type));
  }

  /** The most telling failure seen: DNSSEC refusals before timeouts before server errors. */
  synchronized Optional<OeOutcome> worst() {
    for (OeOutcome o : List.of(OeOutcome.DNSSEC_REFUSED, OeOutcome.TIMEOUT, OeOutcome.DNS_ERROR)) {
      if (types.keySet().stream().anyMatch(k -> k.outcome() == o)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  synchronized List<String> lines() {
    List<String> out = new ArrayList<>();
    types.forEach((k, t) -> out.add(k.what() + " " + String.join("/", t) + " " + k.name() + ": " + k.reason()));
    return out;
  }
}
