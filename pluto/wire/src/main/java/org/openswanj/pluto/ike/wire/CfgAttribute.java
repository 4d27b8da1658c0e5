package org.openswanj.pluto.ike.wire;

/**
 * Attribute types of the attribute payload: Mode Config (draft-ietf-ipsec-isakmp-mode-cfg-05 §3.3) and XAUTH
 * (draft-ietf-ipsec-isakmp-xauth-06 §3.2, values 16520-16529). XAUTH_TYPE and XAUTH_STATUS are basic (TV)
 * attributes; the others are variable (TLV).
 */
public enum CfgAttribute {
  INTERNAL_IP4_ADDRESS(1),
  INTERNAL_IP4_NETMASK(2),
  INTERNAL_IP4_DNS(3),
  INTERNAL_IP4_NBNS(4),
  INTERNAL_ADDRESS_EXPIRY(5),
  INTERNAL_IP4_DHCP(6),
  APPLICATION_VERSION(7),
  INTERNAL_IP6_ADDRESS(8),
  INTERNAL_IP6_NETMASK(9),
  INTERNAL_IP6_DNS(10),
  INTERNAL_IP6_NBNS(11),
  INTERNAL_IP6_DHCP(12),
  INTERNAL_IP4_SUBNET(13),
  SUPPORTED_ATTRIBUTES(14),
  INTERNAL_IP6_SUBNET(15),
  XAUTH_TYPE(16520),
  XAUTH_USER_NAME(16521),
  XAUTH_USER_PASSWORD(16522),
  XAUTH_PASSCODE(16523),
  XAUTH_MESSAGE(16524),
  XAUTH_CHALLENGE(16525),
  XAUTH_DOMAIN(16526),
  XAUTH_STATUS(16527),
  XAUTH_NEXT_PIN(16528),
  XAUTH_ANSWER(16529),
  // Cisco Unity's private-use values (draft-ietf-ipsec-isakmp-mode-cfg-05 §3.3 leaves 16384-32767 to private
  // use; the numbers are those Cisco clients and servers use, as strongSwan's attributes.h and Libreswan list them)
  UNITY_BANNER(28672),
  UNITY_SAVE_PASSWD(28673),
  UNITY_DEF_DOMAIN(28674),
  UNITY_SPLITDNS_NAME(28675),
  UNITY_SPLIT_INCLUDE(28676),
  UNITY_NATT_PORT(28677),
  UNITY_LOCAL_LAN(28678),
  UNITY_PFS(28679),
  UNITY_FW_TYPE(28680),
  UNITY_BACKUP_SERVERS(28681),
  UNITY_DDNS_HOSTNAME(28682),
  UNKNOWN(-1);

  /** XAUTH_TYPE value: Generic (draft-ietf-ipsec-isakmp-xauth-06 §3.2.1). */
  public static final int XAUTH_TYPE_GENERIC = 0;
  /** XAUTH_STATUS values (§3.2.6). */
  public static final int XAUTH_STATUS_FAIL = 0;
  public static final int XAUTH_STATUS_OK = 1;

  private final int wire;

  CfgAttribute(int wire) {
    this.wire = wire;
  }

  public int wireValue() {
    return wire;
  }

  /** Never throws: unregistered values give {@link #UNKNOWN}. */
  public static CfgAttribute fromWire(int value) {
    for (CfgAttribute t : values()) {
      if (t.wire == value && t != UNKNOWN) {
        return t;
      }
    }
    return UNKNOWN;
  }

  /** True for the attributes sent as basic (TV) attributes. */
  public boolean basic() {
    return this == XAUTH_TYPE || this == XAUTH_STATUS;
  }

  /** The attribute with this value: TV for basic attributes, else TLV of two bytes. */
  public DataAttribute tv(int value) {
    return basic() ? DataAttribute.tv(wire, value)
        : DataAttribute.tlv(wire, new byte[] {(byte) (value >>> 8), (byte) value});
  }

  /** The variable attribute with these bytes (empty in a request: "send me this"). */
  public DataAttribute tlv(byte[] value) {
    return DataAttribute.tlv(wire, value);
  }
}
