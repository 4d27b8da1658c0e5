package org.openswanj.pluto.ike.wire;

/** ISAKMP Notification payload (RFC 2408 §3.14); {@link #type()} reads the number with IKEv1 meanings. */
public record V1NotifyPayload(int doi, int protocolId, byte[] spi, int notifyType, byte[] data) implements Payload {
  public V1NotifyPayload {
    spi = spi == null ? new byte[0] : spi;
    data = data == null ? new byte[0] : data;
  }

  public NotifyType type() {
    return NotifyType.fromWireV1(notifyType);
  }

  @Override
  public PayloadType payloadType() {
    return PayloadType.N_V1;
  }
}
