package org.openswanj.conf.alg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openswanj.alg.Algorithm;
import org.openswanj.alg.DefaultProposals;
import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.Patterns;

/**
 * Parses {@code ike=}, {@code esp=} and {@code phase2alg=} lists: comma-separated proposals, each
 * {@code cipher[keylen][-integ][-prf][-group]} with '-' or ';' between parts (Openswan's
 * {@code 3des-md5-modp1024}, {@code aes128-sha1;modp2048}; modern {@code aes128gcm16-prfsha256-modp2048},
 * {@code aes_gcm_c-256}). A trailing {@code !} (strict) is accepted. Parts left out expand to
 * {@link DefaultProposals}.
 */
public final class AlgorithmParser {
  private static final Pattern MODERN_GCM = Pattern.compile("aes(\\d+)gcm(8|12|16)");
  private static final Pattern MODERN_CTR = Pattern.compile("aes(\\d+)ctr");
  private static final Pattern KEYLEN_SUFFIX = Pattern.compile("(.*?[a-z])_?(\\d+)");

  private AlgorithmParser() {}

  /** One cipher with its key length (0 = the cipher's default). */
  private record Cipher(Encryption enc, int keyLength) {}

  /** The parts of one proposal, before defaults are filled in. */
  private record Parts(Cipher cipher, Integrity integ, Prf prf, DhGroup group) {}

  public static List<IkeAlgorithm> parseIke(String value, String keyword) throws ConfigException {
    List<IkeAlgorithm> out = new ArrayList<>();
    for (String proposal : proposals(value, keyword)) {
      Parts p = parts(proposal, keyword, true);
      List<Integrity> integs = integrities(p);
      List<DhGroup> groups = p.group() != null ? List.of(p.group()) : DefaultProposals.IKE_GROUPS_WHEN_OMITTED;
      for (Integrity i : integs) {
        Prf prf = p.prf() != null ? p.prf() : i == null ? DefaultProposals.PRF_WHEN_OMITTED_WITH_AEAD
            : i.matchingPrf().orElseThrow(() -> new ConfigException(keyword + "=" + proposal + ": "
                + i.configName() + " has no IKE hash (accepted: " + names(ikeHashes()) + ")"));
        for (DhGroup g : groups) {
          out.add(new IkeAlgorithm(p.cipher().enc(), p.cipher().keyLength(), i, prf, g));
        }
      }
    }
    return List.copyOf(out);
  }

  public static List<EspAlgorithm> parseEsp(String value, String keyword) throws ConfigException {
    List<EspAlgorithm> out = new ArrayList<>();
    for (String proposal : proposals(value, keyword)) {
      Parts p = parts(proposal, keyword, false);
      for (Integrity i : integrities(p)) {
        out.add(new EspAlgorithm(p.cipher().enc(), p.cipher().keyLength(), i, p.group()));
      }
    }
    return List.copyOf(out);
  }

  /**
   * {@code phase2alg=} of a {@code phase2=ah} conn: integrity algorithms only, each optionally with a
   * truncation and a PFS group ({@code sha1}, {@code sha2_256-128;modp2048}), as Openswan's parser_init_ah.
   */
  public static List<EspAlgorithm> parseAh(String value, String keyword) throws ConfigException {
    List<EspAlgorithm> out = new ArrayList<>();
    for (String proposal : proposals(value, keyword)) {
      String[] tok = Patterns.split(proposal, "-;");
      Integrity integ = Integrity.byName(tok[0]).orElseThrow(() -> new ConfigException(keyword + "=" + proposal
          + ": phase2=ah takes an integrity algorithm, not \"" + tok[0] + "\" (accepted: "
          + names(Integrity.values()) + ")"));
      int i = 1;
      if (i < tok.length && Patterns.digits(tok[i], 1, Integer.MAX_VALUE)) {
        checkTruncation(integ, tok[i++], keyword, proposal);
      }
      DhGroup group = null;
      if (i < tok.length) {
        String t = tok[i++];
        group = DhGroup.byName(t).orElseThrow(() -> new ConfigException(keyword + "=" + proposal + ": unexpected \""
            + t + "\" (accepted dh groups: " + names(DhGroup.values()) + ")"));
      }
      if (i < tok.length) {
        throw new ConfigException(keyword + "=" + proposal + ": unexpected \"" + tok[i] + "\" after the dh group");
      }
      out.add(EspAlgorithm.ah(integ, group));
    }
    return List.copyOf(out);
  }

  /**
   * {@code sha1-96}, {@code sha2_256-128}: Openswan's auth key length field, written as the ICV truncation or the
   * key length. Either is accepted when it is the algorithm's; any other truncation (Openswan's 96-bit
   * sha2_truncbug among them) is not implemented.
   */
  private static void checkTruncation(Integrity integ, String digits, String keyword, String proposal)
      throws ConfigException {
    int bits = keyLength(digits);
    if (bits != integ.icvSize() * 8 && bits != integ.keySize() * 8) {
      throw new ConfigException(keyword + "=" + proposal + ": " + integ.configName() + "-" + bits + ": truncation to "
          + bits + " bits is not implemented (" + integ.configName() + " is truncated to " + integ.icvSize() * 8
          + " bits)");
    }
  }

  private static Integrity[] ikeHashes() {
    return java.util.stream.Stream.of(Integrity.values()).filter(i -> i.matchingPrf().isPresent())
        .toArray(Integrity[]::new);
  }

  private static List<Integrity> integrities(Parts p) {
    if (p.integ() != null) {
      return List.of(p.integ());
    }
    return p.cipher().enc().aead() ? java.util.Collections.singletonList(null) : DefaultProposals.INTEGRITY_WHEN_OMITTED;
  }

  private static List<String> proposals(String value, String keyword) throws ConfigException {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.endsWith("!")) {
      v = v.substring(0, v.length() - 1);
    }
    List<String> out = new ArrayList<>();
    for (String p : v.split(",", -1)) {
      String t = p.trim();
      if (t.isEmpty()) {
        throw new ConfigException(keyword + "=" + value + ": empty proposal");
      }
      out.add(t);
    }
    return out;
  }

  /** Digits as a key length; one too long for an int is no cipher's (ConfFuzzTest#ipsecConf: aes1111…256). */
  private static int keyLength(String digits) {
    return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
  }

  private static Parts parts(String proposal, String keyword, boolean ike) throws ConfigException {
    String[] tok = Patterns.split(proposal, "-;");
    Cipher cipher = cipher(tok[0], keyword, proposal);
    int i = 1;
    if (i < tok.length && Patterns.digits(tok[i], 1, Integer.MAX_VALUE)) {
      cipher = withKeyLength(cipher.enc(), keyLength(tok[i]), keyword, proposal);
      i++;
    }
    Integrity integ = null;
    Prf prf = null;
    DhGroup group = null;
    for (; i < tok.length; i++) {
      String t = tok[i];
      Optional<Integrity> in = Integrity.byName(t);
      Optional<DhGroup> g = DhGroup.byName(t);
      if (t.startsWith("prf") && ike && prf == null && Prf.byName(t).isPresent()) {
        prf = Prf.byName(t).get();
      } else if (in.isPresent() && integ == null && prf == null && group == null && !cipher.enc().aead()) {
        integ = in.get();
        if (i + 1 < tok.length && Patterns.digits(tok[i + 1], 1, Integer.MAX_VALUE)) {
          checkTruncation(integ, tok[++i], keyword, proposal);
        }
      } else if (ike && prf == null && group == null && Prf.byName(t).isPresent()) {
        prf = Prf.byName(t).get();
      } else if (g.isPresent() && group == null) {
        group = g.get();
      } else {
        throw new ConfigException(keyword + "=" + proposal + ": unexpected \"" + t + "\" (accepted "
            + (cipher.enc().aead() ? "" : "integrity: " + names(Integrity.values()) + "; ")
            + (ike ? "prf: " + names(Prf.values()) + "; " : "") + "dh groups: " + names(DhGroup.values()) + ")");
      }
    }
    return new Parts(cipher, integ, prf, group);
  }

  private static Cipher cipher(String t, String keyword, String proposal) throws ConfigException {
    Optional<Encryption> exact = Encryption.byName(t);
    if (exact.isPresent()) {
      return new Cipher(exact.get(), 0);
    }
    Matcher m = MODERN_GCM.matcher(t);
    if (m.matches()) {
      Encryption e = Encryption.byName("aes_gcm" + m.group(2)).orElseThrow();
      return withKeyLength(e, keyLength(m.group(1)), keyword, proposal);
    }
    m = MODERN_CTR.matcher(t);
    if (m.matches()) {
      return withKeyLength(Encryption.AES_CTR, keyLength(m.group(1)), keyword, proposal);
    }
    m = KEYLEN_SUFFIX.matcher(t);
    if (m.matches() && Encryption.byName(m.group(1)).isPresent()) {
      return withKeyLength(Encryption.byName(m.group(1)).get(), keyLength(m.group(2)), keyword, proposal);
    }
    throw new ConfigException(keyword + "=" + proposal + ": unknown encryption algorithm \"" + t
        + "\" (accepted, optionally followed by a key length as in aes256: " + names(Encryption.values()) + ")");
  }

  private static Cipher withKeyLength(Encryption e, int bits, String keyword, String proposal)
      throws ConfigException {
    if (!e.acceptsKeyLength(bits)) {
      throw new ConfigException(keyword + "=" + proposal + ": key length " + bits + " is not valid for "
          + e.configName() + " (accepted: " + Stream.of(box(e.keyLengths())).map(String::valueOf)
              .collect(Collectors.joining(", ")) + ")");
    }
    return new Cipher(e, bits);
  }

  private static Integer[] box(int[] a) {
    Integer[] b = new Integer[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }

  /** The implemented names; the ones only parsed (Openswan 2.6 knew them) follow separately. */
  private static String names(Algorithm[] values) {
    String implemented = Stream.of(values).filter(Algorithm::implemented).map(Algorithm::configName)
        .collect(Collectors.joining(", "));
    String parsed = Stream.of(values).filter(a -> !a.implemented()).map(Algorithm::configName)
        .collect(Collectors.joining(", "));
    return parsed.isEmpty() ? implemented : implemented + "; parsed but not implemented: " + parsed;
  }


}
