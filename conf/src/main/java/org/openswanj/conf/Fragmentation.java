package org.openswanj.conf;

/**
 * {@code fragmentation=}, IKEv2 fragmentation (RFC 7383) as Libreswan and strongSwan name it: {@code yes} announces
 * support and fragments a protected message too large for the path, {@code no} neither announces nor accepts
 * fragments, {@code force} fragments every protected message once the peer announced support.
 */
public enum Fragmentation {
  NO,
  YES,
  FORCE
}
