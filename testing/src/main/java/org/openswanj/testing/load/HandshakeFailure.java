package org.openswanj.testing.load;

/** Why one handshake failed, as a short reason that the report groups by (no secrets, no addresses). */
final class HandshakeFailure extends Exception {
  private static final long serialVersionUID = 1L;

  HandshakeFailure(String reason) {
    super(reason, null, false, false);
  }

  String reason() {
    return getMessage();
  }
}
