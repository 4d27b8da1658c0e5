package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    ConfigException e = assertThrows(ConfigException.class, () -> AlgorithmParser.parseIke("rot13-sha1", "ike"));
    assertTrue(e.getMessage().contains("unknown encryption algorithm \"rot13\""), e.getMessage());
    assertTrue(e.getMessage().contains("3des, aes"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> AlgorithmParser.parseEsp("aes-sha3", "esp"));
    assertTrue(e.getMessage().contains("unexpected \"sha3\"") && e.getMessage().contains("sha2_256"),
        e.getMessage());
    e = assertThrows(ConfigException.class, () -> AlgorithmParser.parseIke("aes-sha1-modp999", "ike"));
    assertTrue(e.getMessage().contains("modp2048"), e.getMessage());
    assertThrows(ConfigException.class, () -> AlgorithmParser.parseIke("aes192gcm16,", "ike"));
    assertThrows(ConfigException.class, () -> AlgorithmParser.parseIke("3des512-md5", "ike"));
  }

  // ---- Openswan 2.6's algorithm strings (issue 14): parsed to the typed model, exact messages

  @Test
  void openswanSpellingsOfGroupsAndSeparators() throws Exception {
    assertEquals(List.of(new EspAlgorithm(Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96, DhGroup.MODP2048)),
        AlgorithmParser.parseEsp("aes128-sha1;modp2048", "phase2alg"));
    assertEquals(List.of(new EspAlgorithm(Encryption.DES3_CBC, 0, Integrity.HMAC_MD5_96, DhGroup.MODP1024)),
        AlgorithmParser.parseEsp("3des-md5;modp1024", "phase2alg"));
    assertEquals(List.of(new IkeAlgorithm(Encryption.AES_CBC, 0, Integrity.HMAC_SHA1_96, Prf.HMAC_SHA1,
        DhGroup.MODP1024)), AlgorithmParser.parseIke("aes-sha1-modp1024", "ike"));
    List<IkeAlgorithm> noGroup = AlgorithmParser.parseIke("aes-sha1", "ike");
    assertEquals(List.of(DhGroup.MODP2048, DhGroup.MODP1536, DhGroup.MODP1024),
        noGroup.stream().map(IkeAlgorithm::dhGroup).toList(), "DefaultProposals.IKE_GROUPS_WHEN_OMITTED");
    assertEquals(List.of(new IkeAlgorithm(Encryption.AES_CBC, 256, Integrity.HMAC_SHA1_96, Prf.HMAC_SHA1,
        DhGroup.MODP1536)), AlgorithmParser.parseIke("aes-256-sha-modp1536", "ike"), "aes-256: key length apart");
  }

  @Test
  void truncationSuffixesAreTheAlgorithmsOwn() throws Exception {
    assertEquals(AlgorithmParser.parseEsp("3des-sha1", "esp"), AlgorithmParser.parseEsp("3des-sha1-96", "esp"));
    assertEquals(AlgorithmParser.parseEsp("aes-sha2_256", "esp"),
        AlgorithmParser.parseEsp("aes-sha2_256-128", "esp"));
    assertEquals(AlgorithmParser.parseEsp("aes-sha1;modp2048", "esp"),
        AlgorithmParser.parseEsp("aes-sha1-160;modp2048", "esp"), "the key length form names the same algorithm");
    assertEquals(AlgorithmParser.parseIke("aes-sha2_256-modp2048", "ike"),
        AlgorithmParser.parseIke("aes-sha2_256-128-modp2048", "ike"));
    ConfigException e = assertThrows(ConfigException.class, () -> AlgorithmParser.parseEsp("aes-sha2_256-96", "esp"));
    assertEquals("esp=aes-sha2_256-96: sha2_256-96: truncation to 96 bits is not implemented (sha2_256 is "
        + "truncated to 128 bits)", e.getMessage());
  }

  @Test
  void ahTakesIntegrityOnly() throws Exception {
    assertEquals(List.of(EspAlgorithm.ah(Integrity.HMAC_SHA1_96, null)), AlgorithmParser.parseAh("sha1", "phase2alg"));
    assertEquals(List.of(EspAlgorithm.ah(Integrity.HMAC_SHA2_256_128, DhGroup.MODP2048),
        EspAlgorithm.ah(Integrity.HMAC_MD5_96, null)), AlgorithmParser.parseAh("sha2_256-128;modp2048, md5-96",
        "phase2alg"));
    ConfigException e = assertThrows(ConfigException.class, () -> AlgorithmParser.parseAh("aes-sha1", "phase2alg"));
    assertEquals("phase2alg=aes-sha1: phase2=ah takes an integrity algorithm, not \"aes\" (accepted: md5, sha1, "
        + "aes_xcbc, sha2_256, sha2_384, sha2_512; parsed but not implemented: ripemd)", e.getMessage());
    ConnConfig c = ConfigLoader.parse(ConfTestSupport.conn("ah", "phase2=ah", "phase2alg=sha1"),
        java.nio.file.Path.of("ipsec.conf")).config().conn("ah").orElseThrow();
    assertEquals(Phase2.AH, c.phase2());
    assertEquals(List.of(EspAlgorithm.ah(Integrity.HMAC_SHA1_96, null)), c.esp());
  }

  @Test
  void namesOpenswanParsedButNothingImplementsAreParsed() throws Exception {
    for (String name : List.of("twofish", "serpent", "blowfish", "cast", "des", "camellia", "aes_ccm_c")) {
      List<EspAlgorithm> l = AlgorithmParser.parseEsp(name.startsWith("aes_ccm") ? name : name + "-sha1", "esp");
      assertFalse(l.get(0).encryption().implemented(), name);
      assertEquals(name, l.get(0).encryption().names().config().stream().filter(name::equals).findFirst()
          .orElseThrow());
    }
    assertEquals(Encryption.TWOFISH_CBC, AlgorithmParser.parseIke("twofish256-sha1-modp2048", "ike").get(0)
        .encryption());
    assertEquals(256, AlgorithmParser.parseIke("serpent256-sha1-modp2048", "ike").get(0).keyLength());
    assertFalse(AlgorithmParser.parseEsp("aes-ripemd", "esp").get(0).integrity().implemented());
    ConfigException e = assertThrows(ConfigException.class, () -> AlgorithmParser.parseIke("aes-ripemd", "ike"));
    assertEquals("ike=aes-ripemd: ripemd has no IKE hash (accepted: md5, sha1, aes_xcbc, sha2_256, sha2_384, "
        + "sha2_512)", e.getMessage());
  }
}
