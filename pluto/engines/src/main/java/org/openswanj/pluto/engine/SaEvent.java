package org.openswanj.pluto.engine;

/** The kinds of event addressed to one SA (DESIGN.md "Inside pluto"); each enters through {@link SaGuard}. */
public enum SaEvent {
  DATAGRAM("datagram"),
  TIMER("timer"),
  HELPER_RESULT("helper result"),
  WHACK("whack command"),
  /** An expire or acquire from the kernel backend. */
  KERNEL("kernel event");

  private final String words;

  SaEvent(String words) {
    this.words = words;
  }

  @Override
  public String toString() {
    return words;
  }
}
