package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.SigPayload;
import org.openswanj.pluto.ike.wire.V1SaPayload;
import org.openswanj.pluto.ike.wire.V1Transform;
import org.openswanj.pluto.ikev2.CertAuthTwoPeerTest;
import org.openswanj.pluto.ikev2.TestCa;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.pluto.net.MemoryNetwork.Datagram;
import org.openswanj.whack.proto.WhackRequest;

/**
 * IKEv1 with ECDSA certificates (RFC 4754) in Main and Aggressive Mode, and Aggressive Mode with RSA signatures
 * (RFC 2409 §5.1), pluto to pluto through whack; the bytes on the wire are checked where they travel in the
 * clear (the SA payload's method, AR1's SIG_R).
 */
class Ikev1SignatureModesTest {
  @TempDir Path dir;

  private static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  /** One CA (RSA); west's and east's certificates with keys on {@code curve} ("rsa" for RSA keys). */
  private static CertAuthTwoPeerTest.Pki pki(String curve) throws Exception {
    TestCa ca = new TestCa("C=CA, O=Test, CN=Test CA", TestCa.rsa());
    KeyPair w = curve.equals("rsa") ? TestCa.rsa() : ec(curve);
    KeyPair e = curve.equals("rsa") ? TestCa.rsa() : ec(curve);
    return new CertAuthTwoPeerTest.Pki(ca, ca, w, e,
        ca.issue(CertAuthTwoPeerTest.WEST_DN, w, "west.example.com", TestCa.FROM, TestCa.UNTIL),
        ca.issue(CertAuthTwoPeerTest.EAST_DN, e, "east.example.com", TestCa.FROM, TestCa.UNTIL));
  }

  private static Map<String, String> conn(boolean aggressive, String... extra) {
    Map<String, String> m = CertAuthTwoPeerTest.conn("ikev2", "never", "ike", "aes128-sha1-modp2048", "esp",
        "aes128-sha1", "aggrmode", aggressive ? "yes" : "no");
    for (int i = 0; i < extra.length; i += 2) {
      m.put(extra[i], extra[i + 1]);
    }
    return m;
  }

  /** The phase 1 authentication method of every transform in west's first message. */
  private static List<Integer> offeredMethods(TwoPlutos t) throws Exception {
    IkeMessage first = IkeCodec.decode(t.net.log().stream()
        .filter(d -> d.from().getAddress().equals(t.west.address)).findFirst().orElseThrow().bytes());
    List<Integer> out = new ArrayList<>();
    for (var p : first.first(V1SaPayload.class).orElseThrow().proposals()) {
      for (V1Transform x : p.transforms()) {
        out.add(x.attribute(V1Proposals.OAKLEY_AUTH).orElseThrow().value());
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}: method {1}")
  @CsvSource({"secp256r1, 9, OAKLEY_ECDSA_P256", "secp384r1, 10, OAKLEY_ECDSA_P384",
      "secp521r1, 11, OAKLEY_ECDSA_P521"})
  void mainModeWithEcdsaCertificatesUsesTheCurvesMethod(String curve, int method, String name) throws Exception {
    CertAuthTwoPeerTest.Pki p = pki(curve);
    TwoPlutos t = CertAuthTwoPeerTest.plutos(dir, p, p.ca().cert);
    Map<String, String> w = conn(false);
    w.remove("rightcert"); // west learns east's certificate from its CERT payload
    CertAuthTwoPeerTest.addBoth(t, w, conn(false));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("STATE_MAIN_I4: ISAKMP SA established {auth=" + name + " "), r.text());
    assertTrue(r.text().contains("IPsec SA established"), r.text());
    assertEquals(List.of(method), offeredMethods(t), "RFC 4754 §3: the method for our key's curve");
    assertEquals(p.eastCert(), t.west.pluto.ikev1().isakmpSas().get(0).peerCert);
    assertEquals(p.westCert(), t.east.pluto.ikev1().isakmpSas().get(0).peerCert);
    assertEquals(Ikev1State.STATE_MAIN_R3, t.east.pluto.ikev1().isakmpSas().get(0).state);
  }

  @ParameterizedTest(name = "{0}: SIG_R of {1} bytes")
  @CsvSource({"secp256r1, 64, OAKLEY_ECDSA_P256", "secp384r1, 96, OAKLEY_ECDSA_P384",
      "rsa, 256, OAKLEY_RSA_SIG"})
  void aggressiveModeWithCertificatesSendsSigRInTheClear(String curve, int sigLength, String name)
      throws Exception {
    CertAuthTwoPeerTest.Pki p = pki(curve);
    TwoPlutos t = CertAuthTwoPeerTest.plutos(dir, p, p.ca().cert);
    Map<String, String> w = conn(true);
    w.remove("rightcert");
    CertAuthTwoPeerTest.addBoth(t, w, conn(true));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("STATE_AGGR_I2: sent AI2, ISAKMP SA established {auth=" + name + " "), r.text());
    assertTrue(r.text().contains("IPsec SA established"), r.text());
    assertEquals(Ikev1State.STATE_AGGR_R2, t.east.pluto.ikev1().isakmpSas().get(0).state);
    assertEquals(p.westCert(), t.east.pluto.ikev1().isakmpSas().get(0).peerCert);
    // RFC 2409 §5.1: AR1 = SA, KE, Nr, IDir, [CERT,] SIG_R; RFC 4754 §7: r || s, fixed length, not DER
    IkeMessage ar1 = ar1(t);
    assertEquals(sigLength, ar1.first(SigPayload.class).orElseThrow().signature().length);
    assertTrue(ar1.first(org.openswanj.pluto.ike.wire.HashPayload.class).isEmpty(), "SIG_R replaces HASH_R");
  }

  private static IkeMessage ar1(TwoPlutos t) throws Exception {
    for (Datagram d : t.net.log()) {
      IkeMessage m = IkeCodec.decode(d.bytes());
      if (d.from().getAddress().equals(t.east.address) && m.header().exchange() == ExchangeType.AGGRESSIVE
          && !m.header().encrypted()) {
        return m;
      }
    }
    throw new AssertionError("no AR1 from east");
  }

  @Test
  void aggressiveModeWithRawRsaKeysBothPhases() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair w = g.generateKeyPair();
    KeyPair e = g.generateKeyPair();
    TwoPlutos t = new TwoPlutos(RsaKeys.block(w), RsaKeys.block(e), IkeSettings.defaults());
    Map<String, String> c = TwoPlutos.connFor("never", "authby", "rsasig", "leftrsasigkey", RsaKeys.sigkey(w),
        "rightrsasigkey", RsaKeys.sigkey(e), "ike", "aes128-sha1-modp2048", "esp", "aes128-sha1", "aggrmode", "yes");
    t.add(t.west, "west-east", c);
    t.add(t.east, "west-east", c);
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("STATE_AGGR_I2: sent AI2, ISAKMP SA established {auth=OAKLEY_RSA_SIG"), r.text());
    assertTrue(r.text().contains("STATE_QUICK_I2: sent QI2, IPsec SA established"), r.text());
    assertEquals(List.of(3), offeredMethods(t), "RFC 2409 App. A: RSA signatures");
    assertEquals(Ikev1State.STATE_AGGR_R2, t.east.pluto.ikev1().isakmpSas().get(0).state);
  }

  @Test
  void aPeerCertificateOnAnotherCurveThanTheMethodIsRefusedWithOneLine() throws Exception {
    CertAuthTwoPeerTest.Pki p = pki("secp256r1");
    TwoPlutos t = CertAuthTwoPeerTest.plutos(dir, p, p.ca().cert);
    // west holds a stale rightcert= for east, on P-384; east (method 9, P-256) sends no certificate
    KeyPair stale = ec("secp384r1");
    Files.writeString(dir.resolve("west/certs/east.pem"), TestCa.pem(p.ca().issue(CertAuthTwoPeerTest.EAST_DN,
        stale, "east.example.com", TestCa.FROM, TestCa.UNTIL)));
    Map<String, String> e = new LinkedHashMap<>(conn(false, "rightsendcert", "never"));
    CertAuthTwoPeerTest.addBoth(t, conn(false), e);
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(java.time.Duration.ofSeconds(5));
    String refusal = "does not verify: ECDSA P-256 with SHA2_256 (RFC 4754, IKEv1) cannot use a ECDSA P-384 key";
    assertEquals(1, r.lines.stream().filter(l -> l.contains(refusal)).count(), r.text());
    assertTrue(t.west.pluto.ikev1().isakmpSas().stream().noneMatch(sa -> sa.state.isakmpEstablished()));
  }

  @Test
  void aSigROfTheWrongLengthIsRefusedWithOneLine() throws Exception {
    CertAuthTwoPeerTest.Pki p = pki("secp256r1");
    TwoPlutos t = CertAuthTwoPeerTest.plutos(dir, p, p.ca().cert);
    CertAuthTwoPeerTest.addBoth(t, conn(true), conn(true));
    // a middlebox appends a byte to AR1's SIG_R (65 bytes where P-256's r || s is 64)
    t.net.setTap(d -> {
      try {
        IkeMessage m = IkeCodec.decode(d.bytes());
        if (m.header().exchange() != ExchangeType.AGGRESSIVE || m.header().encrypted()
            || m.first(SigPayload.class).isEmpty()) {
          return d;
        }
        List<Payload> ps = new ArrayList<>();
        for (Payload x : m.payloads()) {
          ps.add(x instanceof SigPayload s ? new SigPayload(java.util.Arrays.copyOf(s.signature(), 65)) : x);
        }
        return new Datagram(d.from(), d.to(), IkeCodec.encode(m.header(), ps));
      } catch (Exception ex) {
        return d;
      }
    });
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.advance(java.time.Duration.ofSeconds(5));
    String refusal = "signature is 65 bytes; RFC 4754 §7 requires 64 (r and s of 32 bytes each)";
    assertEquals(1, r.lines.stream().filter(l -> l.contains(refusal)).count(), r.text());
    assertTrue(t.west.pluto.ikev1().isakmpSas().stream().noneMatch(sa -> sa.state.isakmpEstablished()));
  }
}
