package org.openswanj.pluto.ikev1;

/**
 * IKEv1 states as Openswan 2.6 names them, each with the story that is logged and shown by
 * {@code whack --status} (STYLE: transitions as data, logs that read like the RFC).
 */
public enum Ikev1State {
  STATE_MAIN_R0("expecting MI1"),
  STATE_MAIN_I1("sent MI1, expecting MR1"),
  STATE_MAIN_R1("sent MR1, expecting MI2"),
  STATE_MAIN_I2("sent MI2, expecting MR2"),
  STATE_MAIN_R2("sent MR2, expecting MI3"),
  STATE_MAIN_I3("sent MI3, expecting MR3"),
  STATE_MAIN_R3("sent MR3, ISAKMP SA established"),
  STATE_MAIN_I4("ISAKMP SA established"),
  STATE_AGGR_R0("expecting AI1"),
  STATE_AGGR_I1("sent AI1, expecting AR1"),
  STATE_AGGR_R1("sent AR1, expecting AI2"),
  STATE_AGGR_I2("sent AI2, ISAKMP SA established"),
  STATE_AGGR_R2("ISAKMP SA established"),
  STATE_QUICK_R0("expecting QI1"),
  STATE_QUICK_I1("sent QI1, expecting QR1"),
  STATE_QUICK_R1("sent QR1, inbound IPsec SA installed, expecting QI2"),
  STATE_QUICK_I2("sent QI2, IPsec SA established"),
  STATE_QUICK_R2("IPsec SA established"),
  STATE_INFO("got Informational Message in clear"),
  STATE_INFO_PROTECTED("got encrypted Informational Message");

  private final String story;

  Ikev1State(String story) {
    this.story = story;
  }

  public String story() {
    return story;
  }

  /** True once the ISAKMP SA can protect Quick Mode and Informational exchanges. */
  public boolean isakmpEstablished() {
    return this == STATE_MAIN_I4 || this == STATE_MAIN_R3 || this == STATE_AGGR_I2 || this == STATE_AGGR_R2;
  }

  public boolean ipsecEstablished() {
    return this == STATE_QUICK_I2 || this == STATE_QUICK_R2;
  }
}
