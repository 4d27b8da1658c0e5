package org.openswanj.pluto.ike.wire;

import java.util.List;

/** Mode Config attribute payload (draft-ietf-ipsec-isakmp-mode-cfg-05 §3.2): type 1 REQUEST, 2 REPLY, 3 SET, 4 ACK. */
public record V1AttributePayload(int cfgType, int identifier, List<DataAttribute> attributes) implements Payload {
  public V1AttributePayload {
    attributes = List.copyOf(attributes);
  }

  @Override
  public PayloadType payloadType() {
    return PayloadType.ATTRIBUTE_V1;
  }
}
