package org.openswanj.pluto.ike.wire;

/** IKEv2 Vendor ID payload (RFC 7296 §3.12). */
public record VendorIdPayload(byte[] data) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.VENDOR_ID;
  }
}
