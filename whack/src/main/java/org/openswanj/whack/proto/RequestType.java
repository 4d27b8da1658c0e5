package org.openswanj.whack.proto;

import java.util.Optional;

/** The request numbers of the whack protocol (whack/PROTOCOL.md); never renumber, only add. */
public enum RequestType {
  ADD_CONN(1), DELETE_CONN(2), INITIATE(3), TERMINATE(4), ROUTE(5), UNROUTE(6),
  STATUS(7), TRAFFIC_STATUS(8), LOOK(9), LISTEN(10), UNLISTEN(11), SHUTDOWN(12),
  REREAD_SECRETS(13), REREAD_ALL(14), LIST_PUBKEYS(15), LIST_ALL(16), DEBUG(17),
  SHUNT_STATUS(18), REPLACE_CONN(19), CONN_NAMES(20), LIST_EVENTS(21),
  DELETE_STATE(22), LIST_CERTS(23), LIST_CACERTS(24), LIST_CRLS(25), REREAD_CACERTS(26), REREAD_CRLS(27),
  XAUTH_CREDENTIALS(28), METRICS(29), OPPO_INITIATE(30);

  private final int wireValue;

  RequestType(int wireValue) {
    this.wireValue = wireValue;
  }

  public int wireValue() {
    return wireValue;
  }

  /** The type with that number, or empty for a number this version does not know. */
  public static Optional<RequestType> fromWire(int value) {
    for (RequestType t : values()) {
      if (t.wireValue == value) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
