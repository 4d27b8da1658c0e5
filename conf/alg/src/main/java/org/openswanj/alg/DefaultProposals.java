package org.openswanj.alg;

import java.util.ArrayList;
import java.util.List;

/**
 * The algorithms proposed when a conn leaves them out, declared once for the parser ({@code ike=}/{@code esp=}
 * parts left out), IKEv1 and IKEv2 proposal building, and status output.
 *
 * <p>IKEv1 follows Openswan 2.6: its phase 1 list (programs/pluto/spdb.c {@code oakley_trans_psk}: groups 2048,
 * 1536, 1024, each with AES and 3DES, each with SHA1 and MD5) and its Quick Mode list ({@code espa_trans}). IKEv2
 * proposes what RFC 8247 §3 and RFC 8221 §5 recommend: AES-GCM, then AES-CBC with SHA-2, over Curve25519, ECP and
 * MODP 2048+ groups.
 */
public final class DefaultProposals {
  private DefaultProposals() {}

  /** A cipher with its key length, bits. */
  public record Cipher(Encryption enc, int keyBits) {}

  /** One phase 1 / IKE SA proposal; integrity null for AEAD. */
  public record Ike(Cipher cipher, Integrity integ, Prf prf, DhGroup dh) {}

  /** One ESP proposal (the PFS group, if any, comes from the conn); integrity null for AEAD. */
  public record Esp(Cipher cipher, Integrity integ) {}

  /**
   * DH groups for an {@code ike=} proposal that names none. Openswan 2.6 used MODP1536 then MODP1024
   * (plutoalg.c {@code default_ike_groups}); MODP2048 comes first here, as RFC 8247 §2.4 asks.
   */
  public static final List<DhGroup> IKE_GROUPS_WHEN_OMITTED =
      List.of(DhGroup.MODP2048, DhGroup.MODP1536, DhGroup.MODP1024);

  /** The PRF of an AEAD {@code ike=} proposal that names none (RFC 8247 §3.2: PRF_HMAC_SHA2_256 is a MUST). */
  public static final Prf PRF_WHEN_OMITTED_WITH_AEAD = Prf.HMAC_SHA2_256;

  /** Integrity for a non-AEAD proposal that names none: SHA1 then MD5 (Openswan's MD5 and SHA, strongest first). */
  public static final List<Integrity> INTEGRITY_WHEN_OMITTED = List.of(Integrity.HMAC_SHA1_96, Integrity.HMAC_MD5_96);

  private static final List<Cipher> V1_CIPHERS = List.of(new Cipher(Encryption.AES_CBC, 128),
      new Cipher(Encryption.DES3_CBC, 192));
  private static final List<DhGroup> V2_GROUPS = List.of(DhGroup.CURVE25519, DhGroup.ECP256, DhGroup.ECP384,
      DhGroup.MODP2048, DhGroup.MODP3072, DhGroup.MODP4096);
  private static final List<Prf> V2_PRFS = List.of(Prf.HMAC_SHA2_256, Prf.HMAC_SHA2_384, Prf.HMAC_SHA2_512);
  private static final List<Integrity> V2_INTEGRITY =
      List.of(Integrity.HMAC_SHA2_256_128, Integrity.HMAC_SHA2_384_192, Integrity.HMAC_SHA2_512_256);
  private static final List<Integer> V2_KEY_BITS = List.of(128, 256);

  /** Openswan 2.6's phase 1 proposals without {@code ike=}, in its order; the PRF is the hash's HMAC (RFC 2409 §4). */
  public static List<Ike> ikev1Ike() {
    List<Ike> out = new ArrayList<>();
    for (DhGroup g : IKE_GROUPS_WHEN_OMITTED) {
      for (Cipher c : V1_CIPHERS) {
        for (Integrity i : INTEGRITY_WHEN_OMITTED) {
          out.add(new Ike(c, i, i.matchingPrf().orElseThrow(), g));
        }
      }
    }
    return List.copyOf(out);
  }

  /** Openswan 2.6's Quick Mode proposals without {@code esp=}: AES then 3DES, each with SHA1 then MD5. */
  public static List<Esp> ikev1Esp() {
    List<Esp> out = new ArrayList<>();
    for (Cipher c : V1_CIPHERS) {
      for (Integrity i : INTEGRITY_WHEN_OMITTED) {
        out.add(new Esp(c, i));
      }
    }
    return List.copyOf(out);
  }

  /** IKE SA proposals without {@code ike=}: AES-GCM-16, then AES-CBC with SHA-2, each PRF, each group. */
  public static List<Ike> ikev2Ike() {
    List<Ike> out = new ArrayList<>();
    for (int bits : V2_KEY_BITS) {
      for (Prf p : V2_PRFS) {
        for (DhGroup g : V2_GROUPS) {
          out.add(new Ike(new Cipher(Encryption.AES_GCM_16, bits), null, p, g));
        }
      }
    }
    for (int bits : V2_KEY_BITS) {
      for (Integrity i : V2_INTEGRITY) {
        for (Prf p : V2_PRFS) {
          for (DhGroup g : V2_GROUPS) {
            out.add(new Ike(new Cipher(Encryption.AES_CBC, bits), i, p, g));
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /** Child SA proposals without {@code esp=}: AES-GCM-16, then AES-CBC with SHA-2 or SHA1. */
  public static List<Esp> ikev2Esp() {
    List<Esp> out = new ArrayList<>();
    for (int bits : V2_KEY_BITS) {
      out.add(new Esp(new Cipher(Encryption.AES_GCM_16, bits), null));
    }
    for (int bits : V2_KEY_BITS) {
      for (Integrity i : List.of(Integrity.HMAC_SHA2_256_128, Integrity.HMAC_SHA2_384_192,
          Integrity.HMAC_SHA2_512_256, Integrity.HMAC_SHA1_96)) {
        out.add(new Esp(new Cipher(Encryption.AES_CBC, bits), i));
      }
    }
    return List.copyOf(out);
  }
}
