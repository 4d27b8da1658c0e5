package org.openswanj.conf;

/** {@code dpdaction=}: what to do when RFC 3706 DPD declares the peer dead. */
public enum DpdAction {
  HOLD,
  CLEAR,
  RESTART
}
