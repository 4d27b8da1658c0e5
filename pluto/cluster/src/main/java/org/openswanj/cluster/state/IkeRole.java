package org.openswanj.cluster.state;

/** Whether we were the original initiator of the IKE SA (RFC 7296 §2.2: it decides which SK_x we use). */
public enum IkeRole {
  ORIGINAL_INITIATOR,
  ORIGINAL_RESPONDER
}
