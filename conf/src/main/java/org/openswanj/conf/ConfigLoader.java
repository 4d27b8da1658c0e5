package org.openswanj.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads ipsec.conf as Openswan 2.6 does (lib/libipsecconf/confread.c): syntax, keyword table, values,
 * {@code %default}, {@code also=}/{@code alsoflip=}, defaults, and the implicit OE conns. Never throws on
 * content: every problem is a {@link Diagnostic} naming file and line, and all of them are reported.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** A keyword line that passed its checks: canonical name, value, and where it was written. */
  record Checked(String key, String value, RawSection.Entry where) {}

  /** Loads a file, following includes. An unreadable file is an error diagnostic, not an exception. */
  public static LoadResult load(Path ipsecConf) {
    String text = ConfParser.readFile(ipsecConf);
    if (text == null) {
      List<Diagnostic> d = List.of(Diagnostic.error(ipsecConf, 0, "cannot read " + ipsecConf));
      return new LoadResult(emptyConfig(), d);
    }
    return parse(text, ipsecConf);
  }

  /** Parses text as if read from {@code nominalPath} (includes are resolved relative to it). */
  public static LoadResult parse(String text, Path nominalPath) {
    return parse(text, nominalPath, ConfParser::readFile);
  }

  /**
   * The same, with included files read by {@code reader} (their text, or null when unreadable): a parse that must
   * not read the disk (the fuzz target: an absolute include names this machine's files) gives one that reads none.
   */
  public static LoadResult parse(String text, Path nominalPath, Function<Path, String> reader) {
    List<Diagnostic> diags = new ArrayList<>();
    ConfParser parser = new ConfParser(diags, reader);
    parser.parse(text, nominalPath, 0);
    SetupConfig setup = setup(parser.sections(), diags);
    List<RawSection> sections = new ArrayList<>(parser.sections());
    List<RawSection> implicit = setup.oe() ? implicitConns(sections) : List.of();
    Map<RawSection, List<Checked>> checked = new HashMap<>();
    for (RawSection s : sections) {
      if (s.kind == RawSection.Kind.CONN) {
        checked.put(s, checkEntries(s, diags));
      }
    }
    List<Diagnostic> implicitDiags = new ArrayList<>();
    for (RawSection s : implicit) {
      checked.put(s, checkEntries(s, implicitDiags));
    }
    List<ConnConfig> conns = new ConnResolver(sections, implicit, checked, diags).resolveAll();
    diags.sort(java.util.Comparator.comparing((Diagnostic d) -> d.file().toString())
        .thenComparingInt(Diagnostic::line));
    return new LoadResult(new IpsecConf(setup, conns), diags);
  }

  private static IpsecConf emptyConfig() {
    try {
      return new IpsecConf(SetupBuilder.build(Map.of()), List.of());
    } catch (ConfigException e) {
      throw new IllegalStateException("defaults must parse", e);
    }
  }

  private static SetupConfig setup(List<RawSection> sections, List<Diagnostic> diags) {
    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, RawSection.Entry> firstAt = new HashMap<>();
    for (RawSection s : sections) {
      if (s.kind != RawSection.Kind.SETUP) {
        continue;
      }
      for (Checked c : checkEntries(s, diags)) {
        RawSection.Entry prev = firstAt.putIfAbsent(c.key(), c.where());
        if (prev != null && !raw.get(c.key()).equals(c.value())) {
          diags.add(Diagnostic.error(c.where().file(), c.where().line(), "duplicate keyword '" + c.key()
              + "' in config setup (first set at " + prev.file() + ":" + prev.line() + ")"));
          continue;
        }
        raw.put(c.key(), c.value());
      }
    }
    try {
      return SetupBuilder.build(raw);
    } catch (ConfigException e) {
      diags.add(Diagnostic.error(sections.isEmpty() ? Path.of("") : sections.get(0).file, 0, e.getMessage()));
      return emptyConfig().setup();
    }
  }

  /** Looks each line up in the keyword table and checks its value; reports problems at its line. */
  static List<Checked> checkEntries(RawSection s, List<Diagnostic> diags) {
    List<Checked> out = new ArrayList<>();
    boolean setup = s.kind == RawSection.Kind.SETUP;
    for (RawSection.Entry e : s.entries) {
      if (Keyword.isUserKey(e.key())) {
        out.add(new Checked(e.key(), e.value(), e));
        continue;
      }
      var ref = Keyword.lookup(e.key());
      if (ref.isEmpty()) {
        diags.add(Diagnostic.error(e.file(), e.line(), "unknown keyword '" + e.key() + "'"
            + (setup ? " in config setup" : " in conn " + s.name)));
        continue;
      }
      Keyword k = ref.get().keyword();
      if ((k.section() == Keyword.Section.SETUP) != setup) {
        diags.add(Diagnostic.error(e.file(), e.line(), "keyword '" + e.key() + "' is not valid in "
            + (setup ? "config setup (it is a conn keyword)" : "a conn (it belongs in config setup)")));
        continue;
      }
      if (k.isObsolete()) {
        diags.add(Diagnostic.warning(e.file(), e.line(), "obsolete keyword '" + e.key() + "' ignored"));
        continue;
      }
      if (e.value().isEmpty()) {
        continue; // parser.y: "KEYWORD EQUAL" alone is meaningless and ignored
      }
      try {
        Values.check(ref.get(), e.value());
        out.add(new Checked(ref.get().canonicalName(), e.value(), e));
      } catch (ConfigException ex) {
        diags.add(Diagnostic.error(e.file(), e.line(), ex.getMessage()));
      }
    }
    return out;
  }

  private static List<RawSection> implicitConns(List<RawSection> userSections) {
    ConfParser p = new ConfParser(new ArrayList<>(), f -> null);
    p.parse(ImplicitConns.TEXT, Path.of("<implicit>"), 0);
    List<RawSection> out = new ArrayList<>();
    for (RawSection s : p.sections()) {
      if (userSections.stream().noneMatch(u -> u.kind == RawSection.Kind.CONN && u.name.equals(s.name))) {
        out.add(s);
      }
    }
    return out;
  }
}
