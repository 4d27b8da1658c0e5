package org.openswanj.pluto.oe;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * FreeS/WAN's and Openswan 2.x's TXT record {@code X-IPsec-Server(PREF)=GATEWAY [KEY]}: the host at the
 * record's name is reached through GATEWAY (a literal address or an {@code @FQDN} ID), whose RFC 3110 RSA key,
 * in base 64, may follow. PREF orders several records, lowest first (0..65535). The strings of the TXT record
 * are joined before parsing, so {@code "X-IPsec-Server(10)=192.1.2.23" " AQN..."} and
 * {@code "X-IPsec-Server(10)=192.1.2.45 " "AQN..."} (both in Openswan 2.6's test zones) mean the same.
 */
public record OpenswanTxt(int preference, String gateway, Optional<byte[]> key) {
  static final String ATTRIBUTE = "X-IPsec-Server";
  /** showhostkey splits the key in strings of this many digits (a TXT string holds at most 255). */
  private static final int CHUNK = 240;

  public OpenswanTxt {
    key = key.map(byte[]::clone);
  }

  @Override
  public Optional<byte[]> key() {
    return key.map(byte[]::clone);
  }

  /** A record to publish; {@code gateway} must be an address or an @FQDN. */
  public static OpenswanTxt of(int preference, String gateway, byte[] rfc3110Key) {
    if (preference < 0 || preference > 0xFFFF) {
      throw new IllegalArgumentException("X-IPsec-Server preference must be 0..65535, not " + preference);
    }
    try {
      parseGateway(gateway);
    } catch (OeRecordException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    return new OpenswanTxt(preference, gateway, Optional.of(rfc3110Key));
  }

  /** The TXT strings as Openswan's showhostkey writes them: gateway first, then the key in 240-digit pieces. */
  public List<String> strings() {
    List<String> out = new ArrayList<>();
    out.add(ATTRIBUTE + "(" + preference + ")=" + gateway + " ");
    String b64 = key.map(k -> Base64.getEncoder().encodeToString(k)).orElse("");
    for (int i = 0; i < b64.length(); i += CHUNK) {
      out.add(b64.substring(i, Math.min(b64.length(), i + CHUNK)));
    }
    return out;
  }

  /** The gateway when it is a literal address. */
  public Optional<InetAddress> gatewayAddress() {
    return gateway.startsWith("@") ? Optional.empty() : Optional.of(InetAddresses.forString(gateway));
  }

  /** The gateway's name when it is an @FQDN ID. */
  public Optional<Name> gatewayName() {
    try {
      return gateway.startsWith("@") ? Optional.of(Name.fromString(gateway.substring(1), Name.root))
          : Optional.empty();
    } catch (TextParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses the joined strings of one TXT record. Empty when the record is not an X-IPsec-Server record
   * (a TXT record for something else at the same name); an exception when it is one but malformed.
   */
  public static Optional<OpenswanTxt> parse(String joined) throws OeRecordException {
    String p = joined.stripLeading();
    if (!p.regionMatches(true, 0, ATTRIBUTE, 0, ATTRIBUTE.length())) {
      return Optional.empty();
    }
    p = p.substring(ATTRIBUTE.length()).stripLeading();
    if (!p.startsWith("(")) {
      throw new OeRecordException(ATTRIBUTE + " missing '('");
    }
    int close = p.indexOf(')');
    if (close < 0) {
      throw new OeRecordException(ATTRIBUTE + " priority missing ')'");
    }
    int pref = preference(p.substring(1, close).strip());
    p = p.substring(close + 1).stripLeading();
    if (!p.startsWith("=")) {
      throw new OeRecordException(ATTRIBUTE + " priority missing '='");
    }
    String[] words = p.substring(1).strip().split("[ \t]+", 2);
    if (words[0].isEmpty()) {
      throw new OeRecordException(ATTRIBUTE + " badly formed (no gateway specified)");
    }
    String gw = parseGateway(words[0]);
    Optional<byte[]> key = Optional.empty();
    if (words.length > 1 && !words[1].isBlank()) {
      key = Optional.of(base64(words[1].strip()));
    }
    return Optional.of(new OpenswanTxt(pref, gw, key));
  }

  /** Openswan reads the priority with strtoul(…, 0): decimal, 0x hex or 0 octal. */
  private static int preference(String s) throws OeRecordException {
    try {
      long v;
      String l = s.toLowerCase(Locale.ROOT);
      if (l.startsWith("0x")) {
        v = Long.parseLong(l.substring(2), 16);
      } else if (l.length() > 1 && l.startsWith("0")) {
        v = Long.parseLong(l.substring(1), 8);
      } else {
        v = Long.parseLong(l);
      }
      if (v < 0 || v > 0xFFFF) {
        throw new OeRecordException(ATTRIBUTE + " priority larger than 0xFFFF");
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new OeRecordException("malformed " + ATTRIBUTE + " priority \"" + s + "\"");
    }
  }

  private static String parseGateway(String g) throws OeRecordException {
    if (g.startsWith("@")) {
      try {
        Name.fromString(g.substring(1), Name.root);
        return g;
      } catch (TextParseException e) {
        throw new OeRecordException("malformed FQDN in TXT " + ATTRIBUTE + ": " + e.getMessage());
      }
    }
    // no "%zone" (RFC 4007 §11): Guava would look it up as a local interface and throw when there is none
    if (g.indexOf('%') >= 0 || !InetAddresses.isInetAddress(g)) {
      throw new OeRecordException("malformed IP address in TXT " + ATTRIBUTE + ": \"" + g + "\"");
    }
    InetAddress a = InetAddresses.forString(g);
    if (a.isAnyLocalAddress()) {
      throw new OeRecordException("gateway address must not be 0.0.0.0 or 0::0");
    }
    return InetAddresses.toAddrString(a);
  }

  private static byte[] base64(String s) throws OeRecordException {
    String b = s.startsWith("0s") ? s.substring(2) : s;
    try {
      return Base64.getDecoder().decode(b);
    } catch (IllegalArgumentException e) {
      throw new OeRecordException("malformed key data: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return ATTRIBUTE + "(" + preference + ")=" + gateway + (key.isPresent() ? " [key]" : "");
  }
}
