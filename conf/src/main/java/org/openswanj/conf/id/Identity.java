package org.openswanj.conf.id;

import com.google.common.io.BaseEncoding;
import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.openswanj.conf.Patterns;

/**
 * An IKE identity as Openswan writes it in ipsec.conf and ipsec.secrets (Openswan's id.c atoid/idtoa),
 * with its wire form (RFC 2407 §4.6.2.1, RFC 7296 §3.5).
 *
 * @param kind  the identity type
 * @param text  canonical text, as {@link #toString()} prints it and {@link #parse} reads it back
 * @param bytes the ID payload's identification data (empty for the pseudo kinds)
 */
public record Identity(Kind kind, String text, byte[] bytes) {

  /** Identity types; the first six are IKE ID types, the rest are Openswan's configuration keywords. */
  public enum Kind {
    IPV4_ADDR(1),
    IPV6_ADDR(5),
    FQDN(2),
    USER_FQDN(3),
    DER_ASN1_DN(9),
    KEY_ID(11),
    /** RFC 7619 §2.2 ID_NULL: no identity (NULL authentication); Libreswan writes it {@code %null}. */
    NULL(13),
    FROMCERT(0),
    NONE(0),
    MYID(0),
    ANY(0);

    private final int ikeIdType;

    Kind(int ikeIdType) {
      this.ikeIdType = ikeIdType;
    }

    /** The ID Type on the wire (RFC 2407 §4.6.2.1 / RFC 7296 §3.5); 0 for kinds never sent. */
    public int ikeIdType() {
      return ikeIdType;
    }

    /** The kind for a wire ID Type, if it is one we model; never throws. */
    public static Optional<Kind> fromIkeIdType(int type) {
      for (Kind k : values()) {
        if (k.ikeIdType != 0 && k.ikeIdType == type) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /** ID_NULL, sent with an empty Identification Data field (RFC 7619 §2.2). */
  public static final Identity NULL_ID = new Identity(Kind.NULL, "%null", null);

  private static final BaseEncoding HEX = BaseEncoding.base16().lowerCase();

  public Identity {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    bytes = bytes == null ? new byte[0] : bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Parses Openswan's textual forms; the exception message names the text and what is wrong. */
  public static Identity parse(String s) throws IdentityException {
    if (s == null || s.isBlank()) {
      throw new IdentityException("empty identity");
    }
    String src = s.strip();
    switch (src) {
      case "%fromcert": return new Identity(Kind.FROMCERT, "%fromcert", null);
      case "%null": return NULL_ID;
      case "%none": return new Identity(Kind.NONE, "%none", null);
      case "%myid": return new Identity(Kind.MYID, "%myid", null);
      case "%any": return new Identity(Kind.ANY, "%any", null);
      case "%any6": return new Identity(Kind.ANY, "%any6", null);
      default: break;
    }
    if (src.indexOf('=') >= 0) {
      // Openswan tests for '=' first: a DN may contain '@' (E=user@host).
      return ofDn(DistinguishedNames.parse(src));
    }
    if (src.startsWith("%")) {
      throw new IdentityException("unknown identity keyword \"" + src
          + "\" (expected %any, %any6, %fromcert, %none or %myid)");
    }
    noBlanks(src);
    int at = src.indexOf('@');
    if (at < 0) {
      return parseAddress(src);
    }
    if (at == 0) {
      return parseAtForm(src);
    }
    if (at == src.length() - 1) {
      throw new IdentityException("identity \"" + src + "\" has no domain after '@'");
    }
    return new Identity(Kind.USER_FQDN, src, src.getBytes(StandardCharsets.UTF_8));
  }

  /** The identity of an address (ID_IPV4_ADDR / ID_IPV6_ADDR). */
  public static Identity ofAddress(InetAddress a) {
    Objects.requireNonNull(a, "address");
    Kind k = a instanceof Inet4Address ? Kind.IPV4_ADDR : Kind.IPV6_ADDR;
    return new Identity(k, InetAddresses.toAddrString(a), a.getAddress());
  }

  /** Builds an identity from an ID payload's type and data, as a peer sent it. */
  public static Identity fromWire(Kind kind, byte[] data) throws IdentityException {
    switch (kind) {
      case IPV4_ADDR:
      case IPV6_ADDR:
        int want = kind == Kind.IPV4_ADDR ? 4 : 16;
        if (data.length != want) {
          throw new IdentityException(kind + " identity must be " + want + " bytes, got " + data.length);
        }
        try {
          return ofAddress(InetAddress.getByAddress(data));
        } catch (java.net.UnknownHostException e) {
          throw new IdentityException(kind + " identity has a bad address length " + data.length);
        }
      case FQDN:
        return new Identity(kind, "@" + new String(data, StandardCharsets.UTF_8), data);
      case USER_FQDN:
        return new Identity(kind, new String(data, StandardCharsets.UTF_8), data);
      case DER_ASN1_DN:
        return ofDn(DistinguishedNames.fromDer(data));
      case KEY_ID:
        return new Identity(kind, "@#" + HEX.encode(data), data);
      case NULL:
        return NULL_ID; // RFC 7619 §2.2: ID_NULL's data is sent empty and ignored when received
      default:
        throw new IdentityException(kind + " is not an identity type that is sent on the wire");
    }
  }

  /** True for %any, %any6 and the all-zeros addresses: Openswan's "any" identity (a wildcard). */
  public boolean isAny() {
    if (kind == Kind.ANY) {
      return true;
    }
    if (kind == Kind.IPV4_ADDR || kind == Kind.IPV6_ADDR) {
      for (byte b : bytes) {
        if (b != 0) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** The address of an IPV4_ADDR / IPV6_ADDR identity. */
  public Optional<InetAddress> address() {
    if (kind != Kind.IPV4_ADDR && kind != Kind.IPV6_ADDR) {
      return Optional.empty();
    }
    return Optional.of(InetAddresses.forString(text));
  }

  /** Number of "*" RDN values (DN wildcards) in this identity; 0 unless it is a DN pattern. */
  public int wildcards() {
    return kind == Kind.DER_ASN1_DN ? DistinguishedNames.wildcards(dn()) : 0;
  }

  /**
   * True if {@code other} is this identity: same kind and value, FQDNs compared without case and
   * trailing dots (Openswan's same_id), DNs compared RDN by RDN where a "*" value of this identity
   * matches any value (Openswan's match_dn). %any is not a wildcard here; callers decide that.
   */
  public boolean matches(Identity other) {
    if (other == null || kind != other.kind) {
      return false;
    }
    switch (kind) {
      case FQDN:
      case USER_FQDN:
        return trimDots(text).equalsIgnoreCase(trimDots(other.text));
      case DER_ASN1_DN:
        return DistinguishedNames.match(dn(), other.dn());
      case ANY:
      case NONE:
      case MYID:
      case FROMCERT:
        return true;
      default:
        return Arrays.equals(bytes, other.bytes);
    }
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Identity i && kind == i.kind && text.equals(i.text) && Arrays.equals(bytes, i.bytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, text) * 31 + Arrays.hashCode(bytes);
  }

  private X500Name dn() {
    return X500Name.getInstance(bytes);
  }

  private static Identity ofDn(X500Name name) {
    return new Identity(Kind.DER_ASN1_DN, DistinguishedNames.format(name), DistinguishedNames.der(name));
  }

  private static Identity parseAddress(String src) throws IdentityException {
    // No "%zone" (RFC 4007 §11): not an ID_IPV6_ADDR's content, and Guava would throw looking the zone up.
    if (src.indexOf('%') >= 0 || !InetAddresses.isInetAddress(src)) {
      throw new IdentityException("identity \"" + src + "\" is not an IP address"
          + " (write @" + src + " for an FQDN identity)");
    }
    return ofAddress(InetAddresses.forString(src));
  }

  /** "@fqdn", "@#hex" (KEY_ID), "@~hex" (DER DN), "@[text]" (KEY_ID taken as text, not resolved). */
  private static Identity parseAtForm(String src) throws IdentityException {
    if (src.length() == 1) {
      throw new IdentityException("identity \"@\" has no name after '@'");
    }
    char second = src.charAt(1);
    if (second == '#') {
      return new Identity(Kind.KEY_ID, "@#" + HEX.encode(hex(src, 2)), hex(src, 2));
    }
    if (second == '~') {
      return ofDn(DistinguishedNames.fromDer(hex(src, 2)));
    }
    if (second == '[') {
      String raw = src.endsWith("]") ? src.substring(2, src.length() - 1) : src.substring(2);
      if (raw.isEmpty()) {
        throw new IdentityException("identity \"" + src + "\" has no text inside @[...]");
      }
      return new Identity(Kind.KEY_ID, "@[" + raw + "]", raw.getBytes(StandardCharsets.UTF_8));
    }
    return new Identity(Kind.FQDN, src, src.substring(1).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hex(String src, int from) throws IdentityException {
    String digits = src.substring(from);
    if (digits.startsWith("0x") || digits.startsWith("0X")) {
      digits = digits.substring(2);
    }
    digits = digits.replace("_", "").toLowerCase(Locale.ROOT);
    if (digits.isEmpty() || digits.length() % 2 != 0 || !Patterns.HEX.matcher(digits).matches()) {
      throw new IdentityException("identity \"" + src + "\": \"" + src.substring(from)
          + "\" is not an even number of hex digits");
    }
    return HEX.decode(digits);
  }

  private static void noBlanks(String src) throws IdentityException {
    for (int i = 0; i < src.length(); i++) {
      if (Character.isWhitespace(src.charAt(i))) {
        throw new IdentityException("identity \"" + src + "\" contains white space");
      }
    }
  }

  private static String trimDots(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '.') {
      end--;
    }
    return s.substring(0, end);
  }
}
