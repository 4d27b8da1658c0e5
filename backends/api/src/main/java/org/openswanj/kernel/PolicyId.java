package org.openswanj.kernel;

import java.util.Objects;

/** A policy's identity: its selector and direction. */
public record PolicyId(Selector selector, PolicyDirection direction) {
  public PolicyId {
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(direction, "direction");
  }
}
