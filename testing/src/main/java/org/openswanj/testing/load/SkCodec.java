package org.openswanj.testing.load;

import java.security.SecureRandom;
import org.openswanj.pluto.crypto.IntegrityException;
import org.openswanj.pluto.crypto.SecretBytes;
import org.openswanj.pluto.crypto.SkCipher;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IntegrityCheckFailedException;
import org.openswanj.pluto.ike.wire.IkeProtocolException;

/** pluto-crypto's {@link SkCipher} behind pluto-wire's sealer/opener interfaces (RFC 7296 §3.14, RFC 5282). */
final class SkCodec implements IkeCodec.SkSealer, IkeCodec.SkOpener {
  private final SkCipher cipher;

  SkCodec(Suite suite, SecretBytes key, SecureRandom random) {
    this.cipher = SkCipher.create(Suite.ENC, suite.keyBits(), null, key.bytes(), null, random);
  }

  @Override
  public int sealedLength(int plaintextLength) {
    return cipher.sealedLength(plaintextLength);
  }

  @Override
  public byte[] seal(byte[] aad, byte[] plaintext) {
    return cipher.seal(aad, plaintext);
  }

  @Override
  public byte[] open(byte[] aad, byte[] body) throws IkeProtocolException {
    try {
      return cipher.open(aad, body);
    } catch (IntegrityException e) {
      throw new IntegrityCheckFailedException(e.getMessage());
    }
  }

  void wipe() {
    cipher.wipe();
  }
}
