package org.openswanj.pluto.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

/** What the registry claims is what the implementations accept, so the daemon never offers a dead algorithm. */
class CryptoRegistryTest {
  private final SecureRandom random = new SecureRandom();

  @Test
  void everySupportedCipherWorksAtEveryKeyLength() throws Exception {
    for (Encryption e : Encryption.values()) {
      if (!CryptoRegistry.supported(e)) {
        assertThrows(IllegalArgumentException.class, () -> SkCipher.create(e, e.defaultKeyLength(),
            Integrity.HMAC_SHA1_96, new byte[Math.max(0, e.defaultKeyLength() / 8 + e.saltSize())], new byte[20],
            random), e.toString());
        continue;
      }
      for (int bits : e.keyLengths()) {
        Integrity integ = e.aead() ? null : Integrity.HMAC_SHA2_256_128;
        byte[] key = new byte[Ikev2KeyDerivation.encKeyLength(e, bits)];
        SkCipher c = SkCipher.create(e, bits, integ, key, integ == null ? null : new byte[32], random);
        assertEquals("payload", new String(c.open(new byte[4], c.seal(new byte[4], "payload".getBytes()))));
      }
    }
    assertFalse(CryptoRegistry.supported(Encryption.NULL));
    assertTrue(CryptoRegistry.supportedIkev1(Encryption.DES3_CBC));
    assertFalse(CryptoRegistry.supportedIkev1(Encryption.CHACHA20_POLY1305));
  }

  @Test
  void everySupportedIntegrityAndPrfHasAnImplementation() {
    for (Integrity i : Integrity.values()) {
      assertEquals(i.implemented(), CryptoRegistry.supported(i), i.toString());
      if (!i.implemented()) {
        assertThrows(IllegalArgumentException.class, () -> IntegrityMac.of(i, new byte[i.keySize()]));
        continue;
      }
      assertEquals(i.icvSize(), IntegrityMac.of(i, new byte[i.keySize()]).icv(new byte[3]).length, i.toString());
    }
    for (Prf p : Prf.values()) {
      assertTrue(CryptoRegistry.supported(p));
      assertEquals(p.outputSize(), PrfFunction.of(p, new byte[7]).apply(new byte[3]).length, p.toString());
    }
  }
}
