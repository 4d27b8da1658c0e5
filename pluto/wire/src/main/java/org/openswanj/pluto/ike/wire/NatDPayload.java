package org.openswanj.pluto.ike.wire;

/** NAT-D payload (RFC 3947 §3.2); {@code draft} selects the pre-RFC type 130 instead of 20. */
public record NatDPayload(byte[] hash, boolean draft) implements Payload {
  public NatDPayload(byte[] hash) {
    this(hash, false);
  }

  @Override
  public PayloadType payloadType() {
    return draft ? PayloadType.NAT_D_DRAFT : PayloadType.NAT_D;
  }
}
