package org.openswanj.alg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The descriptor tables are consistent: every name and id finds its own descriptor, and sizes agree. */
class DescriptorTest {
  private static <E> void namesAreUniqueAndFindTheirOwner(E[] values, Function<E, Names> names,
      Function<String, java.util.Optional<E>> byName) {
    Set<String> seen = new HashSet<>();
    for (E e : values) {
      for (String n : names.apply(e).config()) {
        assertTrue(seen.add(n), "config name " + n + " used twice");
        assertEquals(e, byName.apply(n.toUpperCase(java.util.Locale.ROOT)).orElseThrow(), n);
      }
    }
  }

  @Test
  void configNamesLeadBackToTheirDescriptor() {
    namesAreUniqueAndFindTheirOwner(Encryption.values(), Encryption::names, Encryption::byName);
    namesAreUniqueAndFindTheirOwner(Integrity.values(), Integrity::names, Integrity::byName);
    namesAreUniqueAndFindTheirOwner(Prf.values(), Prf::names, Prf::byName);
    namesAreUniqueAndFindTheirOwner(DhGroup.values(), DhGroup::names, DhGroup::byName);
  }

  @Test
  void wireIdsLeadBackToTheirDescriptor() {
    for (Encryption e : Encryption.values()) {
      assertEquals(e.ikev2Id() == IanaIds.NONE ? null : e, Encryption.fromIkev2(e.ikev2Id()).orElse(null));
      assertEquals(e.espV1Id() == IanaIds.NONE ? null : e, Encryption.fromEspV1(e.espV1Id()).orElse(null));
      assertEquals(e.ikev1Id() == IanaIds.NONE ? null : e, Encryption.fromIkev1(e.ikev1Id()).orElse(null));
    }
    for (Integrity i : Integrity.values()) {
      assertEquals(i.ikev2Id() == IanaIds.NONE ? null : i, Integrity.fromIkev2(i.ikev2Id()).orElse(null));
      assertEquals(i, Integrity.fromEspV1(i.espV1AuthId()).orElseThrow());
    }
    for (DhGroup g : DhGroup.values()) {
      assertEquals(g, DhGroup.fromId(g.id()).orElseThrow());
    }
    assertFalse(Encryption.fromIkev1(IanaIds.NONE).isPresent(), "-1 is no wire value");
  }

  @Test
  void sizesAgreeWithTheMode() {
    for (Encryption e : Encryption.values()) {
      assertEquals(e.mode() == CipherMode.AEAD, e.icvSize() > 0, e + ": only AEAD carries its own ICV");
      assertEquals(e.defaultKeyLength(), e.keyLengths()[0]);
      assertEquals(e.variableKeyLength(), e.keyLengths().length > 1);
    }
    for (Integrity i : Integrity.values()) {
      assertTrue(i.icvSize() < i.keySize() || i == Integrity.AES_XCBC_96, i + ": truncated below the key size");
      i.matchingPrf().ifPresent(p -> assertEquals(p.impl().construction(), i.impl().construction()));
    }
    // RFC 5903 §7: x ‖ y, each the field size
    assertEquals(2 * 66, DhGroup.ECP521.publicValueSize());
  }

  @Test
  void anUnimplementedDescriptorHasNoImplementationNames() {
    for (Encryption e : Encryption.values()) {
      assertEquals(e.implemented(), e.xfrmName() != null, e.toString());
    }
    assertFalse(Encryption.TWOFISH_CBC.implemented());
    assertEquals(65005, Encryption.TWOFISH_CBC.ikev1Id(), "Openswan's private-use OAKLEY_TWOFISH_CBC");
    assertFalse(Integrity.HMAC_RIPEMD_160_96.implemented());
  }

  @Test
  void defaultProposalsAreOpenswansForIkev1() {
    List<DefaultProposals.Ike> v1 = DefaultProposals.ikev1Ike();
    assertEquals(12, v1.size(), "spdb.c oakley_trans_psk: 3 groups x {aes, 3des} x {sha1, md5}");
    assertEquals(new DefaultProposals.Ike(new DefaultProposals.Cipher(Encryption.AES_CBC, 128),
        Integrity.HMAC_SHA1_96, Prf.HMAC_SHA1, DhGroup.MODP2048), v1.get(0));
    assertEquals(DhGroup.MODP1024, v1.get(11).dh());
    assertTrue(DefaultProposals.ikev2Ike().stream().allMatch(p -> p.cipher().enc().implemented()
        && p.dh() != DhGroup.MODP1024 && p.dh() != DhGroup.MODP1536), "IKEv2 offers no group below 2048 bits");
  }

  @Test
  void openswanPrintsIpsecNamesWithoutTheirPrefix() {
    assertEquals("AES", Encryption.AES_CBC.names().ipsecShort());
    assertEquals("3DES", Encryption.DES3_CBC.names().ipsecShort());
    assertEquals("HMAC_SHA1", Integrity.HMAC_SHA1_96.names().ipsecShort());
    assertEquals(List.of("sha2_256", "sha256", "sha2", "hmac_sha2_256"), Integrity.HMAC_SHA2_256_128.names().config());
  }
}
