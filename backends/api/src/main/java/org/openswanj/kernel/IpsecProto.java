package org.openswanj.kernel;

/** IPsec security protocols, with their IP protocol numbers (RFC 4303, RFC 4302, RFC 3173). */
public enum IpsecProto {
  ESP(50),
  AH(51),
  IPCOMP(108);

  private final int ipProtocol;

  IpsecProto(int ipProtocol) {
    this.ipProtocol = ipProtocol;
  }

  public int ipProtocol() {
    return ipProtocol;
  }
}
