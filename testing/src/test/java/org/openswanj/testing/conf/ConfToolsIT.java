package org.openswanj.testing.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.testing.lab.Lab;

/**
 * The configuration tools as an administrator runs them, through bin/ipsec (after the build, so in CI too): a
 * valid config passes {@code addconn --checkconfig} silently with exit 0 and {@code readwriteconf} prints its
 * golden; a broken one exits 1 with exactly its expected FILE:LINE messages; {@code ipsec secrets --check}
 * reports every broken secrets file without ever printing a secret.
 *
 * <p>The conf corpus goes through the tools as a sample ({@link #sample}: every {@value #SAMPLE_EVERY}th file of
 * each directory, the first included): each file costs two JVM starts here, and the parsing and writing these
 * tools do are checked on every file of the corpus, in-process, by the conf module's ConfCorpusTest with the
 * same golden and expected files. What this class adds is the tools' own part (exit codes, streams, file
 * names in messages), which the sample covers.
 */
class ConfToolsIT {
  private static final Path TOP = Path.of("..").toAbsolutePath().normalize();
  private static final Path CORPUS = TOP.resolve("testing/conf-corpus");
  private static final Path SECRETS = TOP.resolve("testing/secrets-corpus");

  @TempDir static Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run ipsec(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(TOP.resolve("bin/ipsec").toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/ipsec " + String.join(" ", args) + " did not finish");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static List<Path> files(Path dir, String ext) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(ext)).sorted().toList();
    }
  }

  /** The share of the conf corpus run through the tools: files 0, N, 2N, ... of each sorted directory. */
  static final int SAMPLE_EVERY = 5;

  static List<Path> sample(List<Path> all) {
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += SAMPLE_EVERY) {
      out.add(all.get(i));
    }
    return out;
  }

  private static Path sibling(Path f, String from, String to) {
    String n = f.getFileName().toString();
    return f.resolveSibling(n.substring(0, n.length() - from.length()) + to);
  }

  @TestFactory
  List<DynamicTest> validConfigsCheckSilentlyAndWriteTheirGolden() throws IOException {
    Lab.requirePluto();
    List<DynamicTest> out = new ArrayList<>();
    for (Path conf : sample(files(CORPUS.resolve("valid"), ".conf"))) {
      out.add(DynamicTest.dynamicTest(conf.getFileName().toString(), () -> {
        Run check = ipsec(conf.getParent(), "addconn", "--config", conf.getFileName().toString(), "--checkconfig");
        assertEquals(0, check.code(), check.err());
        assertEquals("", check.out(), "a valid config prints nothing on stdout");
        assertTrue(check.err().lines().allMatch(l -> l.contains(": warning: ")),
            "only warnings (e.g. obsolete keywords) on stderr: " + check.err());
        Run rw = ipsec(conf.getParent(), "readwriteconf", "--config", conf.getFileName().toString());
        assertEquals(0, rw.code(), rw.err());
        assertEquals(Files.readString(sibling(conf, ".conf", ".golden")), rw.out());
      }));
    }
    return out;
  }

  @TestFactory
  List<DynamicTest> brokenConfigsGiveEveryProblemWithFileAndLine() throws IOException {
    Lab.requirePluto();
    List<DynamicTest> out = new ArrayList<>();
    for (Path conf : sample(files(CORPUS.resolve("broken"), ".conf"))) {
      out.add(DynamicTest.dynamicTest(conf.getFileName().toString(), () -> {
        Run check = ipsec(conf.getParent(), "addconn", "--config", conf.getFileName().toString(), "--checkconfig");
        assertEquals(1, check.code(), check.out() + check.err());
        assertEquals("", check.out());
        assertEquals(Files.readString(sibling(conf, ".conf", ".expected")).strip(), check.err().strip());
        assertFalse(check.err().contains("Exception"), "no stack trace");
      }));
    }
    return out;
  }

  /** A copy of the secrets corpus with its secrets files mode 600, as ipsec.secrets should be. */
  private static Path privateCorpus() throws IOException {
    Path dir = tmp.resolve("secrets-corpus");
    if (Files.exists(dir)) {
      return dir;
    }
    try (Stream<Path> all = Files.walk(SECRETS)) {
      for (Path p : all.toList()) {
        Path to = dir.resolve(SECRETS.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
          if (p.toString().endsWith(".secrets") || p.toString().endsWith(".pem")) {
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
          }
        }
      }
    }
    return dir;
  }

  @TestFactory
  List<DynamicTest> brokenSecretsAreReportedWithoutTheSecret() throws IOException {
    Lab.requirePluto();
    List<DynamicTest> out = new ArrayList<>();
    for (Path f : files(SECRETS, ".secrets")) {
      if (!f.getFileName().toString().startsWith("broken-")) {
        continue;
      }
      out.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
        Path dir = privateCorpus();
        Path copy = dir.resolve(f.getFileName());
        Run check = ipsec(dir, "secrets", "--secretsfile", copy.toString(), "--ipsecdir",
            dir.resolve("ipsec.d").toString(), "--check");
        assertEquals(1, check.code(), check.out() + check.err());
        assertFalse((check.out() + check.err()).contains("TOPSECRET"), "a secret was printed");
        // NAME.expected holds "LINE: message"; the tool prints "FILE:LINE: message"
        for (String expected : Files.readAllLines(sibling(f, ".secrets", ".expected"), StandardCharsets.UTF_8)) {
          if (!expected.isBlank()) {
            String want = copy + ":" + expected.replace("@DIR@", dir.toString());
            assertTrue(check.err().lines().anyMatch(l -> l.equals(want)), "missing: " + want + "\n" + check.err());
          }
        }
      }));
    }
    return out;
  }
}
