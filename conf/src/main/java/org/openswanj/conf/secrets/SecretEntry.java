package org.openswanj.conf.secrets;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.openswanj.conf.id.Identity;

/**
 * One entry of ipsec.secrets: its index list (selectors; empty for a bare {@code : PSK ...}), the kind
 * and the secret (whose toString is redacted), and where it was read.
 */
public record SecretEntry(List<Identity> selectors, SecretKind kind, Secret secret, Path file, int line) {
  public SecretEntry {
    selectors = List.copyOf(selectors);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(secret, "secret");
  }

  /** The selectors as written back: DNs in quotes, others as Openswan prints them. */
  public String selectorText() {
    StringBuilder b = new StringBuilder();
    for (Identity id : selectors) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(id.kind() == Identity.Kind.DER_ASN1_DN ? "\"" + id + "\"" : id.toString());
    }
    return b.toString();
  }
}
