package org.openswanj.conf.fuzz;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.Keyword;

/**
 * The ipsec.conf target's dictionary (testing/fuzz/dict/ipsec-conf.dict, which run-fuzz gives libFuzzer in place of
 * Jazzer's compare hooks) holds every keyword of {@link Keyword} as it is written, with its '=', and its accepted
 * values: a keyword added to the table without it would be left for the mutations to find byte by byte.
 */
class FuzzDictionaryTest {
  private static final Path DICT =
      Path.of("..", "testing", "fuzz", "dict", "ipsec-conf.dict").toAbsolutePath().normalize();

  @Test
  void everyKeywordAndValueIsInTheDictionary() throws IOException {
    Set<String> entries = entries(DICT);
    List<String> missing = new ArrayList<>();
    for (Keyword k : Keyword.values()) {
      List<String> names = new ArrayList<>(k.aliases());
      names.add(k.keywordName());
      for (String n : names) {
        List<String> forms = k.isLeftRight() ? List.of("left" + n, "right" + n) : List.of(n);
        for (String f : forms) {
          if (!f.isEmpty() && !entries.contains(f + "=")) {
            missing.add(f + "=");
          }
        }
      }
      for (String v : k.acceptedValues()) {
        if (!entries.contains(v)) {
          missing.add(v);
        }
      }
    }
    assertEquals(List.of(), missing, "entries missing from " + DICT);
  }

  @Test
  void everyDictionaryParsesAsLibFuzzerReadsIt() throws IOException {
    for (String name : List.of("ipsec-conf.dict", "ipsec-secrets.dict", "policy-group.dict")) {
      assertFalse(entries(DICT.resolveSibling(name)).isEmpty(), name);
    }
  }

  /**
   * The entries of a libFuzzer dictionary: lines {@code "text"} or {@code name="text"} with {@code \\}, {@code \"}
   * and {@code \xNN} escapes; '#' lines and blank lines are comments. Anything else is an error, as for libFuzzer.
   */
  private static Set<String> entries(Path dict) throws IOException {
    Set<String> out = new HashSet<>();
    for (String line : Files.readAllLines(dict, StandardCharsets.ISO_8859_1)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int open = l.indexOf('"');
      assertTrue(open >= 0 && l.endsWith("\"") && l.length() - open >= 3, () -> dict + ": not an entry: " + line);
      out.add(unescape(l.substring(open + 1, l.length() - 1), line));
    }
    return out;
  }

  private static String unescape(String s, String line) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        assertNotEquals('"', c, () -> "an unescaped quote: " + line);
        b.append(c);
      } else if (i + 1 < s.length() && (s.charAt(i + 1) == '\\' || s.charAt(i + 1) == '"')) {
        b.append(s.charAt(++i));
      } else {
        assertTrue(i + 3 < s.length() && s.charAt(i + 1) == 'x', () -> "a bad escape: " + line);
        b.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
        i += 3;
      }
    }
    return b.toString();
  }
}
