package org.openswanj.pluto.ike.wire;

import java.util.List;

/** IKEv2 Proposal substructure (RFC 7296 §3.3.1). {@code spi} is empty in IKE_SA_INIT, 4 bytes for ESP/AH, 8 for an IKE rekey. */
public record Proposal(int number, ProtocolId protocol, byte[] spi, List<Transform> transforms) {
  public Proposal {
    transforms = List.copyOf(transforms);
    spi = spi == null ? new byte[0] : spi;
  }

  /** The transforms of one type, in the order received. */
  public List<Transform> transformsOf(TransformType type) {
    return transforms.stream().filter(t -> t.type() == type).toList();
  }
}
