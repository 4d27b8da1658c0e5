package org.openswanj.conf.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.openswanj.conf.Diagnostic;

/**
 * Reads ipsec.secrets as Openswan 2.6 does (ipsec.secrets(5)): entries, {@code include} with globs
 * relative to the including file (nested at most 10 deep), key files relative to
 * {@code ipsecdir/private}. Never throws on content: every problem is a {@link Diagnostic} naming the
 * file and line, and no message contains a secret. A bad entry is left out; the rest are kept.
 */
public final class SecretsLoader {
  private static final int MAX_DEPTH = 10;
  /**
   * Errors after which the rest of a file is skipped, as ipsec.conf's parser does: {@code include /*} reached a
   * kernel image and an initrd, 296,093 diagnostics and 9-20 s for one 29-byte input (ConfFuzzTest#ipsecSecrets).
   */
  static final int MAX_ERRORS_PER_FILE = 100;

  private final Path ipsecDir;
  private final HostResolver resolver;
  private final List<SecretEntry> entries = new ArrayList<>();
  private final List<Diagnostic> diagnostics = new ArrayList<>();

  private SecretsLoader(Path ipsecDir, HostResolver resolver) {
    this.ipsecDir = ipsecDir;
    this.resolver = resolver;
  }

  /** Loads {@code file}; host-name indices are resolved with the system resolver, as Openswan does. */
  public static SecretsResult load(Path file, Path ipsecDir) {
    return load(file, ipsecDir, HostResolver.system());
  }

  public static SecretsResult load(Path file, Path ipsecDir, HostResolver resolver) {
    SecretsLoader l = new SecretsLoader(ipsecDir, resolver);
    l.loadFile(file.toAbsolutePath().normalize(), 0);
    return l.result();
  }

  /** Parses {@code text} as if read from {@code nominalPath} (includes are relative to it). */
  public static SecretsResult parse(String text, Path nominalPath, Path ipsecDir) {
    return parse(text, nominalPath, ipsecDir, HostResolver.system());
  }

  public static SecretsResult parse(String text, Path nominalPath, Path ipsecDir, HostResolver resolver) {
    SecretsLoader l = new SecretsLoader(ipsecDir, resolver);
    // The lexer works on the file's bytes, one char per byte.
    l.process(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1),
        nominalPath, 0);
    return l.result();
  }

  private SecretsResult result() {
    return new SecretsResult(new Secrets(entries), diagnostics);
  }

  private void loadFile(Path file, int depth) {
    byte[] data;
    try {
      data = org.openswanj.conf.RegularFiles.readText(file);
    } catch (NoSuchFileException e) {
      diagnostics.add(Diagnostic.error(file, 0, "secrets file does not exist"));
      return;
    } catch (IOException e) {
      diagnostics.add(Diagnostic.error(file, 0, "cannot read secrets file: " + e.getMessage()));
      return;
    }
    checkPermissions(file);
    process(new String(data, StandardCharsets.ISO_8859_1), file, depth);
  }

  private void checkPermissions(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
        diagnostics.add(Diagnostic.warning(file, 0,
            "secrets file is readable by group or others (it should be mode 600, owned by root)"));
      }
    } catch (IOException | UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to check.
    }
  }

  private void process(String text, Path file, int depth) {
    EntryParser parser = new EntryParser(file, ipsecDir, resolver);
    int[] errors = {0};
    SecretsLexer.records(text, r -> {
      if (errors[0] >= MAX_ERRORS_PER_FILE) {
        diagnostics.add(Diagnostic.error(file, r.line(), MAX_ERRORS_PER_FILE
            + " errors: the rest of the file is skipped (is it an ipsec.secrets?)"));
        return false;
      }
      if (r.error() != null) {
        errors[0]++;
        diagnostics.add(Diagnostic.error(file, r.errorLine(), r.error()));
      } else if (r.tokens().get(0).is("include")) {
        include(r, file, depth);
      } else {
        try {
          entries.add(parser.parse(r));
        } catch (EntryParser.RecordException e) {
          errors[0]++;
          diagnostics.add(Diagnostic.error(file, e.line, e.getMessage()));
        }
      }
      return true;
    });
  }

  private void include(SecretsLexer.Record r, Path file, int depth) {
    if (r.tokens().size() != 2) {
      diagnostics.add(Diagnostic.error(file, r.line(), r.tokens().size() < 2
          ? "unexpected end of include directive: no file name"
          : "malformed include: expected one file name (with no white space) after include"));
      return;
    }
    if (depth >= MAX_DEPTH) {
      diagnostics.add(Diagnostic.error(file, r.line(), "include nested too deeply (more than "
          + MAX_DEPTH + " levels)"));
      return;
    }
    String name = r.tokens().get(1).text();
    Path p;
    try {
      p = file.getFileSystem().getPath(name); // the file system of the file naming it
    } catch (java.nio.file.InvalidPathException e) {
      diagnostics.add(Diagnostic.error(file, r.line(), "include: not a valid path (" + e.getReason() + ")"));
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Path pattern = (p.isAbsolute() || dir == null ? p : dir.resolve(p)).normalize();
    List<Path> files;
    try {
      files = Globs.expand(pattern);
    } catch (IOException e) {
      diagnostics.add(Diagnostic.error(file, r.line(), "include " + name + ": " + e.getMessage()));
      return;
    }
    if (files.isEmpty()) {
      if (org.openswanj.conf.Glob.hasMeta(name)) {
        diagnostics.add(Diagnostic.warning(file, r.line(), "no secrets file matched \"" + pattern + "\""));
      } else {
        diagnostics.add(Diagnostic.error(file, r.line(), "included file " + pattern + " does not exist"));
      }
    }
    for (Path f : files) {
      loadFile(f, depth + 1);
    }
  }
}
