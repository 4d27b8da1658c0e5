package org.openswanj.kernel;

/** UDP encapsulation of ESP (RFC 3948): the outer ports. */
public record UdpEncap(int srcPort, int dstPort) {}
