package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Walks testing/conf-corpus: every valid/NAME.conf loads without errors, writes NAME.golden exactly, and
 * re-reads to an equal model; every broken/NAME.conf gives exactly the messages of NAME.expected; every
 * warnings/NAME.conf loads without errors, with exactly the warnings of NAME.expected (Openswan accepts it).
 */
class ConfCorpusTest {
  private static final Path CORPUS = Path.of("../testing/conf-corpus");

  private static List<Path> confs(String dir) throws IOException {
    try (Stream<Path> s = Files.list(CORPUS.resolve(dir))) {
      return s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
  }

  private static Path sibling(Path conf, String ext) {
    String n = conf.getFileName().toString();
    return conf.resolveSibling(n.substring(0, n.length() - ".conf".length()) + ext);
  }

  @Test
  void corpusIsLargeEnough() throws IOException {
    assertTrue(confs("valid").size() >= 40, "valid corpus files: " + confs("valid").size());
    assertTrue(confs("broken").size() >= 15, "broken corpus files: " + confs("broken").size());
  }

  @TestFactory
  List<DynamicTest> validFilesMatchGoldenAndRoundTrip() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path conf : confs("valid")) {
      tests.add(DynamicTest.dynamicTest(conf.getFileName().toString(), () -> {
        LoadResult r = ConfigLoader.load(conf);
        assertFalse(r.hasErrors(), () -> "errors: " + r.diagnostics());
        String written = ConfigWriter.write(r.config());
        assertEquals(Files.readString(sibling(conf, ".golden"), StandardCharsets.UTF_8), written);
        LoadResult again = ConfigLoader.parse(written, conf.resolveSibling("rewritten.conf"));
        assertFalse(again.hasErrors(), () -> "re-read errors: " + again.diagnostics());
        assertEquals(r.config(), again.config(), "round trip changes the model");
        assertEquals(written, ConfigWriter.write(again.config()), "output is not stable");
      }));
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> brokenFilesGiveTheExpectedMessages() throws IOException {
    return expectedMessages("broken", true);
  }

  @TestFactory
  List<DynamicTest> warningFilesLoadWithTheExpectedWarnings() throws IOException {
    return expectedMessages("warnings", false);
  }

  private static List<DynamicTest> expectedMessages(String dir, boolean errors) throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path conf : confs(dir)) {
      tests.add(DynamicTest.dynamicTest(conf.getFileName().toString(), () -> {
        LoadResult r = ConfigLoader.load(conf);
        assertEquals(errors, r.hasErrors(), errors ? "a broken file must have errors" : "warnings only");
        String prefix = conf.getParent().toString() + "/";
        List<String> got = r.diagnostics().stream().map(d -> d.format().replace(prefix, "")).toList();
        List<String> expected = Files.readAllLines(sibling(conf, ".expected"), StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank()).toList();
        assertEquals(expected, got);
      }));
    }
    return tests;
  }

}
