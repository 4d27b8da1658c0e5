package org.openswanj.kernel;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The SA a policy asks for (RFC 4301 §4.4.1: the SPD entry's protocol, mode and, in tunnel mode, the outer
 * addresses).
 *
 * @param proto ESP or AH
 * @param mode tunnel or transport
 * @param tunnelSrc outer source in tunnel mode, or null (the backend then takes the selector's)
 * @param tunnelDst outer destination in tunnel mode, or null
 * @param outboundSpi the SPI of the outbound SA for IPSEC out policies (0 otherwise); klips routes by it
 */
public record SaTemplate(IpsecProto proto, IpsecMode mode, InetAddress tunnelSrc, InetAddress tunnelDst,
    int outboundSpi) {
  /** What a shunt or an opportunistic %trap carries: ESP in tunnel mode between the selector's own hosts. */
  public static final SaTemplate ESP_TUNNEL = new SaTemplate(IpsecProto.ESP, IpsecMode.TUNNEL, null, null, 0);

  public SaTemplate {
    Objects.requireNonNull(proto, "proto");
    Objects.requireNonNull(mode, "mode");
  }

  /** ESP between two hosts; in transport mode the outer addresses are the packet's own. */
  public static SaTemplate esp(IpsecMode mode, InetAddress src, InetAddress dst, int outboundSpi) {
    boolean tunnel = mode == IpsecMode.TUNNEL;
    return new SaTemplate(IpsecProto.ESP, mode, tunnel ? src : null, tunnel ? dst : null, outboundSpi);
  }
}
