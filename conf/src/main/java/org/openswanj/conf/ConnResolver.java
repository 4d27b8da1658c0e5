package org.openswanj.conf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies {@code conn %default} and {@code also=}/{@code alsoflip=} (confread.c load_conn/process_alsos):
 * a conn's own lines first, then each also'd section's in order (nested, depth first); a keyword given again
 * with a different value is an error; a section is appended once. An also= naming no conn, or closing a loop,
 * is a warning and that also= is skipped: confread.c skips both silently and Openswan's own test configs rely
 * on it (fatal only with addconn --warningsfatal). Then every %default keyword the conn did not set.
 * alsoflip= swaps left and right of what it brings in.
 */
final class ConnResolver {
  private final List<RawSection> sections;
  private final List<RawSection> implicit;
  private final Map<RawSection, List<ConfigLoader.Checked>> checked;
  private final List<Diagnostic> diags;
  private final Map<String, RawSection> byName = new HashMap<>();
  private final Map<String, ConfigLoader.Checked> defaults = new LinkedHashMap<>();

  ConnResolver(List<RawSection> sections, List<RawSection> implicit,
      Map<RawSection, List<ConfigLoader.Checked>> checked, List<Diagnostic> diags) {
    this.sections = sections;
    this.implicit = implicit;
    this.checked = checked;
    this.diags = diags;
  }

  List<ConnConfig> resolveAll() {
    for (RawSection s : sections) {
      if (s.kind != RawSection.Kind.CONN) {
        continue;
      }
      if (s.isDefault()) {
        loadDefault(s);
      } else {
        RawSection prev = byName.putIfAbsent(s.name, s);
        if (prev != null) {
          error(s.file, s.line, "duplicate conn " + s.name + " (first defined at " + prev.file + ":" + prev.line
              + ")");
        }
      }
    }
    implicit.forEach(s -> byName.putIfAbsent(s.name, s));
    List<ConnConfig> out = new ArrayList<>();
    Set<String> done = new java.util.HashSet<>();
    for (RawSection s : sections) {
      if (s.kind == RawSection.Kind.CONN && !s.isDefault() && byName.get(s.name) == s && done.add(s.name)) {
        build(s, true).ifPresent(out::add);
      }
    }
    for (RawSection s : implicit) {
      build(s, false).ifPresent(out::add);
    }
    return out;
  }

  private void loadDefault(RawSection s) {
    for (ConfigLoader.Checked c : checked.get(s)) {
      if (c.key().equals("also") || c.key().equals("alsoflip")) {
        error(c.where().file(), c.where().line(), c.key() + "= is not valid in conn %default");
        continue;
      }
      ConfigLoader.Checked prev = defaults.putIfAbsent(c.key(), c);
      if (prev != null && !prev.value().equals(c.value())) {
        error(c.where().file(), c.where().line(), "keyword '" + c.key() + "' already has a default ("
            + prev.where().file() + ":" + prev.where().line() + "); only one default per keyword");
      }
    }
  }

  private java.util.Optional<ConnConfig> build(RawSection s, boolean applyDefaults) {
    Map<String, ConfigLoader.Checked> kw = new LinkedHashMap<>();
    int before = diags.size();
    List<String> chain = new ArrayList<>();
    chain.add(s.name);
    merge(s, s, false, kw, chain, new LinkedHashSet<>(List.of(s.name)));
    if (applyDefaults) {
      defaults.forEach(kw::putIfAbsent);
    }
    if (hasErrorSince(before)) {
      return java.util.Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    kw.forEach((k, c) -> values.put(k, c.value()));
    try {
      return java.util.Optional.of(ConnBuilder.buildChecked(s.name, values));
    } catch (ConfigException e) {
      error(s.file, s.line, "conn " + s.name + ": " + e.getMessage());
      return java.util.Optional.empty();
    }
  }

  /** Appends section {@code from} (flipped if asked) to conn {@code conn}, then its also= sections. */
  private void merge(RawSection conn, RawSection from, boolean flip, Map<String, ConfigLoader.Checked> kw,
      List<String> chain, Set<String> included) {
    List<ConfigLoader.Checked> alsos = new ArrayList<>();
    for (ConfigLoader.Checked c : checked.get(from)) {
      if (c.key().equals("also") || c.key().equals("alsoflip")) {
        alsos.add(c);
        continue;
      }
      String key = flip ? ConnConfig.flipKey(c.key()) : c.key();
      if (key.equals("auto") && from == conn) {
        kw.put(key, c); // auto= may be repeated (kv_duplicateok): the last one counts
        continue;
      }
      ConfigLoader.Checked prev = kw.putIfAbsent(key, c);
      if (prev != null && !prev.value().equals(c.value()) && !Keyword.isUserKey(key) && !key.equals("auto")) {
        error(c.where().file(), c.where().line(), "duplicate keyword '" + key + "' in conn " + conn.name
            + " with a different value (first set at " + prev.where().file() + ":" + prev.where().line() + ")");
      }
    }
    for (ConfigLoader.Checked a : alsos) {
      boolean childFlip = flip ^ a.key().equals("alsoflip");
      for (String target : Values.list(a.value())) {
        alsoOne(conn, a, target, childFlip, kw, chain, included);
      }
    }
  }

  private void alsoOne(RawSection conn, ConfigLoader.Checked a, String target, boolean flip,
      Map<String, ConfigLoader.Checked> kw, List<String> chain, Set<String> included) {
    if (chain.contains(target)) {
      warning(a.where().file(), a.where().line(), "also= loop in conn " + conn.name + ": "
          + String.join(" -> ", chain) + " -> " + target + " (ignored)");
      return;
    }
    RawSection t = byName.get(target);
    if (t == null) {
      warning(a.where().file(), a.where().line(), a.key() + "=" + target + " in conn " + conn.name
          + ": no conn named '" + target + "'" + (target.equals("%default") ? " (%default cannot be also=-ed)"
              : "") + " (ignored)");
      return;
    }
    if (!included.add(target)) {
      return; // a section is appended once (ipsec.conf(5): "forbidden to append the same section twice")
    }
    chain.add(target);
    merge(conn, t, flip, kw, chain, included);
    chain.remove(chain.size() - 1);
  }

  private boolean hasErrorSince(int index) {
    for (int i = index; i < diags.size(); i++) {
      if (diags.get(i).severity() == Severity.ERROR) {
        return true;
      }
    }
    return false;
  }

  private void warning(java.nio.file.Path file, int line, String message) {
    diags.add(Diagnostic.warning(file, line, message));
  }

  private void error(java.nio.file.Path file, int line, String message) {
    diags.add(Diagnostic.error(file, line, message));
  }
}
