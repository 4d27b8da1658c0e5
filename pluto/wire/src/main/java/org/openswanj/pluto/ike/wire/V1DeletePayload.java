package org.openswanj.pluto.ike.wire;

import java.util.List;

/** ISAKMP Delete payload (RFC 2408 §3.15). */
public record V1DeletePayload(int doi, int protocolId, int spiSize, List<byte[]> spis) implements Payload {
  public V1DeletePayload {
    spis = List.copyOf(spis);
  }

  @Override
  public PayloadType payloadType() {
    return PayloadType.D_V1;
  }
}
