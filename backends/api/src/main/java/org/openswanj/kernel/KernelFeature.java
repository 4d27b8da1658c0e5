package org.openswanj.kernel;

/** Capabilities a backend offers; pluto adapts its proposals and policies to them. */
public enum KernelFeature {
  /** Extended sequence numbers, RFC 4304. */
  ESN,
  /** UDP-encapsulated ESP, RFC 3948. */
  UDP_ENCAP,
  /** Raw (protocol 50) ESP. */
  RAW_ESP,
  /** Combined-mode ciphers (AES-GCM, ChaCha20-Poly1305). */
  AEAD,
  /** %trap policies that raise acquire events. */
  TRAP_ACQUIRE,
  /** Soft/hard lifetime expiry events. */
  EXPIRE_EVENTS,
  /** ipsecN virtual interfaces on which decrypted traffic appears. */
  IPSEC_INTERFACES,
  /** IPv6 inside and outside. */
  IPV6,
  /** Traffic actually flows (false for the recording backend). */
  DATA_PATH,
  /** The backend sends RFC 3948 NAT-keepalives itself (klips's data path), so pluto sends none. */
  NAT_KEEPALIVE,
  /** {@link KernelBackend#updateSaEncap}: an SA moves to a NAT's new mapping in place. */
  ENCAP_UPDATE,
  /** {@link KernelBackend#advanceOutboundSeq}: an outbound SA's sequence counter jumps in place (RFC 6311 §5.2). */
  SEQ_ADVANCE
}
