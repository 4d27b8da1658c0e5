package org.openswanj.kernel;

import java.util.Objects;

/**
 * What an SA belongs to.
 *
 * @param name the connection name, for logs and {@code ipsec look}
 * @param reqid ties the SA to its policies (the kernel's reqid)
 * @param selector the traffic this SA may carry (checked on inbound decrypted packets, RFC 4301 §5.2)
 */
public record SaBinding(String name, int reqid, Selector selector) {
  public SaBinding {
    Objects.requireNonNull(selector, "selector");
  }
}
