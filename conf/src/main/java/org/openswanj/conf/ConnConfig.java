package org.openswanj.conf;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openswanj.conf.alg.EspAlgorithm;
import org.openswanj.conf.alg.IkeAlgorithm;

/**
 * One conn, after {@code %default} and {@code also=} are applied, every default filled in as Openswan 2.6
 * fills it. {@code keywords} holds every resolved keyword (canonical lower-case names, left/right forms,
 * aliases resolved, values as written), so {@code fromKeywords(name, keywords())} rebuilds an equal conn.
 */
public record ConnConfig(String name, EndConfig left, EndConfig right, Set<AuthBy> authby, ConnType type,
    AutoAction auto, Ikev2Policy ikev2, List<IkeAlgorithm> ike, List<EspAlgorithm> esp, boolean pfs,
    Duration ikeLifetime, Duration saLifetime, Duration rekeyMargin, int rekeyFuzzPercent, boolean rekey,
    int keyingTries, Duration dpdDelay, Duration dpdTimeout, DpdAction dpdAction, boolean forceEncaps,
    boolean narrowing, boolean aggressive, Phase2 phase2, boolean compress, int replayWindow,
    Optional<Integer> reqid, Map<String, String> keywords) {

  public ConnConfig {
    authby = Set.copyOf(authby);
    ike = List.copyOf(ike);
    esp = List.copyOf(esp);
    keywords = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(keywords));
  }

  /**
   * Builds and validates a conn from resolved keywords (as whack sends them); the message of the exception
   * names the keyword and the problem.
   */
  public static ConnConfig fromKeywords(String name, Map<String, String> keywords) throws ConfigException {
    return ConnBuilder.build(name, keywords);
  }

  /** {@code leftsubnet=vhost:…} / {@code vnet:…} of the end {@code side} ("left" or "right"), if it is one. */
  public java.util.Optional<VirtualSubnet> virtualSubnet(String side) {
    try {
      return VirtualSubnet.of(side + "subnet", keywords.get(side + "subnet"));
    } catch (ConfigException e) {
      throw new IllegalStateException("the conn was checked when built: " + e.getMessage(), e);
    }
  }

  /** {@code fragmentation=} (RFC 7383, an extension to Openswan 2.6); yes when not given. */
  public Fragmentation fragmentation() {
    String v = keywords.getOrDefault(Keyword.FRAGMENTATION.keywordName(), Keyword.FRAGMENTATION.defaultValue());
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "no" -> Fragmentation.NO;
      case "force" -> Fragmentation.FORCE;
      default -> Fragmentation.YES;
    };
  }

  /** {@code failureshunt=}: the eroute a routed conn's traffic gets once negotiation has failed. */
  public FailureShunt failureShunt() {
    return FailureShunt.valueOf(keyword(Keyword.FAILURESHUNT));
  }

  /** {@code negotiationshunt=}: the eroute a routed conn's traffic gets while negotiating after an ACQUIRE. */
  public NegotiationShunt negotiationShunt() {
    return NegotiationShunt.valueOf(keyword(Keyword.NEGOTIATIONSHUNT));
  }

  private String keyword(Keyword k) {
    return keywords.getOrDefault(k.keywordName(), k.defaultValue()).toUpperCase(java.util.Locale.ROOT);
  }

  /** True when both {@code left=} and {@code right=} are set (a template used only by also= may lack them). */
  public boolean hasBothEnds() {
    return keywords.containsKey("left") && keywords.containsKey("right");
  }

  /** The same conn seen from the other side: left and right swapped, keywords too. */
  public ConnConfig flipped() {
    Map<String, String> k = new LinkedHashMap<>();
    keywords.forEach((key, v) -> k.put(flipKey(key), v));
    return new ConnConfig(name, right, left, authby, type, auto, ikev2, ike, esp, pfs, ikeLifetime, saLifetime,
        rekeyMargin, rekeyFuzzPercent, rekey, keyingTries, dpdDelay, dpdTimeout, dpdAction, forceEncaps,
        narrowing, aggressive, phase2, compress, replayWindow, reqid, k);
  }

  static String flipKey(String key) {
    if (key.startsWith("left")) {
      return "right" + key.substring(4);
    } else if (key.startsWith("right")) {
      return "left" + key.substring(5);
    }
    return key;
  }
}
