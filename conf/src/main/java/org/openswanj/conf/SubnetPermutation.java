package org.openswanj.conf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code leftsubnets=}/{@code rightsubnets=} as Openswan 2.6 adds them (programs/starter/starterwhack.c,
 * starter_permutate_conns): one conn per (left, right) pair, named {@code NAME/LxR}, each with {@code connalias=NAME}
 * so that whack commands given NAME act on them all. L and R count from 1 over the subnets= entries; a plain
 * {@code leftsubnet=}/{@code rightsubnet=} set beside them comes first, as 0. The right side advances first.
 * Pure: keywords in, keywords out.
 */
public final class SubnetPermutation {
  /** One generated conn: its name and resolved keywords (no subnets=, subnet= set, connalias= appended). */
  public record Instance(String name, Map<String, String> keywords) {
    public Instance {
      keywords = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
    }
  }

  /** One side's sequence: the numbered subnets, the first numbered 0 when it is the plain subnet=. */
  private record Side(List<Optional<String>> nets, int first) {}

  private SubnetPermutation() {
  }

  /**
   * Whether the conn is added as permuted instances: either side has subnets=. As Openswan 2.6 does for IKEv1 and
   * IKEv2 alike; the instances share one IKE SA to the peer (IKEv1: Quick Modes on one ISAKMP SA; IKEv2: Child
   * SAs by CREATE_CHILD_SA, RFC 7296 §1.3.1), so a uniqueids peer sees no replacement.
   */
  public static boolean permuted(Map<String, String> keywords) {
    return keywords.containsKey("leftsubnets") || keywords.containsKey("rightsubnets");
  }

  /** The instances of a conn in Openswan's order; a conn without subnets= is itself, unchanged. */
  public static List<Instance> instances(String name, Map<String, String> keywords) {
    if (!permuted(keywords)) {
      return List.of(new Instance(name, keywords));
    }
    Side left = side(keywords, "left");
    Side right = side(keywords, "right");
    List<Instance> out = new ArrayList<>();
    for (int l = 0; l < left.nets().size(); l++) {
      for (int r = 0; r < right.nets().size(); r++) {
        Map<String, String> k = new LinkedHashMap<>(keywords);
        k.remove("leftsubnets");
        k.remove("rightsubnets");
        left.nets().get(l).ifPresent(n -> k.put("leftsubnet", n));
        right.nets().get(r).ifPresent(n -> k.put("rightsubnet", n));
        String alias = keywords.get("connalias");
        k.put("connalias", alias == null || alias.isBlank() ? name : alias + " " + name);
        out.add(new Instance(name + "/" + (l + left.first()) + "x" + (r + right.first()), k));
      }
    }
    return out;
  }

  /** The conns as they are added: each {@link #permuted} conn replaced by its instances, in place. */
  public static List<ConnConfig> expand(List<ConnConfig> conns) throws ConfigException {
    List<ConnConfig> out = new ArrayList<>();
    for (ConnConfig c : conns) {
      if (!permuted(c.keywords())) {
        out.add(c);
        continue;
      }
      for (Instance i : instances(c.name(), c.keywords())) {
        out.add(ConnConfig.fromKeywords(i.name(), i.keywords()));
      }
    }
    return out;
  }

  private static Side side(Map<String, String> keywords, String side) {
    List<Optional<String>> nets = new ArrayList<>();
    String plain = keywords.get(side + "subnet");
    if (plain != null) {
      nets.add(Optional.of(plain));
    }
    String many = keywords.get(side + "subnets");
    if (many != null) {
      Values.list(many).forEach(n -> nets.add(Optional.of(n)));
    }
    if (nets.isEmpty()) {
      // neither: the host itself, numbered 1 as Openswan's counter starts for an end without subnet=
      return new Side(List.of(Optional.empty()), 1);
    }
    return new Side(nets, plain != null ? 0 : 1);
  }
}
