package org.openswanj.pluto.ikev2;

/**
 * IKEv2 states as Openswan 2.6 names them, each with the story that is logged and shown by
 * {@code whack --status} (STYLE: transitions as data, logs that read like the RFC). Only the states an SA can be
 * in ({@link V2Transitions}); a rekey keeps the SA's state, where Openswan has STATE_V2_REKEY_*_I. A Child SA is
 * named by its IKE SA's established state, as Openswan's are.
 */
public enum Ikev2State {
  STATE_PARENT_I1("sent v2I1, expected v2R1"),
  STATE_PARENT_I2("sent v2I2, expected v2R2"),
  STATE_PARENT_I3("PARENT SA established"),
  STATE_PARENT_R1("received v2I1, sent v2R1"),
  STATE_PARENT_R2("received v2I2, PARENT SA established"),
  STATE_IKESA_DEL("IKE SA deleted"),
  STATE_CHILDSA_DEL("IPsec SA deleted");

  private final String story;

  Ikev2State(String story) {
    this.story = story;
  }

  public String story() {
    return story;
  }

  public boolean established() {
    return this == STATE_PARENT_I3 || this == STATE_PARENT_R2;
  }
}
