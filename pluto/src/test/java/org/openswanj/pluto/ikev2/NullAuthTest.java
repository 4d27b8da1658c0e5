package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.AuthPayload;
import org.openswanj.pluto.ike.wire.IdPayload;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.NoncePayload;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.net.MemoryNetwork.Datagram;
import org.openswanj.whack.proto.WhackRequest;

/**
 * IKEv2 NULL authentication (RFC 7619) between two plutos: what goes on the wire, read back independently of our
 * own AUTH code (method 13, ID_NULL with empty data, AUTH = the pre-shared key MAC of RFC 7296 §2.15 keyed with
 * SK_pi / SK_pr, §2.1), and what is refused: NULL offered to a conn that wants a key, NULL answered to an
 * initiator that wants a signature, and an anonymous peer deleting or replacing SAs.
 */
class NullAuthTest {
  private static final int IKE_AUTH = 35;
  private static final int ID_NULL = 13;
  private static final int NULL_AUTHENTICATION = 13;
  private static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  private LogCapture log;

  @BeforeEach
  void captureTheLog() {
    log = LogCapture.messages("null-auth");
  }

  @AfterEach
  void restoreTheLog() {
    log.close();
  }

  private String log() {
    return log.text();
  }

  /** Both ends anonymous, as OE between two hosts without keys in DNS; HMAC-SHA2-256 as the PRF. */
  private static Map<String, String> anonymous(String... extra) {
    Map<String, String> c = TwoPlutos.conn("authby", "null", "leftid", "%null", "rightid", "%null",
        "ike", "aes128-sha2_256-modp2048", "fragmentation", "no");
    for (int i = 0; i < extra.length; i += 2) {
      c.put(extra[i], extra[i + 1]);
    }
    return c;
  }

  /** East's road-warrior conn for anonymous peers from anywhere, their clients in {@code theirSubnet}. */
  private static Map<String, String> eastForAnyone(String theirSubnet) {
    return anonymous("left", TwoPlutos.EAST, "leftsubnet", "192.0.2.0/24", "right", "%any", "rightsubnet",
        theirSubnet, "rightid", "%any");
  }

  private long lines(String text) {
    return log.count(text);
  }

  @Test
  void bothEndsAnonymousEmitMethod13IdNullAndTheSkPKeyedMac() throws Exception {
    TwoPlutos t = new TwoPlutos("", "", IkeSettings.defaults());
    assertTrue(t.add(t.west, "anon", anonymous()).text().contains("added"));
    assertTrue(t.add(t.east, "anon", anonymous()).text().contains("added"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("anon", false));
    assertTrue(r.text().contains("IPsec SA established"), r.text());
    IkeSa w = t.west.pluto.engine().ikeSas().get(0);
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);

    List<Datagram> wire = t.net.log();
    byte[] initRequest = wire.get(0).bytes();
    byte[] initResponse = wire.get(1).bytes();
    byte[] ni = nonce(initRequest);
    byte[] nr = nonce(initResponse);
    List<Payload> request = open(find(wire, IKE_AUTH, false), e);
    List<Payload> response = open(find(wire, IKE_AUTH, true), w);

    for (List<Payload> m : List.of(request, response)) {
      IdPayload id = first(m, IdPayload.class);
      assertEquals(ID_NULL, id.idType().wireValue(), "RFC 7619 §2.2: ID type ID_NULL");
      assertEquals(0, id.data().length, "ID_NULL's Identification Data is empty");
      AuthPayload auth = first(m, AuthPayload.class);
      assertEquals(NULL_AUTHENTICATION, auth.rawMethod(), "RFC 7619 §2.1: Auth Method 13");
      assertEquals(32, auth.data().length, "AUTH data is a PRF output (HMAC-SHA2-256), not empty");
    }
    // RFC 7296 §2.15 with RFC 7619 §2.1's key: AUTH = prf(prf(SK_px, "Key Pad for IKEv2"), signed octets)
    byte[] restOfId = {ID_NULL, 0, 0, 0};
    byte[] skPi = w.keys().skPi().bytes();
    byte[] skPr = w.keys().skPr().bytes();
    assertArrayEquals(mac(skPi, concat(initRequest, nr, hmac(skPi, restOfId))),
        first(request, AuthPayload.class).data(), "the initiator's AUTH is keyed with SK_pi");
    assertArrayEquals(mac(skPr, concat(initResponse, ni, hmac(skPr, restOfId))),
        first(response, AuthPayload.class).data(), "the responder's AUTH is keyed with SK_pr");

    String status = t.whack(t.east, new WhackRequest.Status(false)).text();
    assertTrue(status.contains("[%null]"), "--status shows the anonymous ID: " + status);
    assertTrue(lines("peer=%null") >= 2, "both logs name the anonymous peer: " + log());
  }

  @Test
  void nullAuthOfferedToAConnThatWantsAKeyIsAuthenticationFailedInOneLine() throws Exception {
    TwoPlutos t = new TwoPlutos("", PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", anonymous("leftid", "@west", "rightid", "@east", "keyingtries", "1"));
    t.add(t.east, "west-east", TwoPlutos.conn());
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("AUTHENTICATION_FAILED"), r.text());
    assertEquals(1, lines("failed to authenticate (AUTH method 13 is not allowed by authby=[SECRET]): answering"
        + " AUTHENTICATION_FAILED"), log());
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty(), "RFC 7296 §2.21.2: the responder forgets the SA");
    assertTrue(t.east.backend.sas().isEmpty() && t.west.backend.sas().isEmpty());
  }

  @Test
  void nullAuthOfferedToAConnThatRequiresRsaIsAuthenticationFailedInOneLine() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair wk = g.generateKeyPair();
    KeyPair ek = g.generateKeyPair();
    String keys = "leftrsasigkey " + RsaAuthTwoPeerTest.sigkey(wk) + " rightrsasigkey " + RsaAuthTwoPeerTest.sigkey(ek);
    TwoPlutos t = new TwoPlutos("", RsaAuthTwoPeerTest.rsaBlock(ek), IkeSettings.defaults());
    t.add(t.west, "west-east", anonymous("leftid", "@west", "rightid", "@east", "keyingtries", "1"));
    t.add(t.east, "west-east", withKeys(TwoPlutos.conn("authby", "rsasig"), keys));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("AUTHENTICATION_FAILED"), r.text());
    assertEquals(1, lines("failed to authenticate (AUTH method 13 is not allowed by authby=[RSASIG]): answering"
        + " AUTHENTICATION_FAILED"), log());
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty() && t.east.backend.sas().isEmpty());
  }

  /** The initiator wants the responder's signature; a NULL AUTH from it authenticates nothing. */
  @Test
  void aResponderAnsweringWithNullIsRefusedByAnInitiatorThatWantsASignature() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair wk = g.generateKeyPair();
    KeyPair ek = g.generateKeyPair();
    String keys = "leftrsasigkey " + RsaAuthTwoPeerTest.sigkey(wk) + " rightrsasigkey " + RsaAuthTwoPeerTest.sigkey(ek);
    // east has west's public key but no private key of its own: authby=rsasig|null answers with NULL
    TwoPlutos t = new TwoPlutos(RsaAuthTwoPeerTest.rsaBlock(wk), "", IkeSettings.defaults());
    t.add(t.west, "west-east", withKeys(TwoPlutos.conn("authby", "rsasig", "keyingtries", "1"), keys));
    t.add(t.east, "west-east", withKeys(TwoPlutos.conn("authby", "rsasig|null"), keys));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertFalse(r.text().contains("IPsec SA established"), r.text());
    assertEquals(1, lines("IKE_AUTH response: AUTHENTICATION_FAILED (AUTH method 13 is not allowed by"
        + " authby=[RSASIG])"), log());
    assertTrue(t.west.backend.sas().isEmpty(), "west installs nothing for an unauthenticated responder");
  }

  private static Map<String, String> withKeys(Map<String, String> c, String keys) {
    String[] kv = keys.split(" ");
    for (int i = 0; i < kv.length; i += 2) {
      c.put(kv[i], kv[i + 1]);
    }
    return c;
  }

  /**
   * An authenticated SA is never replaced by an anonymous one: west (PSK, @west) is up; a restarted west without
   * the PSK claims @west with NULL authentication and INITIAL_CONTACT. East's conn for @west wants the PSK, so it
   * answers AUTHENTICATION_FAILED, and the authenticated SA stays.
   */
  @Test
  void anAnonymousPeerClaimingAnAuthenticatedIdNeitherGetsInNorDeletesTheAuthenticatedSa() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.conn());
    t.add(t.east, "west-east", TwoPlutos.conn());
    t.add(t.east, "anon", eastForAnyone("192.0.7.0/24"));
    assertTrue(t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text().contains("IPsec SA established"));
    long serial = t.east.pluto.engine().ikeSas().get(0).serial;

    TwoPlutos.Node impostor = t.killAndRestart(t.west, IkeSettings.defaults());
    t.add(impostor, "west-east", anonymous("leftid", "@west", "rightid", "%any", "keyingtries", "1"));
    TwoPlutos.Recorder r = t.whack(impostor, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("AUTHENTICATION_FAILED"), r.text());
    List<IkeSa> left = t.east.pluto.engine().ikeSas();
    assertEquals(1, left.size(), "only the authenticated SA: " + left);
    assertEquals(serial, left.get(0).serial);
    assertTrue(left.get(0).state.established());
  }

  /**
   * Anonymous peers all say ID_NULL (or an ID nothing vouches for): a second one neither replaces the first
   * (uniqueids) nor deletes it with INITIAL_CONTACT (RFC 7619 §2.3).
   */
  @Test
  void aSecondAnonymousPeerWithTheSameIdReplacesAndDeletesNothing() throws Exception {
    TwoPlutos t = new TwoPlutos("", "", IkeSettings.defaults());
    t.add(t.west, "anon", anonymous("leftid", "@west"));
    t.add(t.east, "anon", eastForAnyone("192.0.1.0/24"));
    assertTrue(t.whack(t.west, new WhackRequest.Initiate("anon", false)).text().contains("IPsec SA established"));
    TwoPlutos.Node again = t.killAndRestart(t.west, IkeSettings.defaults());
    t.add(again, "anon", anonymous("leftid", "@west"));
    assertTrue(t.whack(again, new WhackRequest.Initiate("anon", false)).text().contains("IPsec SA established"));
    assertEquals(2, t.east.pluto.engine().ikeSas().stream().filter(s -> s.state.established()).count(),
        "the first anonymous SA stays (it goes by DPD or its lifetime)");
    assertEquals(2, lines("ignoring INITIAL_CONTACT from a peer that used NULL authentication"),
        "both IKE_AUTHs carried INITIAL_CONTACT (each the first since its start); neither deleted anything: " + log());
  }

  @Test
  void authbyNullIsIkev2OnlyAndTheErrorNamesTheConn() {
    TwoPlutos.Recorder r;
    try {
      TwoPlutos t = new TwoPlutos("", "", IkeSettings.defaults());
      r = t.add(t.west, "v1-anon", anonymous("ikev2", "never"));
    } catch (Exception ex) {
      throw new AssertionError(ex);
    }
    assertTrue(r.text().contains("v1-anon") && r.text().contains("authby=null is IKEv2 only (RFC 7619)"),
        r.text());
    assertFalse(r.text().contains("added"), r.text());
  }

  // ---- reading the wire without our AUTH code ----

  private static Datagram find(List<Datagram> wire, int exchange, boolean response) {
    return wire.stream().filter(d -> (d.bytes()[18] & 0xff) == exchange && ((d.bytes()[19] & 0x20) != 0) == response)
        .findFirst().orElseThrow(() -> new AssertionError("no IKE_AUTH " + (response ? "response" : "request")));
  }

  /** The SK payload's inner payloads, opened with the receiver's keys (RFC 7296 §3.14). */
  private static List<Payload> open(Datagram d, IkeSa receiver) throws Exception {
    byte[] b = d.bytes();
    assertEquals(46, b[16] & 0xff, "an SK payload, not fragments");
    int aadLen = IkeHeader.SIZE + 4;
    byte[] plain = receiver.recvCipher.open(Arrays.copyOf(b, aadLen), Arrays.copyOfRange(b, aadLen, b.length));
    return IkeCodec.decodeChain(2, b[IkeHeader.SIZE] & 0xff, plain, 0, plain.length);
  }

  private static byte[] nonce(byte[] datagram) throws Exception {
    return first(IkeCodec.decode(datagram).payloads(), NoncePayload.class).nonce();
  }

  private static <T> T first(List<Payload> m, Class<T> type) {
    return m.stream().filter(type::isInstance).map(type::cast).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + m));
  }

  private static byte[] mac(byte[] skP, byte[] octets) throws Exception {
    return hmac(hmac(skP, "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII)), octets);
  }

  private static byte[] hmac(byte[] key, byte[] data) throws Exception {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(key, "HmacSHA256"));
    return m.doFinal(data);
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }
}
