package org.openswanj.pluto.oe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.crypto.RsaAuth;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class OeKeyResolverTest {
  static String westKey;
  static String eastKey;
  static RSAPublicKey west;
  static RSAPublicKey east;

  private final TestClock clock = new TestClock();
  private final List<OeKeyResolver> open = new ArrayList<>();

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    west = (RSAPublicKey) g.generateKeyPair().getPublic();
    east = (RSAPublicKey) g.generateKeyPair().getPublic();
    westKey = Base64.getEncoder().encodeToString(RsaAuth.toRfc3110(west));
    eastKey = Base64.getEncoder().encodeToString(RsaAuth.toRfc3110(east));
  }

  @AfterEach
  void close() {
    open.forEach(OeKeyResolver::close);
  }

  private static String soa(String extra) {
    return "$TTL 300\n@ IN SOA nic.oe.test. root.oe.test. ( 1 3600 600 86400 60 )\n@ IN NS nic.oe.test.\n" + extra;
  }

  /** The lab's zones, in the forms the OE engine must read. */
  private ZoneResolver lab() {
    return new ZoneResolver()
        .zone("2.1.192.in-addr.arpa.", soa(""
            + "45 IN IPSECKEY 10 1 2 192.1.2.45 " + westKey + "\n"
            + "23 IN IPSECKEY 20 2 2 2001:db8:1:2::23 " + eastKey + "\n"
            + "23 IN IPSECKEY 10 1 2 192.1.2.23 " + eastKey + "\n"
            + "23 IN TXT \"X-IPsec-Server(5)=192.1.2.24 \" \"" + eastKey + "\"\n"
            + "33 IN PTR north.oe.test.\n"
            + "66 IN TXT \"v=spf1 -all\"\n"
            + "66 IN TXT \"X-IPsec-Server(10)=192.1.2.66\" \" AAAA\"\n"
            + "66 IN IPSECKEY 10 1 1 192.1.2.66 AAAA\n"
            + "66 IN KEY 16896 4 1 " + westKey + "\n"))
        .zone("2.0.192.in-addr.arpa.", soa(""
            + "1 IN TXT \"X-IPsec-Server(10)=192.1.2.23\"\n"
            + "2 IN IPSECKEY 10 3 0 east.oe.test.\n"))
        .zone("oe.test.", soa(""
            + "east IN A 192.1.2.23\n"
            + "east IN AAAA 2001:db8:1:2::23\n"
            + "east IN IPSECKEY 10 0 2 . " + eastKey + "\n"
            + "west IN IPSECKEY 10 0 2 . " + westKey + "\n"))
        .zone("2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", soa(""
            + "5.4.0.0.0.0.0.0.0.0.0.0.0.0.0.0 IN IPSECKEY 10 2 2 2001:db8:1:2::45 " + westKey + "\n"));
  }

  private OeKeyResolver resolver(ZoneResolver zones, Duration timeout, int maxInFlight) throws Exception {
    OeKeyResolver r = new OeKeyResolver(zones, new OeResolverConfig(List.of(), timeout, maxInFlight,
        DnssecConfig.off()), clock);
    open.add(r);
    return r;
  }

  private OeKeyResolver resolver(ZoneResolver zones) throws Exception {
    return resolver(zones, Duration.ofSeconds(5), 8);
  }

  private static OeLookupResult get(CompletableFuture<OeLookupResult> f) {
    return f.join();
  }

  @Test
  void findsTheKeyAtTheReverseNameOfAnIpv4Address() throws Exception {
    OeLookupResult r = get(resolver(lab()).lookup(InetAddresses.forString("192.1.2.45")));
    assertEquals(OeOutcome.FOUND, r.outcome(), r.reason());
    OeGateway g = r.gateways().get(0);
    assertEquals(Optional.of(InetAddresses.forString("192.1.2.45")), g.address());
    assertEquals(west, g.key().key().publicKey());
    assertEquals(Type.IPSECKEY, g.key().source().rrType());
    assertEquals(Name.fromString("45.2.1.192.in-addr.arpa."), g.key().source().owner());
    assertEquals(DnssecStatus.UNVALIDATED, r.dnssec());
    assertEquals(Duration.ofSeconds(300), g.key().source().ttlLeft(clock.instant()));
  }

  @Test
  void findsTheKeyAtTheReverseNameOfAnIpv6Address() throws Exception {
    OeLookupResult r = get(resolver(lab()).lookup(InetAddresses.forString("2001:db8:1:2::45")));
    assertEquals(OeOutcome.FOUND, r.outcome(), r.reason());
    assertEquals(Optional.of(InetAddresses.forString("2001:db8:1:2::45")), r.gateways().get(0).address());
    assertEquals(west, r.gateways().get(0).key().key().publicKey());
  }

  @Test
  void ordersIpseckeyByPrecedenceThenOpenswanTxt() throws Exception {
    // RFC 4025 §2.2: lower precedence first; TXT (legacy) after every IPSECKEY whatever its preference
    OeLookupResult r = get(resolver(lab()).lookup(InetAddresses.forString("192.1.2.23")));
    assertEquals(OeOutcome.FOUND, r.outcome(), r.reason());
    assertEquals(List.of(10, 20, 5), r.gateways().stream().map(OeGateway::precedence).toList());
    assertEquals(List.of(Type.IPSECKEY, Type.IPSECKEY, Type.TXT),
        r.gateways().stream().map(g -> g.key().source().rrType()).toList());
    r.gateways().forEach(g -> assertEquals(east, g.key().key().publicKey()));
  }

  @Test
  void readsOpenswan26TxtAndKeyRecordsAsItsTestZonesWriteThem() throws Exception {
    String text = read("/oe/openswan-db.2.1.192.in-addr.arpa");
    // BIND reads the flags 0x4200 as written; dnsjava's zone parser (our fake server) wants them in decimal
    OeKeyResolver r = resolver(new ZoneResolver().zone("2.1.192.in-addr.arpa.", text.replace("0x4200", "16896")));
    OeLookupResult east = get(r.lookup(InetAddresses.forString("192.1.2.23")));
    OeLookupResult westR = get(r.lookup(InetAddresses.forString("192.1.2.45")));
    for (OeLookupResult res : List.of(east, westR)) {
      assertEquals(OeOutcome.FOUND, res.outcome(), res.reason());
      // TXT and KEY publish the same key for the same gateway: one gateway, from the TXT record (tried first)
      assertEquals(List.of(Type.TXT), res.gateways().stream().map(g -> g.key().source().rrType()).toList());
      assertEquals(res.target(), new OeTarget.Address(res.gateways().get(0).address().orElseThrow()));
    }
    assertEquals("AQN3cn11F", east.gateways().get(0).key().key().keyId());
    assertEquals("AQNzGEFs1", westR.gateways().get(0).key().key().keyId());
    // the KEY records alone give the same keys
    String keysOnly = text.replace("0x4200", "16896").lines().filter(l -> !l.contains("TXT"))
        .reduce("", (a, b) -> a + b + "\n");
    OeKeyResolver k = resolver(new ZoneResolver().zone("2.1.192.in-addr.arpa.", keysOnly));
    OeLookupResult eastKey = get(k.lookup(InetAddresses.forString("192.1.2.23")));
    assertEquals(Type.KEY, eastKey.gateways().get(0).key().source().rrType());
    assertEquals(east.gateways().get(0).key().key(), eastKey.gateways().get(0).key().key());
  }

  @Test
  void delegationNamesTheGatewayToNegotiateWithForTheTarget() throws Exception {
    // TXT at 192.0.2.1 names 192.1.2.23 without a key: the gateway's own KEY/IPSECKEY supplies it
    OeLookupResult r = get(resolver(lab()).lookup(InetAddresses.forString("192.0.2.1")));
    assertEquals(OeOutcome.FOUND, r.outcome(), r.reason());
    assertEquals(new OeTarget.Address(InetAddresses.forString("192.0.2.1")), r.target());
    OeGateway g = r.gateways().get(0);
    assertEquals(Optional.of(InetAddresses.forString("192.1.2.23")), g.address());
    assertEquals(east, g.key().key().publicKey());
    assertEquals(Name.fromString("23.2.1.192.in-addr.arpa."), g.key().source().owner());
  }

  @Test
  void aGatewayGivenByNameIsResolvedToItsAddressesAndKey() throws Exception {
    OeLookupResult r = get(resolver(lab()).lookup(InetAddresses.forString("192.0.2.2")));
    assertEquals(OeOutcome.FOUND, r.outcome(), r.reason());
    assertEquals(List.of(Optional.of(InetAddresses.forString("192.1.2.23")),
        Optional.of(InetAddresses.forString("2001:db8:1:2::23"))), r.gateways().stream().map(OeGateway::address).toList());
    assertEquals(Optional.of(Name.fromString("east.oe.test.")), r.gateways().get(0).name());
    assertEquals(east, r.gateways().get(0).key().key().publicKey());
  }

  @Test
  void ecdsaAndEd25519IpseckeysGiveJdkKeys() throws Exception {
    // RFC 8005 / RFC 6605 §4: ECDSA P-256 as X | Y; RFC 9373 / RFC 8080 §3: the raw Ed25519 key
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.interfaces.ECPublicKey p256 = (java.security.interfaces.ECPublicKey) ec.generateKeyPair().getPublic();
    byte[] xy = new byte[64];
    unsigned(p256.getW().getAffineX(), xy, 0);
    unsigned(p256.getW().getAffineY(), xy, 32);
    java.security.PublicKey ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
    byte[] spki = ed.getEncoded();
    byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    OeKeyResolver r = resolver(new ZoneResolver().zone("oe.test.", soa(""
        + "ec IN IPSECKEY 10 0 3 . " + Base64.getEncoder().encodeToString(xy) + "\n"
        + "ed IN IPSECKEY 10 0 4 . " + Base64.getEncoder().encodeToString(raw) + "\n"
        + "bad IN IPSECKEY 10 0 3 . AAAA\n")));
    OeLookupResult e = get(r.lookup(OeTarget.parse("@ec.oe.test")));
    assertEquals(OeKeyAlgorithm.ECDSA, e.gateways().get(0).key().key().algorithm());
    assertEquals(p256, e.gateways().get(0).key().key().publicKey());
    OeLookupResult d = get(r.lookup(OeTarget.parse("@ed.oe.test")));
    assertEquals(OeKeyAlgorithm.EDDSA, d.gateways().get(0).key().key().algorithm());
    assertEquals(ed, d.gateways().get(0).key().key().publicKey());
    OeLookupResult bad = get(r.lookup(OeTarget.parse("@bad.oe.test")));
    assertEquals(OeOutcome.NO_KEY, bad.outcome());
    assertTrue(bad.reason().contains("ECDSA key of 3 bytes is neither P-256 (64) nor P-384 (96)"), bad.reason());
  }

  @Test
  void anFqdnIdIsLookedUpAtItsForwardName() throws Exception {
    OeLookupResult r = get(resolver(lab()).lookup(OeTarget.parse("@west.oe.test")));
    assertEquals(OeOutcome.FOUND, r.outcome(), r.reason());
    assertEquals(Optional.empty(), r.gateways().get(0).address());
    assertEquals(west, r.gateways().get(0).key().key().publicKey());
  }

  @Test
  void recordsThatCannotBeUsedAreDroppedWithAReasonAndTheRestUsed() throws Exception {
    OeLookupResult r = get(resolver(lab()).lookup(InetAddresses.forString("192.1.2.66")));
    assertEquals(OeOutcome.FOUND, r.outcome(), r.reason());
    assertEquals(1, r.gateways().size());
    assertEquals(Type.KEY, r.gateways().get(0).key().source().rrType());
    String notes = String.join("\n", r.notes());
    assertTrue(notes.contains("IPSECKEY algorithm 1 is not one we use"), notes);
    assertTrue(notes.contains("dropped TXT 66.2.1.192.in-addr.arpa.: RFC 3110 RSA key blob"), notes);
    assertEquals(2, r.notes().size(), notes); // the SPF TXT record is not ours: not a note
  }

  @Test
  void noKeyIsANegativeAnswerThatIsCachedUntilTheSoaMinimum() throws Exception {
    ZoneResolver zones = lab();
    OeKeyResolver r = resolver(zones);
    OeLookupResult first = get(r.lookup(InetAddresses.forString("192.1.2.33")));
    assertEquals(OeOutcome.NO_KEY, first.outcome());
    assertTrue(first.reason().contains("no usable IPSECKEY, TXT or KEY record at 33.2.1.192.in-addr.arpa."),
        first.reason());
    int sent = zones.queries();
    assertEquals(3, sent);
    assertEquals(OeOutcome.NO_KEY, get(r.lookup(InetAddresses.forString("192.1.2.33"))).outcome());
    assertEquals(sent, zones.queries(), "the negative answers came from the cache");
    clock.advance(Duration.ofSeconds(61)); // RFC 2308 §5: min(SOA TTL 300, MINIMUM 60)
    assertEquals(OeOutcome.NO_KEY, get(r.lookup(InetAddresses.forString("192.1.2.33"))).outcome());
    assertEquals(sent + 3, zones.queries());
  }

  @Test
  void positiveAnswersAreCachedForTheirTtl() throws Exception {
    ZoneResolver zones = lab();
    OeKeyResolver r = resolver(zones);
    get(r.lookup(InetAddresses.forString("192.1.2.45")));
    int sent = zones.queries();
    clock.advance(Duration.ofSeconds(59)); // the NODATA answers for TXT and KEY last 60 s, the IPSECKEY 300 s
    assertEquals(OeOutcome.FOUND, get(r.lookup(InetAddresses.forString("192.1.2.45"))).outcome());
    assertEquals(sent, zones.queries());
    assertEquals(Duration.ofSeconds(241), r.learnedKeys().get(0).source().ttlLeft(clock.instant()));
    clock.advance(Duration.ofSeconds(242));
    assertEquals(List.of(), r.learnedKeys(), "expired keys are forgotten");
    assertEquals(OeOutcome.FOUND, get(r.lookup(InetAddresses.forString("192.1.2.45"))).outcome());
    assertTrue(zones.queries() > sent);
  }

  @Test
  void aTimeoutYieldsNoKeyTimeoutWithinTheTimeout() throws Exception {
    OeKeyResolver r = resolver(lab().mode(ZoneResolver.Mode.SILENT), Duration.ofMillis(300), 8);
    long t0 = System.nanoTime();
    OeLookupResult res = get(r.lookup(InetAddresses.forString("192.1.2.45")));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(OeOutcome.TIMEOUT, res.outcome());
    assertTrue(ms >= 290 && ms < 1000, ms + " ms");
    assertEquals(0, r.inFlight());
  }

  @Test
  void lookUpsBeyondTheLimitFailAtOnceAsBusy() throws Exception {
    OeKeyResolver r = resolver(lab().mode(ZoneResolver.Mode.SILENT), Duration.ofSeconds(2), 2);
    CompletableFuture<OeLookupResult> a = r.lookup(InetAddresses.forString("192.1.2.45"));
    CompletableFuture<OeLookupResult> b = r.lookup(InetAddresses.forString("192.1.2.23"));
    CompletableFuture<OeLookupResult> c = r.lookup(InetAddresses.forString("192.1.2.33"));
    assertTrue(c.isDone());
    assertEquals(OeOutcome.BUSY, c.join().outcome());
    assertEquals(2, r.inFlight());
    assertTrue(!a.isDone() && !b.isDone());
  }

  @Test
  void theCallerNeverWaitsForTheNetwork() throws Exception {
    OeKeyResolver r = resolver(lab().mode(ZoneResolver.Mode.BLOCK_SENDER), Duration.ofSeconds(5), 8);
    long t0 = System.nanoTime();
    CompletableFuture<OeLookupResult> f = r.lookup(InetAddresses.forString("192.1.2.45"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 200, "lookup() took " + ms + " ms on the caller's thread");
    assertEquals(OeOutcome.FOUND, f.join().outcome());
  }

  @Test
  void aServerThatRefusesIsADnsError() throws Exception {
    OeLookupResult r = get(resolver(lab()).lookup(InetAddresses.forString("10.0.0.1")));
    assertEquals(OeOutcome.DNS_ERROR, r.outcome());
    assertTrue(r.reason().contains("the DNS server answered REFUSED"), r.reason());
  }

  @Test
  void learnedKeysRememberTheirSourceRecord() throws Exception {
    OeKeyResolver r = resolver(lab());
    get(r.lookup(InetAddresses.forString("192.1.2.45")));
    get(r.lookup(OeTarget.parse("@east.oe.test")));
    List<String> seen = r.learnedKeys().stream().map(k -> k.source() + " " + k.source().dnssec().describe()).toList();
    assertEquals(List.of("IPSECKEY 45.2.1.192.in-addr.arpa. unvalidated", "IPSECKEY east.oe.test. unvalidated"), seen);
  }

  /** {@code v} as 32 big-endian bytes at {@code off}. */
  private static void unsigned(java.math.BigInteger v, byte[] to, int off) {
    byte[] b = v.toByteArray();
    int n = Math.min(32, b.length);
    System.arraycopy(b, b.length - n, to, off + 32 - n, n);
  }

  static String read(String resource) throws IOException {
    try (InputStream in = OeKeyResolverTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
