package org.openswanj.conf.id;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * ASN.1 distinguished names as Openswan reads, prints and compares them: "C=CA, O=Example, CN=west" in,
 * DER out; printed with ", " between RDNs; compared RDN by RDN, where a pattern value "*" matches any
 * value (Openswan's match_dn).
 */
final class DistinguishedNames {
  private static final java.util.regex.Pattern UNKNOWN_OID =
      java.util.regex.Pattern.compile("Unknown object id - (.*) - passed");
  /** Openswan encodes printable values as PrintableString, e-mail as IA5String; we do too. */
  private static final BCStyle STYLE = new BCStyle() {
    @Override
    protected ASN1Encodable encodeStringValue(ASN1ObjectIdentifier oid, String value) {
      if (oid.equals(BCStyle.EmailAddress) || oid.equals(BCStyle.DC)) {
        return new DERIA5String(value);
      }
      if (DERPrintableString.isPrintableString(value)) {
        return new DERPrintableString(value);
      }
      return new DERUTF8String(value);
    }
  };

  private DistinguishedNames() {}

  static X500Name parse(String text) throws IdentityException {
    String s = text.trim();
    if (s.indexOf('=') < 1) {
      throw new IdentityException("malformed DN \"" + text + "\": expected TYPE=value, ...");
    }
    // Openswan also accepts "/C=CA/O=Example" (slash separated, leading slash).
    if (s.startsWith("/")) {
      s = String.join(", ", s.substring(1).split("/"));
    }
    X500Name name;
    try {
      name = new X500Name(STYLE, s);
    } catch (RuntimeException e) {
      throw new IdentityException("malformed DN \"" + text + "\": " + reason(e));
    }
    for (RDN rdn : name.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if (atv.getValue() == null) {
          // Bouncy Castle reads a value starting with '#' as hex of its DER (RFC 4514 §2.4) and leaves none when
          // that is no DER (ConfFuzzTest#ipsecSecrets: "DC=#" threw a NullPointerException here, in
          // ipsec.secrets and ipsec.conf alike)
          throw new IdentityException("malformed DN \"" + text + "\": the value of " + typeName(atv.getType())
              + " starts with '#' but is not hexadecimal DER");
        }
        if (valueText(atv).isEmpty()) {
          throw new IdentityException("malformed DN \"" + text + "\": empty value for "
              + typeName(atv.getType()));
        }
      }
    }
    return name;
  }

  static X500Name fromDer(byte[] der) throws IdentityException {
    try {
      return X500Name.getInstance(der);
    } catch (RuntimeException e) {
      throw new IdentityException("malformed DER distinguished name (" + der.length + " bytes): "
          + reason(e));
    }
  }

  static byte[] der(X500Name name) {
    try {
      return name.getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding of a parsed name failed", e);
    }
  }

  /** Openswan's dntoa form: "C=CA, O=Example, CN=west". */
  static String format(X500Name name) {
    List<String> parts = new ArrayList<>();
    for (RDN rdn : name.getRDNs()) {
      List<String> inner = new ArrayList<>();
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        inner.add(typeName(atv.getType()) + "=" + valueText(atv));
      }
      parts.add(String.join(" + ", inner));
    }
    return String.join(", ", parts);
  }

  /** True if {@code candidate} matches {@code pattern}: same RDN types in order, values equal or "*". */
  static boolean match(X500Name pattern, X500Name candidate) {
    RDN[] p = pattern.getRDNs();
    RDN[] c = candidate.getRDNs();
    if (p.length != c.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      AttributeTypeAndValue[] pa = p[i].getTypesAndValues();
      AttributeTypeAndValue[] ca = c[i].getTypesAndValues();
      if (pa.length != ca.length) {
        return false;
      }
      for (int j = 0; j < pa.length; j++) {
        if (!pa[j].getType().equals(ca[j].getType()) || !valueMatches(pa[j], ca[j])) {
          return false;
        }
      }
    }
    return true;
  }

  static int wildcards(X500Name name) {
    int n = 0;
    for (RDN rdn : name.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if ("*".equals(valueText(atv))) {
          n++;
        }
      }
    }
    return n;
  }

  private static boolean valueMatches(AttributeTypeAndValue pattern, AttributeTypeAndValue value) {
    String p = valueText(pattern);
    String v = valueText(value);
    if ("*".equals(p)) {
      return true;
    }
    // Openswan's same_dn: PrintableString and e-mail IA5String compare case-insensitively.
    if (caseless(pattern) || caseless(value)) {
      return p.equalsIgnoreCase(v);
    }
    return p.equals(v);
  }

  private static boolean caseless(AttributeTypeAndValue atv) {
    ASN1Encodable v = atv.getValue();
    return v instanceof DERPrintableString || v instanceof DERIA5String;
  }

  private static String valueText(AttributeTypeAndValue atv) {
    ASN1Encodable v = atv.getValue();
    return v instanceof ASN1String s ? s.getString() : v.toString();
  }

  private static String typeName(ASN1ObjectIdentifier oid) {
    if (oid.equals(BCStyle.EmailAddress)) {
      return "E";
    }
    if (oid.equals(BCStyle.SERIALNUMBER)) {
      return "SN";
    }
    String name = STYLE.oidToDisplayName(oid);
    return name == null ? oid.getId() : name;
  }

  private static String reason(RuntimeException e) {
    String m = e.getMessage();
    java.util.regex.Matcher unknown = UNKNOWN_OID.matcher(m == null ? "" : m);
    if (unknown.find()) {
      return "unknown attribute type \"" + unknown.group(1) + "\"";
    }
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
