package org.openswanj.pluto.ike.wire;

/** IKEv2 Notify payload (RFC 7296 §3.10); {@code notifyType} is the raw number, {@link #type()} its meaning. */
public record NotifyPayload(int protocolId, byte[] spi, int notifyType, byte[] data) implements Payload {
  public NotifyPayload {
    spi = spi == null ? new byte[0] : spi;
    data = data == null ? new byte[0] : data;
  }

  /** A notify about no SA (protocol 0, no SPI). */
  public NotifyPayload(NotifyType type, byte[] data) {
    this(0, new byte[0], type.wireValue(), data);
  }

  public NotifyType type() {
    return NotifyType.fromWire(notifyType);
  }

  public boolean isError() {
    return NotifyType.isErrorValue(notifyType);
  }

  @Override
  public PayloadType payloadType() {
    return PayloadType.NOTIFY;
  }
}
