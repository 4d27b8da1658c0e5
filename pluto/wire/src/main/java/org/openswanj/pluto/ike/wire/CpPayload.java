package org.openswanj.pluto.ike.wire;

import java.util.List;

/** IKEv2 Configuration payload (RFC 7296 §3.15); cfgType 1 REQUEST, 2 REPLY, 3 SET, 4 ACK. */
public record CpPayload(int cfgType, List<CpAttribute> attributes) implements Payload {
  public CpPayload {
    attributes = List.copyOf(attributes);
  }

  @Override
  public PayloadType payloadType() {
    return PayloadType.CP;
  }
}
