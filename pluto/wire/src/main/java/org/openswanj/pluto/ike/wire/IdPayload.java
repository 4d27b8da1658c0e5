package org.openswanj.pluto.ike.wire;

/** IKEv2 Identification payload IDi/IDr (RFC 7296 §3.5); {@code data} is the body after the 4-byte ID header. */
public record IdPayload(boolean responder, IdType idType, byte[] data) implements Payload {
  @Override
  public PayloadType payloadType() {
    return responder ? PayloadType.IDR : PayloadType.IDI;
  }

  /** RestOfInitIDPayload / RestOfRespIDPayload (RFC 7296 §2.15): ID type, 3 reserved zero bytes, data. */
  public byte[] body() {
    byte[] b = new byte[4 + data.length];
    b[0] = (byte) idType.wireValue();
    System.arraycopy(data, 0, b, 4, data.length);
    return b;
  }
}
