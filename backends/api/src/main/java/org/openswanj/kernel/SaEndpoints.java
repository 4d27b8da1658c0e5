package org.openswanj.kernel;

import java.net.InetAddress;
import java.util.Objects;

/** Outer source and destination addresses of an SA. */
public record SaEndpoints(InetAddress src, InetAddress dst) {
  public SaEndpoints {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(dst, "dst");
  }

  public SaEndpoints reversed() {
    return new SaEndpoints(dst, src);
  }
}
