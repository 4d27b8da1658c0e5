package org.openswanj.testing.oe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openswanj.testing.lab.OeLab;
import org.openswanj.testing.lab.OeLab.AnchorForm;
import org.openswanj.testing.lab.OeLab.ZoneMode;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.oe.OeLookupOutput.Lookup;

/**
 * OE's DNS against a real BIND 9: nic serves zones whose records {@code ipsec newhostkey} and
 * {@code ipsec showhostkey} made for west and east (north has no key), and {@code ipsec oelookup}, which runs
 * pluto's OE resolver, looks them up from west's namespace through /etc/netns/.../resolv.conf.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OeDnsIT {
  static OeLab lab;
  static String westKey;
  static String eastKey;

  @BeforeAll
  static void up() {
    lab = OeLab.up("oedns", "west", "east", "north");
    lab.zones(2048);
    lab.startNic(ZoneMode.SIGNED);
    westKey = leftKey("west");
    eastKey = leftKey("east");
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  /** The key in the host's ipsec.secrets, as {@code showhostkey --left} prints it (0s + RFC 3110 blob). */
  static String leftKey(String host) {
    String out = lab.ipsec(host, "showhostkey", "--file", lab.hostDir(host).resolve("ipsec.secrets").toString(),
        "--left").requireOk().stdout();
    return out.lines().filter(l -> l.startsWith("\tleftrsasigkey=")).findFirst().orElseThrow().substring(15);
  }

  static OeLookupOutput lookup(String... args) {
    List<String> a = new ArrayList<>(List.of("oelookup", "--keys"));
    a.addAll(List.of(args));
    Result r = lab.ipsec("west", a.toArray(String[]::new));
    assertTrue(r.exitCode() == 0 || r.exitCode() == 2, r.toString() + "\n" + r.stderr());
    assertEquals("", r.stderr(), "nothing on stderr: no warning, no stack trace");
    return OeLookupOutput.parse(r.stdout());
  }

  static void assertFound(Lookup l, String gateway, String key, String type, String dnssec) {
    assertEquals("FOUND", l.outcome(), l.toString());
    assertEquals(gateway, l.gateways().get(0).address(), l.toString());
    assertEquals(key, l.gateways().get(0).key(), l.toString());
    assertEquals(type, l.gateways().get(0).sourceType(), l.toString());
    assertEquals(dnssec, l.dnssec(), l.toString());
  }

  @Test
  @Order(1)
  void findsWestAndEastKeysAsTheirSecretsHoldThem() {
    Map<String, Lookup> r = lookup("192.1.2.23", "192.1.2.45", "2001:db8:1:2::45", "@east.oe.test").byTarget();
    assertFound(r.get("192.1.2.23"), "192.1.2.23", eastKey, "IPSECKEY", "unvalidated");
    assertFound(r.get("192.1.2.45"), "192.1.2.45", westKey, "IPSECKEY", "unvalidated");
    assertFound(r.get("2001:db8:1:2::45"), "2001:db8:1:2::45", westKey, "IPSECKEY", "unvalidated");
    assertFound(r.get("@east.oe.test"), "(itself)", eastKey, "IPSECKEY", "unvalidated");
    assertEquals("23.2.1.192.in-addr.arpa.", r.get("192.1.2.23").gateways().get(0).sourceName());
  }

  @Test
  @Order(2)
  void northHasNoKeyAndTheNegativeAnswerIsCached() {
    List<Lookup> l = lookup("--repeat", "2", "192.1.2.33").lookups();
    assertEquals(2, l.size());
    for (Lookup x : l) {
      assertEquals("NO_KEY", x.outcome(), x.toString());
      assertTrue(x.reason().contains("no usable IPSECKEY, TXT or KEY record at 33.2.1.192.in-addr.arpa."), x.reason());
    }
    assertEquals(3, l.get(0).queries(), "IPSECKEY, TXT and KEY asked once");
    assertEquals(0, l.get(1).queries(), "then answered from the negative cache");
  }

  @Test
  @Order(3)
  void openswanFormsAndGatewayDelegationAreUnderstood() {
    Map<String, Lookup> r = lookup("192.1.2.24", "192.1.2.46", "@westtxt.oe.test", "@eastkey.oe.test", "192.0.2.1",
        "192.0.2.2").byTarget();
    assertFound(r.get("192.1.2.24"), "192.1.2.24", eastKey, "KEY", "unvalidated"); // KEY 0x4200 4 1
    assertFound(r.get("192.1.2.46"), "192.1.2.45", westKey, "TXT", "unvalidated"); // "X-IPsec-Server(10)=gw" " key"
    assertFound(r.get("@westtxt.oe.test"), "192.1.2.45", westKey, "TXT", "unvalidated"); // =@fqdn. key
    assertFound(r.get("@eastkey.oe.test"), "(itself)", eastKey, "KEY", "unvalidated");
    // the record for 192.0.2.1 / .2 names east as gateway: negotiate with east, for them
    assertFound(r.get("192.0.2.1"), "192.1.2.23", eastKey, "IPSECKEY", "unvalidated");
    assertFound(r.get("192.0.2.2"), "192.1.2.23", eastKey, "IPSECKEY", "unvalidated"); // TXT without key
    assertEquals("23.2.1.192.in-addr.arpa.", r.get("192.0.2.2").gateways().get(0).sourceName());
  }

  @Test
  @Order(4)
  void theSignedZonesValidateWithEachAnchorForm() {
    for (AnchorForm f : AnchorForm.values()) {
      Map<String, Lookup> r = lookup("--dnssec-anchors", lab.anchors(f).toString(), "192.1.2.45", "192.1.2.46",
          "192.1.2.33", "2001:db8:1:2::45").byTarget();
      assertFound(r.get("192.1.2.45"), "192.1.2.45", westKey, "IPSECKEY", "secure");
      assertFound(r.get("192.1.2.46"), "192.1.2.45", westKey, "TXT", "secure");
      assertFound(r.get("2001:db8:1:2::45"), "2001:db8:1:2::45", westKey, "IPSECKEY", "secure");
      assertEquals("NO_KEY", r.get("192.1.2.33").outcome(), f + ": " + r.get("192.1.2.33"));
      assertEquals("secure", r.get("192.1.2.33").dnssec(), "an authenticated denial (NSEC)");
    }
  }

  @Test
  @Order(5)
  void tamperedOrUnsignedAnswersAreRefusedWithAnAnchorAndUsedWithout() {
    try {
      lab.startNic(ZoneMode.TAMPERED);
      String anchors = lab.anchors(AnchorForm.DS).toString();
      Map<String, Lookup> on = lookup("--dnssec-anchors", anchors, "192.1.2.45", "192.1.2.23").byTarget();
      assertEquals("DNSSEC_REFUSED", on.get("192.1.2.45").outcome(), on.get("192.1.2.45").toString());
      assertEquals("bogus", on.get("192.1.2.45").dnssec());
      assertTrue(on.get("192.1.2.45").reason().startsWith("DNSSEC: bogus IPSECKEY 45.2.1.192.in-addr.arpa.: "),
          on.get("192.1.2.45").reason());
      assertFound(on.get("192.1.2.23"), "192.1.2.23", eastKey, "IPSECKEY", "secure"); // east was not touched
      Lookup off = lookup("192.1.2.45").of("192.1.2.45");
      assertEquals("FOUND", off.outcome());
      assertEquals("unvalidated", off.dnssec());
      assertTrue(!off.gateways().get(0).key().equals(westKey), "the tampered key is what DNS now says");

      lab.startNic(ZoneMode.UNSIGNED);
      Lookup unsigned = lookup("--dnssec-anchors", anchors, "192.1.2.45").of("192.1.2.45");
      assertEquals("DNSSEC_REFUSED", unsigned.outcome());
      assertTrue(unsigned.reason().contains("Missing DNSKEY RRset"), unsigned.reason());
      assertFound(lookup("192.1.2.45").of("192.1.2.45"), "192.1.2.45", westKey, "IPSECKEY", "unvalidated");
    } finally {
      lab.startNic(ZoneMode.SIGNED);
    }
  }

  @Test
  @Order(6)
  void aSilentOrDeadServerEndsTheLookUpWithinItsTimeout() {
    try {
      lab.freezeNic();
      Lookup frozen = lookup("--timeout", "2", "192.1.2.45").of("192.1.2.45");
      assertEquals("TIMEOUT", frozen.outcome(), frozen.toString());
      assertTrue(frozen.ms() >= 1900 && frozen.ms() < 2600, frozen.ms() + " ms");
      lab.thawNic();
      lab.stopNic();
      Lookup dead = lookup("--timeout", "2", "192.1.2.45").of("192.1.2.45");
      assertTrue(List.of("DNS_ERROR", "TIMEOUT").contains(dead.outcome()), dead.toString());
      assertTrue(dead.ms() < 2600, dead.ms() + " ms");
    } finally {
      lab.startNic(ZoneMode.SIGNED);
    }
  }

  @Test
  @Order(7)
  void lookUpTimesAgainstTheLocalBind() {
    String[] targets = {"192.1.2.45", "192.1.2.23", "2001:db8:1:2::45", "@east.oe.test", "192.1.2.46", "192.0.2.1"};
    for (String mode : List.of("off", "on")) {
      List<String> args = new ArrayList<>();
      if (mode.equals("on")) {
        args.addAll(List.of("--dnssec-anchors", lab.anchors(AnchorForm.DS).toString()));
      }
      args.addAll(List.of(targets));
      List<Lookup> l = lookup(args.toArray(String[]::new)).lookups();
      l.forEach(x -> assertEquals("FOUND", x.outcome(), x.toString()));
      List<Double> rest = l.subList(1, l.size()).stream().map(Lookup::ms).sorted().toList();
      System.out.printf("OE look-up against the local BIND, DNSSEC %s: first %.1f ms (new JVM), then median %.1f ms,"
          + " max %.1f ms over %d uncached targets%n", mode, l.get(0).ms(), rest.get(rest.size() / 2),
          rest.get(rest.size() - 1), rest.size());
    }
  }
}
