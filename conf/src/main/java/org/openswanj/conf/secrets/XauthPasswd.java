package org.openswanj.conf.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Crypt;

/**
 * Openswan's XAUTH user file, {@code /etc/ipsec.d/passwd}: one {@code user:crypt-hash[:conn]} per line; a line
 * naming a conn is good for that conn only. Hashes are crypt(3) forms commons-codec verifies: MD5 ({@code $1$}),
 * SHA-256 ({@code $5$}), SHA-512 ({@code $6$}) and traditional DES (13 characters). Every other form (bcrypt
 * {@code $2b$}, yescrypt {@code $y$}, a locked {@code !…}/{@code *}, an empty or clear-text field) is refused, with
 * the line number, and never matches. Pure: no I/O (the caller reads the file), secrets never in messages.
 */
public final class XauthPasswd {
  /** Why a user was (not) accepted. */
  public enum Verdict { OK, NO_SUCH_USER, WRONG_PASSWORD, UNSUPPORTED_HASH }

  /** One line: user, hash, the conn it is limited to (empty: every conn) and where it was read. */
  public record Entry(String user, String hash, Optional<String> conn, int line) {
    @Override
    public String toString() {
      return "Entry[" + user + " line " + line + "]"; // never the hash
    }
  }

  private static final Pattern DES = Pattern.compile("[./0-9A-Za-z]{13}");
  private static final Pattern MODULAR = Pattern.compile("\\$[156]\\$[^:]+");

  private final List<Entry> entries;
  private final List<String> problems;

  private XauthPasswd(List<Entry> entries, List<String> problems) {
    this.entries = List.copyOf(entries);
    this.problems = List.copyOf(problems);
  }

  /** Parses the file's text; {@code source} names it in problems ({@code /etc/ipsec.d/passwd:3: …}). */
  public static XauthPasswd parse(String text, String source) {
    List<Entry> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split(":", -1);
      if (f.length < 2 || f.length > 3 || f[0].isEmpty()) {
        problems.add(source + ":" + (i + 1) + ": not user:crypt-hash[:conn]; line ignored");
        continue;
      }
      if (!supported(f[1])) {
        problems.add(source + ":" + (i + 1) + ": user " + f[0] + ": the password hash is not an MD5 ($1$), "
            + "SHA-256 ($5$), SHA-512 ($6$) or DES crypt hash; this user cannot log in");
      }
      Optional<String> conn = f.length == 3 && !f[2].isEmpty() ? Optional.of(f[2]) : Optional.empty();
      out.add(new Entry(f[0], f[1], conn, i + 1));
    }
    return new XauthPasswd(out, problems);
  }

  /** True for the crypt(3) forms we verify. */
  public static boolean supported(String hash) {
    return MODULAR.matcher(hash).matches() || DES.matcher(hash).matches();
  }

  /** Lines that were ignored or can never match, with file:line. */
  public List<String> problems() {
    return problems;
  }

  /** Checks {@code user}'s password for {@code conn}: the first line for that user and conn (or for any conn). */
  public Verdict check(String conn, String user, byte[] password) {
    for (Entry e : entries) {
      if (!e.user().equals(user) || e.conn().map(c -> !c.equals(conn)).orElse(false)) {
        continue;
      }
      if (!supported(e.hash())) {
        return Verdict.UNSUPPORTED_HASH;
      }
      String computed;
      try {
        computed = Crypt.crypt(password, e.hash());
      } catch (IllegalArgumentException bad) {
        return Verdict.UNSUPPORTED_HASH; // a salt commons-codec refuses
      }
      return MessageDigest.isEqual(computed.getBytes(StandardCharsets.UTF_8), e.hash().getBytes(StandardCharsets.UTF_8))
          ? Verdict.OK : Verdict.WRONG_PASSWORD;
    }
    return Verdict.NO_SUCH_USER;
  }
}
