package org.openswanj.pluto.ikev1;

import java.net.InetAddress;

/**
 * XAUTH and ModeConfig on one ISAKMP SA: the Transaction exchange in progress (its message ID, CBC IV and
 * identifier), the XAUTH tries, who logged in and the address handed out. Touched only on the event loop.
 */
final class CfgState {
  /** Where the server is. */
  enum Step { XAUTH_REQUEST_SENT, XAUTH_CHECKING, STATUS_OK_SENT, STATUS_FAIL_SENT, WAIT_REQUEST, SET_SENT, DONE }

  /** XAUTH tries before the status FAIL (draft-ietf-ipsec-isakmp-xauth-06 §4.1 leaves it to policy; Openswan: 3). */
  static final int MAX_TRIES = 3;

  /** Resends our last Transaction message; separate from phase 1's so MR3 stays answerable. */
  final Retransmitter sender;
  /** The phase 1 state to go back to once XAUTH and ModeConfig are done. */
  final Ikev1State established;
  Step step;
  /** True on the road warrior's side (XAUTH client, ModeConfig client); {@link #address} is then ours. */
  boolean client;
  /** The exchange in progress: message ID, the IV of its next message, the attribute payload identifier. */
  int messageId;
  byte[] iv;
  int identifier;
  int tries;
  /** The user XAUTH accepted (for whack --status and PLUTO_XAUTH_USERNAME); null before. */
  String user;
  /** The address ModeConfig gave the client (us, on the client's side); null before. */
  InetAddress address;
  /** Cisco Unity (on the client's side): the gateway's banner and default domain (null when none), its split networks. */
  String banner;
  String domain;
  java.util.List<org.openswanj.conf.Subnet> splits = java.util.List.of();

  CfgState(Retransmitter sender, Ikev1State established) {
    this.sender = sender;
    this.established = established;
  }

  /**
   * Whether a REPLY or ACK with {@code identifier} answers our REQUEST or SET with {@code ours}: mode-cfg-05 §3.2
   * has it echo ours, but charon always sends 0 (seen in XauthStrongSwanIT), so 0 is taken too.
   */
  static boolean answers(int identifier, int ours) {
    return identifier == ours || identifier == 0;
  }
}
