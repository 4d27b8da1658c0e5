package org.openswanj.pluto.ike.wire;

/** NO_PROPOSAL_CHOSEN (RFC 7296 §3.10.1). */
public class NoProposalChosenException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;

  public NoProposalChosenException(String message) {
    super(NotifyType.NO_PROPOSAL_CHOSEN, message);
  }
}
