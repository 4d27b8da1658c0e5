package org.openswanj.testing.load;

import java.util.List;
import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Prf;
import org.openswanj.pluto.ike.wire.Proposal;
import org.openswanj.pluto.ike.wire.ProtocolId;
import org.openswanj.pluto.ike.wire.SaPayload;
import org.openswanj.pluto.ike.wire.Transform;
import org.openswanj.pluto.ike.wire.TransformType;

/**
 * The one suite the load generator offers: AES-GCM-16 (RFC 5282) with {@code keyBits}, PRF HMAC-SHA2-256
 * (RFC 4868), X25519 (RFC 8031) for IKE; AES-GCM-16 without ESN for the Child SA (RFC 4106).
 */
record Suite(int keyBits) {
  static final Encryption ENC = Encryption.AES_GCM_16;
  static final Prf PRF = Prf.HMAC_SHA2_256;
  static final DhGroup DH = DhGroup.CURVE25519;

  Suite {
    if (!ENC.acceptsKeyLength(keyBits)) {
      throw new IllegalArgumentException("AES-GCM takes 128, 192 or 256-bit keys, not " + keyBits);
    }
  }

  /** RFC 7296 §3.3: one IKE proposal, no SPI in IKE_SA_INIT; AEAD needs no INTEG transform (RFC 5282 §8). */
  SaPayload ikeOffer() {
    return new SaPayload(List.of(new Proposal(1, ProtocolId.IKE, null, List.of(
        new Transform(TransformType.ENCR, ENC.ikev2Id(), keyBits),
        new Transform(TransformType.PRF, PRF.ikev2Id()),
        new Transform(TransformType.DH, DH.id())))));
  }

  /** RFC 7296 §3.3.1: the ESP proposal carries our 4-byte inbound SPI; ESN transform 0 = no ESN. */
  SaPayload espOffer(byte[] spi) {
    return new SaPayload(List.of(new Proposal(1, ProtocolId.ESP, spi, List.of(
        new Transform(TransformType.ENCR, ENC.ikev2Id(), keyBits),
        new Transform(TransformType.ESN, 0)))));
  }

  /** Child SA key material: two AES-GCM keys with their 4-byte salts (RFC 7296 §2.17, RFC 4106 §8.1). */
  int childKeymatLength() {
    return 2 * (keyBits / 8 + ENC.saltSize());
  }
}
