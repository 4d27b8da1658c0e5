package org.openswanj.pluto.ike.wire;

import java.util.List;

/** ISAKMP Transform payload (RFC 2408 §3.6) with its SA attributes (RFC 2409 App. A, RFC 2407 §4.5). */
public record V1Transform(int number, int id, List<DataAttribute> attributes) {
  public V1Transform {
    attributes = List.copyOf(attributes);
  }

  /** The first attribute of a type, if present. */
  public java.util.Optional<DataAttribute> attribute(int type) {
    return attributes.stream().filter(a -> a.type() == type).findFirst();
  }
}
