package org.openswanj.pluto.ike.wire;

import java.util.List;

/** IKEv2 Security Association payload (RFC 7296 §3.3). */
public record SaPayload(List<Proposal> proposals) implements Payload {
  public SaPayload {
    proposals = List.copyOf(proposals);
  }

  @Override
  public PayloadType payloadType() {
    return PayloadType.SA;
  }
}
