package org.openswanj.pluto.ike.wire;

import java.util.List;

/** ISAKMP Proposal payload (RFC 2408 §3.5); proposals sharing a number are a logical AND (§4.2). */
public record V1Proposal(int number, ProtocolId protocol, byte[] spi, List<V1Transform> transforms) {
  public V1Proposal {
    spi = spi == null ? new byte[0] : spi;
    transforms = List.copyOf(transforms);
  }
}
