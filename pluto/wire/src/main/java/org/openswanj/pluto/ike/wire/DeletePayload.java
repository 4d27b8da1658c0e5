package org.openswanj.pluto.ike.wire;

import java.util.List;

/** IKEv2 Delete payload (RFC 7296 §3.11). */
public record DeletePayload(int protocolId, int spiSize, List<byte[]> spis) implements Payload {
  public DeletePayload {
    spis = List.copyOf(spis);
  }

  @Override
  public PayloadType payloadType() {
    return PayloadType.DELETE;
  }
}
