package org.openswanj.pluto.ike.wire;

/**
 * CHILD_SA_NOT_FOUND (RFC 7296 §2.25): a CREATE_CHILD_SA asked to rekey an SA we do not have; the notify names that
 * SA's protocol and SPI (§3.10.1).
 */
public class ChildSaNotFoundException extends IkeProtocolException {
  private static final long serialVersionUID = 1L;
  private final int protocolId;
  private final byte[] spi;

  public ChildSaNotFoundException(int protocolId, byte[] spi, String message) {
    super(NotifyType.CHILD_SA_NOT_FOUND, message);
    this.protocolId = protocolId;
    this.spi = spi.clone();
  }

  @Override
  public NotifyPayload toNotify() {
    return new NotifyPayload(protocolId, spi, NotifyType.CHILD_SA_NOT_FOUND.wireValue(), new byte[0]);
  }
}
