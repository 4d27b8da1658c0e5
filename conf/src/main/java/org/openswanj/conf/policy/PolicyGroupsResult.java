package org.openswanj.conf.policy;

import java.util.List;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.Severity;

/** The policy groups read, and every problem found (each naming file and line). */
public record PolicyGroupsResult(PolicyGroups groups, List<Diagnostic> diagnostics) {
  public PolicyGroupsResult {
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
  }
}
