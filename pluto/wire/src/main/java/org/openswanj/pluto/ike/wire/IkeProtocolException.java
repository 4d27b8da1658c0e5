package org.openswanj.pluto.ike.wire;

/**
 * A protocol error found in a message, carrying the notify the peer should be told (RFC 7296 §2.21) or, when
 * {@link #silentDrop()} is true, telling the caller to drop the message without an answer. The message of the
 * exception names where and what, for the log.
 */
public class IkeProtocolException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final byte[] NO_DATA = new byte[0];

  private final NotifyType notify;
  private final byte[] notifyData;

  public IkeProtocolException(NotifyType notify, byte[] notifyData, String message) {
    super(message);
    this.notify = notify;
    this.notifyData = notifyData == null ? NO_DATA : notifyData.clone();
  }

  public IkeProtocolException(NotifyType notify, String message) {
    this(notify, NO_DATA, message);
  }

  /**
   * The IKEv2 notify type to send back (for IKEv1 see {@link #notifyTypeV1()}). Not named notify(): that is
   * Object's final method.
   */
  public NotifyType notifyType() {
    return notify;
  }

  /** The Notification Data to send with it (often empty). */
  public byte[] notifyData() {
    return notifyData.clone();
  }

  /**
   * The Notify payload that answers this error (Android's buildNotifyPayload): the one way a handler's typed
   * failure becomes what the peer is told.
   */
  public NotifyPayload toNotify() {
    return new NotifyPayload(notify, notifyData);
  }

  /** The closest IKEv1 notify (RFC 2408 §3.14.1) for the same failure. */
  public NotifyType notifyTypeV1() {
    switch (notify) {
      case INVALID_SYNTAX:
        return NotifyType.PAYLOAD_MALFORMED;
      case UNSUPPORTED_CRITICAL_PAYLOAD:
        return NotifyType.INVALID_PAYLOAD_TYPE;
      case INVALID_KE_PAYLOAD:
        return NotifyType.INVALID_KEY_INFORMATION;
      case INVALID_IKE_SPI:
        return NotifyType.INVALID_COOKIE;
      case TS_UNACCEPTABLE:
        return NotifyType.INVALID_ID_INFORMATION;
      default:
        return notify;
    }
  }

  /** True when no answer must be sent (unparseable header, failed integrity check: RFC 7296 §2.21.1). */
  public boolean silentDrop() {
    return false;
  }
}
