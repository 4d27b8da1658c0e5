package org.openswanj.kernel;

import java.util.Objects;

/**
 * An SA's data: algorithms, keys, mode, selectors, encapsulation, replay window.
 *
 * @param name the connection name, for logs and {@code ipsec look}
 * @param encKey cipher key; for AEAD ciphers the salt is the last 4 bytes (RFC 4106 §8.1)
 * @param integKey integrity key, or {@code null} for AEAD
 * @param selector the traffic this SA may carry (checked on inbound decrypted packets, RFC 4301 §5.2)
 * @param encap UDP encapsulation ports, or {@code null} for raw ESP
 * @param replayWindow anti-replay window in packets (0 disables, RFC 4303 §3.4.3)
 * @param esn extended sequence numbers (RFC 4304)
 * @param inbound true for an SA we receive on
 * @param reqid ties the SA to its policies (the kernel's reqid)
 */
public record SaSpec(
    String name,
    IpsecMode mode,
    EspCipher cipher,
    SecretKey encKey,
    EspIntegrity integrity,
    SecretKey integKey,
    Selector selector,
    UdpEncap encap,
    int replayWindow,
    boolean esn,
    boolean inbound,
    int reqid,
    Lifetime lifetime) {
  public SaSpec {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(cipher, "cipher");
    Objects.requireNonNull(encKey, "encKey");
    Objects.requireNonNull(integrity, "integrity");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(lifetime, "lifetime");
  }
}
