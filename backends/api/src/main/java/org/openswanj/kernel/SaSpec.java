package org.openswanj.kernel;

import java.util.Objects;

/**
 * An SA's data; its identity (dst, SPI, protocol) is the {@link SaId} it is installed under.
 *
 * @param direction whether we receive or send on it
 * @param transform algorithms and keys
 * @param encapsulation mode and UDP encapsulation
 * @param replay anti-replay window and ESN
 * @param binding conn name, reqid and selector
 * @param lifetime the kernel's limits
 */
public record SaSpec(Direction direction, SaTransform transform, Encapsulation encapsulation, Replay replay,
    SaBinding binding, Lifetime lifetime) {
  public SaSpec {
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(transform, "transform");
    Objects.requireNonNull(encapsulation, "encapsulation");
    Objects.requireNonNull(replay, "replay");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(lifetime, "lifetime");
  }

  public boolean inbound() {
    return direction == Direction.INBOUND;
  }
}
