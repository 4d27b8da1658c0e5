package org.openswanj.conf.secrets;

import java.util.List;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.Severity;

/** What loading ipsec.secrets gave: the entries that are valid, and every problem found. */
public record SecretsResult(Secrets secrets, List<Diagnostic> diagnostics) {
  public SecretsResult {
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
  }
}
