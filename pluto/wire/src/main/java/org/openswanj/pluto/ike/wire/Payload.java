package org.openswanj.pluto.ike.wire;

/**
 * One decoded payload. The method is {@code payloadType()} (not {@code type()}) because NotifyPayload.type()
 * gives the notify type and UnknownPayload keeps the raw number.
 */
public sealed interface Payload
    permits SaPayload, KePayload, NoncePayload, IdPayload, AuthPayload, NotifyPayload, DeletePayload,
        VendorIdPayload, TsPayload, CertPayload, CertReqPayload, CpPayload, EapPayload, SkPayload, SkfPayload,
        UnknownPayload, V1SaPayload, V1KePayload, V1NoncePayload, V1IdPayload, HashPayload, SigPayload,
        V1CertPayload, V1CertReqPayload, V1NotifyPayload, V1DeletePayload, V1VendorIdPayload, NatDPayload,
        NatOaPayload, V1AttributePayload, V1EncryptedBody {

  /** The Next Payload value this payload is announced with. */
  PayloadType payloadType();

  /** The raw Next Payload number; differs from payloadType() only for unknown payloads. */
  default int wireType() {
    return this instanceof UnknownPayload u ? u.rawType() : payloadType().wireValue();
  }
}
