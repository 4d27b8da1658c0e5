package org.openswanj.conf.id;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityTest {

  @Test
  void fqdn() throws Exception {
    Identity id = Identity.parse("@west.example.com");
    assertEquals(Identity.Kind.FQDN, id.kind());
    assertEquals("@west.example.com", id.toString());
    assertArrayEquals("west.example.com".getBytes(StandardCharsets.US_ASCII), id.bytes());
    assertEquals(2, id.kind().ikeIdType());
  }

  @Test
  void userFqdn() throws Exception {
    Identity id = Identity.parse("road@example.com");
    assertEquals(Identity.Kind.USER_FQDN, id.kind());
    assertEquals("road@example.com", id.toString());
    assertArrayEquals("road@example.com".getBytes(StandardCharsets.US_ASCII), id.bytes());
  }

  @Test
  void ipv4AndIpv6() throws Exception {
    Identity v4 = Identity.parse("192.0.2.1");
    assertEquals(Identity.Kind.IPV4_ADDR, v4.kind());
    assertArrayEquals(new byte[] {(byte) 192, 0, 2, 1}, v4.bytes());
    assertEquals("192.0.2.1", v4.toString());
    Identity v6 = Identity.parse("2001:DB8:0:0::1");
    assertEquals(Identity.Kind.IPV6_ADDR, v6.kind());
    assertEquals("2001:db8::1", v6.toString());
    assertEquals(16, v6.bytes().length);
    assertEquals(v4, Identity.ofAddress(InetAddress.getByName("192.0.2.1")));
    assertEquals(InetAddress.getByName("2001:db8::1"), v6.address().orElseThrow());
  }

  @Test
  void distinguishedNameToDer() throws Exception {
    Identity id = Identity.parse("C=CA, ST=Ontario, O=Example, CN=west.example.com, E=admin@example.com");
    assertEquals(Identity.Kind.DER_ASN1_DN, id.kind());
    assertEquals("C=CA, ST=Ontario, O=Example, CN=west.example.com, E=admin@example.com", id.toString());
    X500Name decoded = X500Name.getInstance(id.bytes());
    assertEquals("west.example.com",
        decoded.getRDNs(BCStyle.CN)[0].getFirst().getValue().toString());
    assertEquals(5, decoded.getRDNs().length);
    // Compact input comes out in Openswan's spaced form.
    assertEquals("C=CA, O=Example, CN=west", Identity.parse("C=CA,O=Example,CN=west").toString());
    assertEquals("C=CA, O=Example, CN=west", Identity.parse("/C=CA/O=Example/CN=west").toString());
  }

  @Test
  void keyIdHexAndText() throws Exception {
    Identity hex = Identity.parse("@#0a0B0c");
    assertEquals(Identity.Kind.KEY_ID, hex.kind());
    assertArrayEquals(new byte[] {0x0a, 0x0b, 0x0c}, hex.bytes());
    assertEquals("@#0a0b0c", hex.toString());
    // Openswan: "@[text]" is a KEY_ID holding the text itself, never resolved.
    Identity raw = Identity.parse("@[west]");
    assertEquals(Identity.Kind.KEY_ID, raw.kind());
    assertArrayEquals("west".getBytes(StandardCharsets.US_ASCII), raw.bytes());
    assertEquals("@[west]", raw.toString());
  }

  @Test
  void derDnInHex() throws Exception {
    Identity dn = Identity.parse("C=CA, CN=west");
    String hex = com.google.common.io.BaseEncoding.base16().encode(dn.bytes());
    Identity again = Identity.parse("@~" + hex);
    assertEquals(dn, again);
  }

  @Test
  void keywords() throws Exception {
    assertEquals(Identity.Kind.FROMCERT, Identity.parse("%fromcert").kind());
    assertEquals(Identity.Kind.NONE, Identity.parse("%none").kind());
    assertEquals(Identity.Kind.MYID, Identity.parse("%myid").kind());
    assertEquals(Identity.Kind.ANY, Identity.parse("%any").kind());
    assertEquals("%any6", Identity.parse("%any6").toString());
    assertTrue(Identity.parse("%any").isAny());
    assertTrue(Identity.parse("0.0.0.0").isAny());
    assertTrue(Identity.parse("::").isAny());
    assertFalse(Identity.parse("192.0.2.1").isAny());
  }

  @ParameterizedTest
  @ValueSource(strings = {"@west", "road@example.com", "192.0.2.9", "2001:db8::9", "C=US, O=Acme, CN=gw",
      "@#deadbeef", "@[raw]", "%fromcert", "%none", "%myid", "%any", "%any6"})
  void roundTrips(String text) throws Exception {
    Identity id = Identity.parse(text);
    assertEquals(text, id.toString());
    assertEquals(id, Identity.parse(id.toString()));
  }

  @Test
  void wireFormRoundTrips() throws Exception {
    for (String s : new String[] {"@west", "road@example.com", "192.0.2.9", "2001:db8::9", "C=US, CN=gw",
        "@#0102"}) {
      Identity id = Identity.parse(s);
      assertEquals(id, Identity.fromWire(id.kind(), id.bytes()), s);
    }
    IdentityException e = assertThrows(IdentityException.class,
        () -> Identity.fromWire(Identity.Kind.IPV4_ADDR, new byte[3]));
    assertTrue(e.getMessage().contains("4 bytes"), e.getMessage());
    assertThrows(IdentityException.class,
        () -> Identity.fromWire(Identity.Kind.DER_ASN1_DN, new byte[] {0x30, 0x7f, 1}));
    assertEquals(Identity.Kind.DER_ASN1_DN, Identity.Kind.fromIkeIdType(9).orElseThrow());
    assertTrue(Identity.Kind.fromIkeIdType(200).isEmpty());
    assertTrue(Identity.Kind.fromIkeIdType(0).isEmpty());
  }

  @Test
  void badForms() {
    assertBad("@", "no name after '@'");
    assertBad("@#zz", "hex digits");
    assertBad("@#abc", "hex digits");
    assertBad("@#", "hex digits");
    assertBad("@~0102", "malformed DER");
    assertBad("C=CA, =x", "malformed DN");
    assertBad("CN=", "empty value");
    // ConfFuzzTest#ipsecSecrets: a '#' value that is no hex DER left Bouncy Castle's value null (a
    // NullPointerException out of the secrets loader)
    assertBad("DC=#", "starts with '#' but is not hexadecimal DER");
    assertBad("C=CA, CN=#", "the value of CN starts with '#'");
    assertBad("FOO=bar", "malformed DN");
    assertBad("west", "not an IP address");
    assertBad("192.0.2.300", "not an IP address");
    assertBad("%bogus", "unknown identity keyword");
    assertBad("", "empty identity");
    assertBad("road@", "no domain");
    assertBad("@[]", "no text");
    assertBad("@we st", "white space");
  }

  private static void assertBad(String text, String fragment) {
    IdentityException e = assertThrows(IdentityException.class, () -> Identity.parse(text), text);
    assertTrue(e.getMessage().contains(fragment), text + " -> " + e.getMessage());
  }

  @Test
  void matchingFqdnIgnoresCaseAndTrailingDot() throws Exception {
    assertTrue(Identity.parse("@West.Example.com.").matches(Identity.parse("@west.example.com")));
    assertFalse(Identity.parse("@west").matches(Identity.parse("@east")));
    assertFalse(Identity.parse("@west").matches(Identity.parse("west@west")));
    assertTrue(Identity.parse("Road@Example.com").matches(Identity.parse("road@example.com")));
  }

  @Test
  void matchingDnWithWildcards() throws Exception {
    Identity pattern = Identity.parse("C=CA, O=Example, CN=*");
    assertEquals(1, pattern.wildcards());
    assertTrue(pattern.matches(Identity.parse("C=CA, O=Example, CN=west")));
    assertTrue(pattern.matches(Identity.parse("C=ca, O=example, CN=east")));
    assertFalse(pattern.matches(Identity.parse("C=CA, O=Other, CN=west")));
    assertFalse(pattern.matches(Identity.parse("C=CA, O=Example, OU=x, CN=west")));
    assertFalse(pattern.matches(Identity.parse("C=CA, O=Example")));
    // The wildcard is only honoured on the pattern side.
    assertFalse(Identity.parse("C=CA, O=Example, CN=west").matches(pattern));
    assertTrue(Identity.parse("C=CA, O=Example, CN=west").matches(Identity.parse("C=CA,O=Example,CN=west")));
  }

  @Test
  void matchingAddresses() throws Exception {
    assertTrue(Identity.parse("2001:db8::1").matches(Identity.parse("2001:db8:0::1")));
    assertFalse(Identity.parse("192.0.2.1").matches(Identity.parse("192.0.2.2")));
    assertFalse(Identity.parse("192.0.2.1").matches(Identity.parse("@192.0.2.1")));
  }
}
