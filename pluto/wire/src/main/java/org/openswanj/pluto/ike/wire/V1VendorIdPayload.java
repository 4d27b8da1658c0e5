package org.openswanj.pluto.ike.wire;

/** ISAKMP Vendor ID payload (RFC 2408 §3.16). */
public record V1VendorIdPayload(byte[] data) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.VID_V1;
  }
}
