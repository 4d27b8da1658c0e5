package org.openswanj.conf.fuzz;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.net.InetAddresses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.LoadResult;
import org.openswanj.conf.policy.PolicyGroupsLoader;
import org.openswanj.conf.secrets.HostResolver;
import org.openswanj.conf.secrets.SecretsLoader;
import org.openswanj.conf.secrets.SecretsResult;

/**
 * Fuzz targets for the configuration readers (testing/fuzz/run-fuzz; the normal test run replays the seeds in
 * ConfFuzzTestInputs/, taken from testing/conf-corpus and testing/secrets-corpus). Invariant: the loaders never
 * throw on content (every problem is a diagnostic naming file and line), and no diagnostic of ipsec.secrets
 * shows a secret.
 */
class ConfFuzzTest {
  /**
   * A directory that does not exist: includes relative to it find nothing; an absolute one may match this machine's
   * files, which the ipsec.conf target does not read (`include /*` read a kernel image: 122 s for one input).
   */
  private static final Path NOWHERE = Path.of("/nonexistent-openswanj-fuzz");
  /**
   * Where the secrets target's file lives: a file system in memory (Jimfs), so that its includes and key files
   * resolve there and never reach this machine's files (`include /*` read /etc and kernel images, `include
   * /proc/*` blocked in /proc/kmsg, and an include continued on an indented line escaped any rewrite of the
   * text). It holds one includable secrets file and an empty ipsec.d/private, so that includes can succeed.
   */
  private static final java.nio.file.FileSystem MEMORY = memoryFileSystem();
  private static final Path SECRETS_DIR = MEMORY.getPath("/etc/ipsec.d");
  private static final Path SECRETS = MEMORY.getPath("/etc/ipsec.secrets");

  private static java.nio.file.FileSystem memoryFileSystem() {
    java.nio.file.FileSystem fs = com.google.common.jimfs.Jimfs.newFileSystem(
        com.google.common.jimfs.Configuration.unix().toBuilder().setWorkingDirectory("/etc").build());
    try {
      java.nio.file.Files.createDirectories(fs.getPath("/etc/ipsec.d/private"));
      java.nio.file.Files.writeString(fs.getPath("/etc/ipsec.d/peers.secrets"),
          "192.0.2.1 192.0.2.2 : PSK \"an included secret\"\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return fs;
  }

  @FuzzTest
  void ipsecConf(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    LoadResult r = ConfigLoader.parse(text, NOWHERE.resolve("ipsec.conf"), file -> null);
    assertNotNull(r.config());
    checkDiagnostics(r.diagnostics(), text);
  }

  /**
   * Every "TOPSECRET" in the input stands where a secret is written (the seeds are the secrets corpus, whose
   * broken entries all contain it): no diagnostic may show it, except one about an include, which names a file,
   * one quoting an index in which the mutations put it: a quoted part of the message that the entry has
   * before its ':' (an ID the admin wrote to be matched, which a diagnostic may name), and one naming the file
   * of an {@code RSA file} / {@code ECDSA file} entry (a path, not a secret; its passphrase is the word after it).
   * A line without ':' has no index part unless it ends in a quoted secret (the legacy form): what it shows of
   * such a line is a leak (issue 13 item 4, a secret whose ':' was forgotten).
   *
   * <p>The input is read as {@link #SECRETS} in {@link #MEMORY}: the include code runs whole (glob expansion,
   * depth, diagnostics) but over files in memory only.
   */
  @FuzzTest
  void ipsecSecrets(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    SecretsResult r = SecretsLoader.parse(text, SECRETS, SECRETS_DIR, HostResolver.none());
    assertNotNull(r.secrets());
    checkDiagnostics(r.diagnostics(), text);
    String[] lines = text.split("\n", -1);
    for (Diagnostic d : r.diagnostics()) {
      if (d.file() != null && !d.file().equals(SECRETS)) {
        continue; // a file an include reached: not the input
      }
      // the keyword is case-insensitive, as Openswan's tokeqword compares it
      boolean include = d.line() >= 1 && d.line() <= lines.length
          && lines[d.line() - 1].toLowerCase(java.util.Locale.ROOT).contains("include");
      if (!include && d.message().contains("TOPSECRET")) {
        String entry = d.line() >= 1 && d.line() <= lines.length ? entry(lines, entryStart(lines, d.line() - 1)) : "";
        assertTrue(namesOnly(d.message(), indexPart(entry), keyFile(entry)),
            () -> "a secret in a diagnostic: " + d.format());
      }
    }
  }

  /**
   * The line the entry holding {@code line} starts on: a diagnostic names the line of the token it is about, which
   * may be a continuation line (an RSA entry's key file on the next, indented line).
   */
  private static int entryStart(String[] lines, int line) {
    int i = line;
    while (i > 0) {
      String l = lines[i];
      String words = l.substring(leadingSpace(l));
      boolean skipped = words.isEmpty() || words.startsWith("#");
      if (!skipped && !isSpace(l.charAt(0))) {
        return i;
      }
      i--;
    }
    return i;
  }

  /**
   * The entry starting at {@code line}, with its indented continuation lines; as in {@code SecretsLexer}, blank and
   * comment lines between them neither end nor continue it.
   */
  private static String entry(String[] lines, int line) {
    StringBuilder entry = new StringBuilder(lines[line]);
    for (int i = line + 1; i < lines.length; i++) {
      String l = lines[i];
      String words = l.substring(leadingSpace(l));
      if (words.isEmpty() || words.startsWith("#")) {
        continue;
      }
      if (!isSpace(l.charAt(0))) {
        break;
      }
      entry.append('\n').append(l);
    }
    return entry.toString();
  }

  /**
   * The entry up to its ':'; without one, up to a quoted last word (the legacy form {@code indices "secret"} of
   * ipsec.secrets(5)), a comment after it left out, else "".
   */
  private static String indexPart(String entry) {
    int colon = separator(entry);
    if (colon >= 0) {
      return entry.substring(0, colon);
    }
    String e = withoutComments(entry).stripTrailing();
    char q = e.isEmpty() ? 0 : e.charAt(e.length() - 1);
    int open = q == '"' || q == '\'' ? e.lastIndexOf(q, e.length() - 2) : -1;
    return open < 0 ? "" : e.substring(0, open);
  }

  /** The entry with its comments left out, read as {@link #separator} reads it. */
  private static String withoutComments(String entry) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < entry.length()) {
      char c = entry.charAt(i);
      int eol = entry.indexOf('\n', i);
      eol = eol < 0 ? entry.length() : eol;
      int end;
      if (isSpace(c)) {
        end = i + 1;
      } else if (c == '#') {
        i = eol;
        continue;
      } else if (c == '"' || c == '\'') {
        int close = entry.indexOf(c, i + 1);
        end = close < 0 || close > eol ? eol : close + 1;
      } else {
        end = i;
        while (end < entry.length() && !isSpace(entry.charAt(end))) {
          end++;
        }
      }
      out.append(entry, i, end);
      i = end;
    }
    return out.toString();
  }

  /**
   * Where the ':' between indices and key is, as {@code SecretsLexer} reads the entry: a ':' that ends a word which
   * is not an IP address ({@code 2001:db8::} is an index; an IPv6 index has other ':'s), outside quotes (a quoted DN
   * may hold others), or -1. As in the lexer, a quote opens only at the start of a word ({@code CN=*"} is a word)
   * and closes on its line, and a '#' at the start of a word comments out the rest of its line.
   */
  private static int separator(String entry) {
    int i = 0;
    while (i < entry.length()) {
      char c = entry.charAt(i);
      int eol = entry.indexOf('\n', i);
      eol = eol < 0 ? entry.length() : eol;
      if (isSpace(c)) {
        i++;
      } else if (c == '#') {
        i = eol;
      } else if (c == '"' || c == '\'') {
        int close = entry.indexOf(c, i + 1);
        i = close < 0 || close > eol ? eol : close + 1;
      } else {
        int end = i;
        while (end < entry.length() && !isSpace(entry.charAt(end))) {
          end++;
        }
        String word = entry.substring(i, end);
        if (word.endsWith(":") && (word.length() == 1 || !InetAddresses.isInetAddress(word))) {
          return end - 1;
        }
        i = end;
      }
    }
    return -1;
  }

  /** The file name of an {@code : RSA file} or {@code : ECDSA file} entry, or "". */
  private static String keyFile(String entry) {
    int colon = separator(entry);
    String rest = colon < 0 ? "" : entry.substring(colon + 1);
    String[] w = rest.substring(leadingSpace(rest)).split("[ \t\n\u000b\f\r]+");
    return w.length >= 2 && (w[0].equalsIgnoreCase("RSA") || w[0].equalsIgnoreCase("ECDSA")) ? w[1] : "";
  }

  /**
   * Every "TOPSECRET" the message shows is inside a word (up to a blank or a quote, a leading '@' dropped) that the
   * index part holds, or whose last path element the key file's name holds: the message names an index or a file,
   * not a secret.
   */
  private static boolean namesOnly(String message, String indexPart, String keyFile) {
    for (int at = message.indexOf("TOPSECRET"); at >= 0; at = message.indexOf("TOPSECRET", at + 1)) {
      int from = at;
      while (from > 0 && !isBoundary(message.charAt(from - 1))) {
        from--;
      }
      int to = at;
      while (to < message.length() && !isBoundary(message.charAt(to))) {
        to++;
      }
      String word = message.substring(from, to);
      if (word.startsWith("@")) {
        word = word.substring(1);
      }
      if (word.endsWith(":")) {
        word = word.substring(0, word.length() - 1); // "cannot read private key file NAME: reason"
      }
      String fileName = word.substring(word.lastIndexOf('/') + 1);
      if (!indexPart.contains(word) && (keyFile.isEmpty() || !keyFile.contains(fileName))) {
        return false;
      }
    }
    return true;
  }

  /** How many blanks {@code s} starts with. */
  private static int leadingSpace(String s) {
    int i = 0;
    while (i < s.length() && isSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** What the secrets lexer counts as a blank (C's isspace). */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
  }

  private static boolean isBoundary(char c) {
    return isSpace(c) || c == '"' || c == '\'' || c == ',';
  }

  @FuzzTest
  void policyGroup(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    List<Diagnostic> diags = new ArrayList<>();
    assertNotNull(PolicyGroupsLoader.parse(text, NOWHERE.resolve("policies/private"), diags));
    checkDiagnostics(diags, text);
  }

  private static void checkDiagnostics(List<Diagnostic> diags, String text) {
    int lines = text.split("\n", -1).length;
    for (Diagnostic d : diags) {
      assertNotNull(d.file(), "a diagnostic names its file");
      assertNotNull(d.message());
      assertFalse(d.message().isBlank(), "a diagnostic says what");
      if (d.file().startsWith(NOWHERE)) {
        assertTrue(d.line() >= 0 && d.line() <= lines + 1, () -> "line out of the file: " + d.format());
      }
    }
  }
}
