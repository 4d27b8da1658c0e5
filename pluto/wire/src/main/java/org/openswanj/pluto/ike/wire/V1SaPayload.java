package org.openswanj.pluto.ike.wire;

import java.util.List;

/** ISAKMP Security Association payload (RFC 2408 §3.4) with the IPsec DOI situation (RFC 2407 §4.6.1). */
public record V1SaPayload(int doi, int situation, List<V1Proposal> proposals) implements Payload {
  /** RFC 2407 §4.2. */
  public static final int DOI_IPSEC = 1;
  /** RFC 2407 §4.2.1 SIT_IDENTITY_ONLY. */
  public static final int SIT_IDENTITY_ONLY = 1;

  public V1SaPayload {
    proposals = List.copyOf(proposals);
  }

  @Override
  public PayloadType payloadType() {
    return PayloadType.SA_V1;
  }
}
