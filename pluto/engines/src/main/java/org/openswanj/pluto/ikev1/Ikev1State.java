package org.openswanj.pluto.ikev1;

/**
 * IKEv1 states as Openswan 2.6 names them, each with the story that is logged and shown by
 * {@code whack --status} (STYLE: transitions as data, logs that read like the RFC). Only the states an SA can
 * be in: a responder's SA has none until its first answer ({@link V1Transitions}: "a new SA"), where Openswan
 * has STATE_MAIN_R0 and its kin.
 */
public enum Ikev1State {
  STATE_MAIN_I1("sent MI1, expecting MR1"),
  STATE_MAIN_R1("sent MR1, expecting MI2"),
  STATE_MAIN_I2("sent MI2, expecting MR2"),
  STATE_MAIN_R2("sent MR2, expecting MI3"),
  STATE_MAIN_I3("sent MI3, expecting MR3"),
  STATE_MAIN_R3("sent MR3, ISAKMP SA established"),
  STATE_MAIN_I4("ISAKMP SA established"),
  STATE_AGGR_I1("sent AI1, expecting AR1"),
  STATE_AGGR_R1("sent AR1, expecting AI2"),
  STATE_AGGR_I2("sent AI2, ISAKMP SA established"),
  STATE_AGGR_R2("ISAKMP SA established"),
  STATE_QUICK_I1("sent QI1, expecting QR1"),
  STATE_QUICK_R1("sent QR1, inbound IPsec SA installed, expecting QI2"),
  STATE_QUICK_I2("sent QI2, IPsec SA established"),
  STATE_QUICK_R2("IPsec SA established"),
  // XAUTH and ModeConfig after phase 1 (Openswan's names); the ISAKMP SA protects Informational exchanges
  // meanwhile, but no Quick Mode runs until they are done (draft-ietf-ipsec-isakmp-xauth-06 §4)
  STATE_XAUTH_R0("XAUTH: sent request, expecting reply"),
  STATE_XAUTH_R1("XAUTH: sent status, expecting ack"),
  STATE_MODE_CFG_R1("ModeCfg: sent set, expecting ack"),
  STATE_XAUTH_I0("XAUTH client: expecting request"),
  STATE_XAUTH_I1("XAUTH client: sent reply, expecting status"),
  STATE_MODE_CFG_I1("ModeCfg client: sent request, expecting reply");

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

  /** True once phase 1 is done: established, or doing XAUTH / ModeConfig on its keys. */
  public boolean keyed() {
    return isakmpEstablished() || cfgPending();
  }

  /** XAUTH or ModeConfig in progress: no Quick Mode yet. */
  public boolean cfgPending() {
    return name().startsWith("STATE_XAUTH_") || name().startsWith("STATE_MODE_CFG_");
  }

  public boolean ipsecEstablished() {
    return this == STATE_QUICK_I2 || this == STATE_QUICK_R2;
  }
}
