package org.openswanj.pluto.ike.wire;

/** A configuration attribute (RFC 7296 §3.15.1): 15-bit type, value (empty in a request). */
public record CpAttribute(int type, byte[] value) {

}
