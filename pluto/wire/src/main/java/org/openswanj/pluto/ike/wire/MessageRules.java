package org.openswanj.pluto.ike.wire;

import java.util.List;

/** Which payloads each message must / may carry, checked in one place before any handler runs. */
public final class MessageRules {
  private MessageRules() {}

  public static void check(ExchangeType exchange, boolean response, List<Payload> payloads)
      throws InvalidSyntaxException {
    throw new UnsupportedOperationException("first commit: API only");
  }
}
