package org.openswanj.pluto.ike.wire;

/** ISAKMP Identification payload with the IPsec DOI fields (RFC 2407 §4.6.2): protocol and port. */
public record V1IdPayload(IdType idType, int protocol, int port, byte[] data) implements Payload {
  @Override
  public PayloadType payloadType() {
    return PayloadType.ID_V1;
  }

  /** The ID body the HASH_I/HASH_R of RFC 2409 §5 covers: type, protocol, port, data. */
  public byte[] body() {
    byte[] b = new byte[4 + data.length];
    b[0] = (byte) idType.wireValue();
    b[1] = (byte) protocol;
    b[2] = (byte) (port >>> 8);
    b[3] = (byte) port;
    System.arraycopy(data, 0, b, 4, data.length);
    return b;
  }
}
