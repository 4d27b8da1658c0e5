package org.openswanj.conf.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.Patterns;
import org.openswanj.conf.Subnet;

/**
 * Reads ipsec.d/policies/{clear,clear-or-private,private-or-clear,private,block} as Openswan's pluto
 * (foodgroups.c) does: one subnet (addr/prefix) or address (a /32, or /128) per line, '#' comments
 * at the start of a line or after white space, blank lines ignored. Unlike Openswan 2.6, IPv6 entries
 * are accepted; host names are not resolved (an error). A bad line is reported and skipped.
 */
public final class PolicyGroupsLoader {
  private PolicyGroupsLoader() {}

  /** Loads every group from {@code policiesDir}; a missing file is an empty group, not an error. */
  public static PolicyGroupsResult load(Path policiesDir) {
    Map<PolicyGroupName, List<Subnet>> groups = new EnumMap<>(PolicyGroupName.class);
    List<Diagnostic> diagnostics = new ArrayList<>();
    for (PolicyGroupName g : PolicyGroupName.values()) {
      Path file = policiesDir.resolve(g.fileName());
      try {
        String text = org.openswanj.conf.RegularFiles.readString(file, StandardCharsets.UTF_8);
        groups.put(g, parse(text, file, diagnostics));
      } catch (NoSuchFileException e) {
        groups.put(g, List.of());
      } catch (IOException e) {
        diagnostics.add(Diagnostic.error(file, 0, "cannot read policy group file: " + e.getMessage()));
      }
    }
    return new PolicyGroupsResult(new PolicyGroups(groups), diagnostics);
  }

  /** Parses one group file's text; problems are added to {@code diagnostics}. */
  public static List<Subnet> parse(String text, Path file, List<Diagnostic> diagnostics) {
    List<Subnet> out = new ArrayList<>();
    Set<Subnet> seen = new HashSet<>();
    String[] lines = Patterns.LINE_BREAK.split(text, -1);
    for (int i = 0; i < lines.length; i++) {
      List<String> words = words(lines[i]);
      if (words.isEmpty()) {
        continue;
      }
      int line = i + 1;
      if (words.size() > 1) {
        diagnostics.add(Diagnostic.error(file, line, "one subnet or address per line; unexpected \""
            + words.get(1) + "\" after \"" + words.get(0) + "\""));
        continue;
      }
      String w = words.get(0);
      try {
        if (w.startsWith("%")) {
          throw new ConfigException("\"" + w + "\" is not an IPv4 or IPv6 address or subnet");
        }
        Subnet s = Subnet.parse(w);
        if (!seen.add(s)) {
          diagnostics.add(Diagnostic.warning(file, line, "duplicate entry " + w + " (ignored)"));
        } else {
          out.add(s);
        }
      } catch (ConfigException e) {
        diagnostics.add(Diagnostic.error(file, line, e.getMessage()));
      }
    }
    return out;
  }

  private static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    for (String w : Patterns.BLANKS.split(line.strip())) {
      if (w.startsWith("#")) {
        break;
      }
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }
}
