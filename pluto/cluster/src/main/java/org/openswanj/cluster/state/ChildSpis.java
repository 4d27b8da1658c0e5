package org.openswanj.cluster.state;

import java.util.Objects;
import org.openswanj.kernel.IpsecProto;

/** The SPIs of a Child SA pair (RFC 7296 §1.3): the one we receive on and the one we send with. */
public record ChildSpis(int inbound, int outbound, IpsecProto proto) {
  public ChildSpis {
    Objects.requireNonNull(proto, "proto");
  }
}
