package org.openswanj.kernel;

import java.net.InetAddress;
import java.util.Objects;

/** An SA's identity (RFC 4301 §4.1): destination, SPI and protocol. The source is kept for kernels that key on it. */
public record SaId(InetAddress src, InetAddress dst, int spi, IpsecProto proto) {
  public SaId {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(dst, "dst");
    Objects.requireNonNull(proto, "proto");
  }

  @Override
  public String toString() {
    return String.format("%s:0x%08x@%s", proto.name().toLowerCase(java.util.Locale.ROOT), spi, dst.getHostAddress());
  }
}
