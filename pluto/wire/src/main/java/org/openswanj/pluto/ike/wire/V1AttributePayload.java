package org.openswanj.pluto.ike.wire;

import java.util.List;
import java.util.Optional;

/** Mode Config attribute payload (draft-ietf-ipsec-isakmp-mode-cfg-05 §3.2): type 1 REQUEST, 2 REPLY, 3 SET, 4 ACK. */
public record V1AttributePayload(int cfgType, int identifier, List<DataAttribute> attributes) implements Payload {
  public V1AttributePayload {
    attributes = List.copyOf(attributes);
  }

  public V1AttributePayload(CfgType type, int identifier, List<DataAttribute> attributes) {
    this(type.wireValue(), identifier, attributes);
  }

  @Override
  public PayloadType payloadType() {
    return PayloadType.ATTRIBUTE_V1;
  }

  /** The message type; {@link CfgType#UNKNOWN} for reserved and private values. */
  public CfgType type() {
    return CfgType.fromWire(cfgType);
  }

  /** The first attribute of this type, if any. */
  public Optional<DataAttribute> find(CfgAttribute a) {
    return attributes.stream().filter(x -> x.type() == a.wireValue()).findFirst();
  }

  /** Every attribute of this type, in order (INTERNAL_IP4_DNS may come twice). */
  public List<DataAttribute> all(CfgAttribute a) {
    return attributes.stream().filter(x -> x.type() == a.wireValue()).toList();
  }
}
