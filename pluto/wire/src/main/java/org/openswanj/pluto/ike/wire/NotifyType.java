package org.openswanj.pluto.ike.wire;

/**
 * Notify message types. IKEv2: RFC 7296 §3.10.1 (and RFC 4306, 4555, 5685, 5723, 6023, 7383, 7427). IKEv1:
 * RFC 2408 §3.14.1, RFC 2407 §4.6.3, RFC 3706 (DPD). Some numbers mean different things in the two versions
 * (1, 4, 7, 16384 ...): {@link #fromWire(int)} gives the IKEv2 meaning, {@link #fromWireV1(int)} the IKEv1 one.
 */
public enum NotifyType {
  // Errors, the same number and meaning in both versions.
  INVALID_MAJOR_VERSION(5, Version.BOTH),
  INVALID_MESSAGE_ID(9, Version.BOTH),
  INVALID_SPI(11, Version.BOTH),
  NO_PROPOSAL_CHOSEN(14, Version.BOTH),
  AUTHENTICATION_FAILED(24, Version.BOTH),
  // IKEv2 errors (RFC 7296 §3.10.1 and later RFCs).
  UNSUPPORTED_CRITICAL_PAYLOAD(1, Version.V2),
  INVALID_IKE_SPI(4, Version.V2),
  INVALID_SYNTAX(7, Version.V2),
  INVALID_KE_PAYLOAD(17, Version.V2),
  SINGLE_PAIR_REQUIRED(34, Version.V2),
  NO_ADDITIONAL_SAS(35, Version.V2),
  INTERNAL_ADDRESS_FAILURE(36, Version.V2),
  FAILED_CP_REQUIRED(37, Version.V2),
  TS_UNACCEPTABLE(38, Version.V2),
  INVALID_SELECTORS(39, Version.V2),
  UNACCEPTABLE_ADDRESSES(40, Version.V2),
  UNEXPECTED_NAT_DETECTED(41, Version.V2),
  USE_ASSIGNED_HOA(42, Version.V2),
  TEMPORARY_FAILURE(43, Version.V2),
  CHILD_SA_NOT_FOUND(44, Version.V2),
  INVALID_GROUP_ID(45, Version.V2),
  AUTHORIZATION_FAILED(46, Version.V2),
  STATE_NOT_FOUND(47, Version.V2),
  // IKEv2 status types.
  INITIAL_CONTACT(16384, Version.V2),
  SET_WINDOW_SIZE(16385, Version.V2),
  ADDITIONAL_TS_POSSIBLE(16386, Version.V2),
  IPCOMP_SUPPORTED(16387, Version.V2),
  NAT_DETECTION_SOURCE_IP(16388, Version.V2),
  NAT_DETECTION_DESTINATION_IP(16389, Version.V2),
  COOKIE(16390, Version.V2),
  USE_TRANSPORT_MODE(16391, Version.V2),
  HTTP_CERT_LOOKUP_SUPPORTED(16392, Version.V2),
  REKEY_SA(16393, Version.V2),
  ESP_TFC_PADDING_NOT_SUPPORTED(16394, Version.V2),
  NON_FIRST_FRAGMENTS_ALSO(16395, Version.V2),
  MOBIKE_SUPPORTED(16396, Version.V2),
  ADDITIONAL_IP4_ADDRESS(16397, Version.V2),
  ADDITIONAL_IP6_ADDRESS(16398, Version.V2),
  NO_ADDITIONAL_ADDRESSES(16399, Version.V2),
  UPDATE_SA_ADDRESSES(16400, Version.V2),
  COOKIE2(16401, Version.V2),
  NO_NATS_ALLOWED(16402, Version.V2),
  AUTH_LIFETIME(16403, Version.V2),
  MULTIPLE_AUTH_SUPPORTED(16404, Version.V2),
  ANOTHER_AUTH_FOLLOWS(16405, Version.V2),
  REDIRECT_SUPPORTED(16406, Version.V2),
  REDIRECT(16407, Version.V2),
  REDIRECTED_FROM(16408, Version.V2),
  EAP_ONLY_AUTHENTICATION(16417, Version.V2),
  CHILDLESS_IKEV2_SUPPORTED(16418, Version.V2),
  QUICK_CRASH_DETECTION(16419, Version.V2),
  IKEV2_MESSAGE_ID_SYNC_SUPPORTED(16420, Version.V2),
  IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED(16421, Version.V2),
  IKEV2_MESSAGE_ID_SYNC(16422, Version.V2),
  IPSEC_REPLAY_COUNTER_SYNC(16423, Version.V2),
  SECURE_PASSWORD_METHODS(16424, Version.V2),
  IKEV2_FRAGMENTATION_SUPPORTED(16430, Version.V2),
  SIGNATURE_HASH_ALGORITHMS(16431, Version.V2),
  USE_PPK(16435, Version.V2),
  PPK_IDENTITY(16436, Version.V2),
  NO_PPK_AUTH(16437, Version.V2),
  INTERMEDIATE_EXCHANGE_SUPPORTED(16438, Version.V2),
  // IKEv1 errors (RFC 2408 §3.14.1) whose number means something else in IKEv2, or nothing.
  INVALID_PAYLOAD_TYPE(1, Version.V1),
  DOI_NOT_SUPPORTED(2, Version.V1),
  SITUATION_NOT_SUPPORTED(3, Version.V1),
  INVALID_COOKIE(4, Version.V1),
  INVALID_MINOR_VERSION(6, Version.V1),
  INVALID_EXCHANGE_TYPE(7, Version.V1),
  INVALID_FLAGS(8, Version.V1),
  INVALID_PROTOCOL_ID(10, Version.V1),
  INVALID_TRANSFORM_ID(12, Version.V1),
  ATTRIBUTES_NOT_SUPPORTED(13, Version.V1),
  BAD_PROPOSAL_SYNTAX(15, Version.V1),
  PAYLOAD_MALFORMED(16, Version.V1),
  INVALID_KEY_INFORMATION(17, Version.V1),
  INVALID_ID_INFORMATION(18, Version.V1),
  INVALID_CERT_ENCODING(19, Version.V1),
  INVALID_CERTIFICATE(20, Version.V1),
  CERT_TYPE_UNSUPPORTED(21, Version.V1),
  INVALID_CERT_AUTHORITY(22, Version.V1),
  INVALID_HASH_INFORMATION(23, Version.V1),
  INVALID_SIGNATURE(25, Version.V1),
  ADDRESS_NOTIFICATION(26, Version.V1),
  NOTIFY_SA_LIFETIME(27, Version.V1),
  CERTIFICATE_UNAVAILABLE(28, Version.V1),
  UNSUPPORTED_EXCHANGE_TYPE(29, Version.V1),
  UNEQUAL_PAYLOAD_LENGTHS(30, Version.V1),
  // IKEv1 status (RFC 2408 §3.14.1, RFC 2407 §4.6.3, RFC 3706 §5).
  CONNECTED(16384, Version.V1),
  RESPONDER_LIFETIME(24576, Version.V1),
  REPLAY_STATUS(24577, Version.V1),
  INITIAL_CONTACT_V1(24578, Version.V1),
  R_U_THERE(36136, Version.V1),
  R_U_THERE_ACK(36137, Version.V1),
  UNKNOWN(-1, Version.BOTH);

  private enum Version { V1, V2, BOTH }

  private final int wire;
  private final Version version;

  NotifyType(int wire, Version version) {
    this.wire = wire;
    this.version = version;
  }

  public int wireValue() {
    return wire;
  }

  /** RFC 7296 §3.10.1: types below 16384 are errors (the same split holds in RFC 2408 §3.14.1). */
  public boolean isError() {
    return wire >= 0 && wire < 16384;
  }

  /** The IKEv2 meaning of a value (IKEv1-only values such as R_U_THERE are found too); never throws. */
  public static NotifyType fromWire(int value) {
    NotifyType t = find(value, Version.V1);
    return t != UNKNOWN ? t : find(value, Version.V2);
  }

  /** The IKEv1 meaning of a value; never throws. */
  public static NotifyType fromWireV1(int value) {
    NotifyType t = find(value, Version.V2);
    return t != UNKNOWN ? t : find(value, Version.V1);
  }

  /** Finds a constant for {@code value} whose version is not {@code excluded}. */
  private static NotifyType find(int value, Version excluded) {
    for (NotifyType t : values()) {
      if (t.wire == value && t.version != excluded && t != UNKNOWN) {
        return t;
      }
    }
    return UNKNOWN;
  }

  /** True if the raw value is an error type (RFC 7296 §3.10.1), whether or not it is registered here. */
  public static boolean isErrorValue(int value) {
    return value >= 0 && value < 16384;
  }
}
