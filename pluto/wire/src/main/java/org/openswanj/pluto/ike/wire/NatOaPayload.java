package org.openswanj.pluto.ike.wire;

import java.net.InetAddress;

/** NAT-OA payload (RFC 3947 §5.2): ID_IPV4_ADDR or ID_IPV6_ADDR and the address; {@code draft} selects type 131. */
public record NatOaPayload(IdType idType, InetAddress address, boolean draft) implements Payload {
  public NatOaPayload(IdType idType, InetAddress address) {
    this(idType, address, false);
  }

  @Override
  public PayloadType payloadType() {
    return draft ? PayloadType.NAT_OA_DRAFT : PayloadType.NAT_OA;
  }
}
