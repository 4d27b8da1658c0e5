package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.alg.AlgorithmParser;
import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.conf.alg.EspAlgorithm;
import org.openswanj.conf.alg.IkeAlgorithm;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;

class AlgorithmParserTest {
  @Test
  void openswanIkeForms() throws Exception {
    assertEquals(List.of(new IkeAlgorithm(Encryption.DES3_CBC, 0, Integrity.HMAC_MD5_96, Prf.HMAC_MD5,
        DhGroup.MODP1024)), AlgorithmParser.parseIke("3des-md5-modp1024", "ike"));
    assertEquals(List.of(new IkeAlgorithm(Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96, Prf.HMAC_SHA1,
        DhGroup.MODP2048)), AlgorithmParser.parseIke("aes128-sha1;modp2048", "ike"));
    assertEquals(List.of(new IkeAlgorithm(Encryption.AES_CBC, 256, Integrity.HMAC_SHA2_256_128,
        Prf.HMAC_SHA2_256, DhGroup.MODP2048)), AlgorithmParser.parseIke("aes256-sha2_256-modp2048", "ike"));
  }

  @Test
  void modernAeadWithPrfAndStrictSuffix() throws Exception {
    List<IkeAlgorithm> l = AlgorithmParser.parseIke("aes128gcm16-prfsha256-modp2048!", "ike");
    assertEquals(List.of(new IkeAlgorithm(Encryption.AES_GCM_16, 128, null, Prf.HMAC_SHA2_256, DhGroup.MODP2048)),
        l);
  }

  @Test
  void missingPartsExpandToDefaults() throws Exception {
    List<IkeAlgorithm> l = AlgorithmParser.parseIke("aes", "ike");
    assertEquals(6, l.size(), "sha1,md5 x modp2048,modp1536,modp1024");
    assertEquals(Prf.HMAC_SHA1, l.get(0).prf());
    assertEquals(128, l.get(0).effectiveKeyLength());
  }

  @Test
  void espForms() throws Exception {
    assertEquals(List.of(new EspAlgorithm(Encryption.AES_GCM_16, 256, null, null)),
        AlgorithmParser.parseEsp("aes_gcm_c-256", "esp"));
    assertEquals(List.of(new EspAlgorithm(Encryption.AES_GCM_16, 128, null, DhGroup.MODP2048)),
        AlgorithmParser.parseEsp("aes_gcm128;modp2048", "esp"));
    List<EspAlgorithm> two = AlgorithmParser.parseEsp("3des-md5, aes256-sha2_512", "esp");
    assertEquals(Integrity.HMAC_MD5_96, two.get(0).integrity());
    assertEquals(256, two.get(1).keyLength());
    assertNull(two.get(1).pfsGroup());
  }

  @Test
  void unknownNamesAreErrorsNamingTheAcceptedOnes() {
    ConfigException e = assertThrows(ConfigException.class, () -> AlgorithmParser.parseIke("blowfish-sha1", "ike"));
    assertTrue(e.getMessage().contains("unknown encryption algorithm \"blowfish\""), e.getMessage());
    assertTrue(e.getMessage().contains("3des, aes"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> AlgorithmParser.parseEsp("aes-sha3", "esp"));
    assertTrue(e.getMessage().contains("unexpected \"sha3\"") && e.getMessage().contains("sha2_256"),
        e.getMessage());
    e = assertThrows(ConfigException.class, () -> AlgorithmParser.parseIke("aes-sha1-modp999", "ike"));
    assertTrue(e.getMessage().contains("modp2048"), e.getMessage());
    assertThrows(ConfigException.class, () -> AlgorithmParser.parseIke("aes192gcm16,", "ike"));
    assertThrows(ConfigException.class, () -> AlgorithmParser.parseIke("3des512-md5", "ike"));
  }
}
