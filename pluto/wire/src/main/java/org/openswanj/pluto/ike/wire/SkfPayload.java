package org.openswanj.pluto.ike.wire;

/** IKEv2 Encrypted Fragment payload (RFC 7383 §2.5); firstInnerPayload is 0 except in fragment 1. */
public record SkfPayload(int firstInnerPayload, int fragmentNumber, int totalFragments, byte[] body) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.SKF;
  }
}
