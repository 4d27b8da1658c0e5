package org.openswanj.pluto.ike.wire;

/** IKEv2 Authentication payload (RFC 7296 §3.8); {@code rawMethod} keeps an unregistered method number. */
public record AuthPayload(AuthMethod method, int rawMethod, byte[] data) implements Payload {
  public AuthPayload(AuthMethod method, byte[] data) {
    this(method, method.wireValue(), data);
  }

  @Override
  public PayloadType payloadType() {
    return PayloadType.AUTH;
  }
}
