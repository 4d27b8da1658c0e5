package org.openswanj.alg;

/**
 * An algorithm's numbers in the three IANA registries IKE uses; {@link #NONE} where a registry has no entry.
 *
 * @param ikev2 IKEv2 transform id (RFC 7296 §3.3.2, IANA "IKEv2 Transform Type 1/2/3/4"), also ESP's id in IKEv2
 * @param ikev1 IKEv1 phase 1 attribute value (RFC 2409 App. A: Oakley encryption, hash or group)
 * @param ipsecDoi IKEv1 Quick Mode value (RFC 2407 §4.4.4 ESP transform id, §4.5 authentication algorithm)
 */
public record IanaIds(int ikev2, int ikev1, int ipsecDoi) {
  public static final int NONE = -1;
}
