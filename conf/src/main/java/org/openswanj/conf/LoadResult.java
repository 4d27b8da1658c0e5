package org.openswanj.conf;

import java.util.List;

/** A parsed configuration and every problem found on the way (the config is usable only without errors). */
public record LoadResult(IpsecConf config, List<Diagnostic> diagnostics) {
  public LoadResult {
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
  }

  public boolean hasWarnings() {
    return diagnostics.stream().anyMatch(d -> d.severity() == Severity.WARNING);
  }
}
