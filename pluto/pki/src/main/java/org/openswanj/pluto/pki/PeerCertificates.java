package org.openswanj.pluto.pki;

import java.util.List;
import java.util.Objects;
import org.openswanj.conf.id.Identity;
import org.openswanj.pluto.crypto.sig.KeyPolicy;

/**
 * What an IKE exchange asks about a peer: the certificates it sent and who it says it is.
 *
 * @param certificates the CERT payloads' data (X.509 Signature, encoding 4) in the order received; RFC 7296 §3.6
 *     makes the first one the end certificate, the others intermediates
 * @param peerId the identity from the peer's ID payload
 * @param ca the conn's rightca= constraint
 * @param keyPolicy the key policy for the conn (minimum RSA size)
 */
public record PeerCertificates(List<byte[]> certificates, Identity peerId, CaConstraint ca, KeyPolicy keyPolicy) {
  public PeerCertificates {
    certificates = List.copyOf(certificates);
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(ca, "ca");
    Objects.requireNonNull(keyPolicy, "keyPolicy");
  }
}
