package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code modecfgbanner=} (Libreswan's keyword): left/right prefixed, bare for the right end, bounded. */
class ModecfgBannerTest {
  private static LoadResult load(String kw) {
    return ConfigLoader.parse("config setup\n\nconn c\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tauthby=secret\n"
        + kw, Path.of("test.conf"));
  }

  private static ConnConfig conn(String kw) {
    LoadResult r = load(kw);
    assertTrue(r.diagnostics().isEmpty(), r.diagnostics().toString());
    return r.config().conns().stream().filter(x -> x.name().equals("c")).findFirst().orElseThrow();
  }

  @Test
  void prefixedAndBareForms() {
    assertEquals(Optional.of("Hello left"), conn("\tleftmodecfgbanner=\"Hello left\"\n").left().modecfg().banner());
    ConnConfig bare = conn("\tmodecfgbanner=\"Authorised use only\"\n");
    assertEquals(Optional.of("Authorised use only"), bare.right().modecfg().banner(), "bare is the right end's");
    assertEquals(Optional.empty(), bare.left().modecfg().banner());
    assertEquals(Optional.empty(), conn("").right().modecfg().banner());
  }

  @Test
  void aBannerOver4096BytesIsOneClearError() {
    LoadResult r = load("\trightmodecfgbanner=\"" + "x".repeat(4097) + "\"\n");
    assertTrue(r.diagnostics().toString().contains("rightmodecfgbanner=: longer than 4096 bytes"),
        r.diagnostics().toString());
  }
}
