package org.openswanj.pluto.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.openswanj.alg.Prf;

/** IKEv2 shared-key authentication, RFC 7296 §2.15 (method 2). */
public final class PskAuth {
  private static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

  private PskAuth() {}

  /** AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), &lt;SignedOctets&gt;). */
  public static byte[] authData(Prf prf, byte[] psk, byte[] signedOctets) {
    byte[] inner = PrfFunction.of(prf, psk).apply(KEY_PAD);
    try {
      return PrfFunction.of(prf, inner).apply(signedOctets);
    } finally {
      Arrays.fill(inner, (byte) 0);
    }
  }

  /**
   * &lt;SignedOctets&gt; = RealMessage ‖ NonceOfPeer ‖ prf(SK_p, RestOfIDPayload), where RestOfIDPayload is the
   * ID payload body after its generic header (ID type, reserved bytes, identification data).
   */
  public static byte[] signedOctets(byte[] firstMessage, byte[] peerNonce, Prf prf, byte[] skP,
      byte[] idPayloadBody) {
    byte[] maced = PrfFunction.of(prf, skP).apply(idPayloadBody);
    return PrfFunction.concat(firstMessage, peerNonce, maced);
  }

  /** Compares a received AUTH value in constant time. */
  public static boolean verify(Prf prf, byte[] psk, byte[] signedOctets, byte[] receivedAuth) {
    return java.security.MessageDigest.isEqual(authData(prf, psk, signedOctets), receivedAuth);
  }
}
