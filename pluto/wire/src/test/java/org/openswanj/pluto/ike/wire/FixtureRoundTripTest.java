package org.openswanj.pluto.ike.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Real strongSwan messages: decode, check the fields charon's log says it sent, re-encode to the same bytes. */
class FixtureRoundTripTest {

  private static IkeMessage decode(String file, String name) throws IkeProtocolException {
    return IkeCodec.decode(Fixtures.get(file, name));
  }

  private static List<PayloadType> types(IkeMessage m) {
    return m.payloads().stream().map(Payload::payloadType).collect(Collectors.toList());
  }

  @Test
  void everyFixtureReencodesToTheSameBytes() throws Exception {
    Map<String, byte[]> all = Fixtures.all();
    assertEquals(33, all.size());
    for (Map.Entry<String, byte[]> e : all.entrySet()) {
      IkeMessage m = IkeCodec.decode(e.getValue());
      assertEquals(e.getValue().length, m.header().length(), e.getKey());
      assertEquals(IkeCodec.hex(e.getValue()), IkeCodec.hex(IkeCodec.encode(m.header(), m.payloads())),
          e.getKey());
    }
  }

  @Test
  void ikeSaInitRequest() throws Exception {
    IkeMessage m = decode("ikev2", "ike_sa_init_req");
    IkeHeader h = m.header();
    assertEquals(0x2ada5b8b83616bd7L, h.initiatorSpi());
    assertEquals(0L, h.responderSpi());
    assertEquals(ExchangeType.IKE_SA_INIT, h.exchange());
    assertTrue(h.initiator());
    assertFalse(h.response());
    assertEquals(2, h.majorVersion());
    assertEquals(0, h.messageId());
    assertEquals(464, h.length());
    assertEquals(List.of(PayloadType.SA, PayloadType.KE, PayloadType.NONCE, PayloadType.NOTIFY, PayloadType.NOTIFY,
        PayloadType.NOTIFY, PayloadType.NOTIFY, PayloadType.NOTIFY), types(m));
    // charon: proposals = aes128-sha256-modp2048
    Proposal p = m.first(SaPayload.class).orElseThrow().proposals().get(0);
    assertEquals(1, p.number());
    assertEquals(ProtocolId.IKE, p.protocol());
    assertEquals(0, p.spi().length);
    assertEquals(List.of(new Transform(TransformType.ENCR, 12, 128), new Transform(TransformType.INTEG, 12, 0),
        new Transform(TransformType.PRF, 5, 0), new Transform(TransformType.DH, 14, 0)), p.transforms());
    KePayload ke = m.first(KePayload.class).orElseThrow();
    assertEquals(14, ke.dhGroup());
    assertEquals(256, ke.keyData().length);
    assertEquals(32, m.first(NoncePayload.class).orElseThrow().nonce().length);
    assertEquals(20, m.notify(NotifyType.NAT_DETECTION_SOURCE_IP).orElseThrow().data().length);
    assertEquals("26cef5f41ddd277922052f9daa8f408dd8dc76b2",
        IkeCodec.hex(m.notify(NotifyType.NAT_DETECTION_SOURCE_IP).orElseThrow().data()));
    assertTrue(m.notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isPresent());
    // RFC 7427 §4 hash ids: SHA2-256 (2), SHA2-384 (3), SHA2-512 (4), Identity (5, RFC 8420)
    assertEquals("0002000300040005",
        IkeCodec.hex(m.notify(NotifyType.SIGNATURE_HASH_ALGORITHMS).orElseThrow().data()));
    assertTrue(m.notify(NotifyType.REDIRECT_SUPPORTED).isPresent());
    MessageRules.check(ExchangeType.IKE_SA_INIT, false, m.payloads());
  }

  @Test
  void ikeSaInitResponse() throws Exception {
    IkeMessage m = decode("ikev2", "ike_sa_init_resp");
    assertEquals(0xe37f11b15ab8807aL, m.header().responderSpi());
    assertTrue(m.header().response());
    assertFalse(m.header().initiator());
    assertTrue(m.notify(NotifyType.CHILDLESS_IKEV2_SUPPORTED).isPresent());
    assertTrue(m.notify(NotifyType.MULTIPLE_AUTH_SUPPORTED).isPresent());
    MessageRules.check(ExchangeType.IKE_SA_INIT, true, m.payloads());
  }

  @Test
  void invalidKePayloadResponseCarriesTheGroup() throws Exception {
    IkeMessage req = decode("ikev2-invalid-ke", "ike_sa_init_req_x25519");
    assertEquals(31, req.first(KePayload.class).orElseThrow().dhGroup());
    assertEquals(32, req.first(KePayload.class).orElseThrow().keyData().length);
    IkeMessage m = decode("ikev2-invalid-ke", "ike_sa_init_resp_invalid_ke");
    assertEquals(38, m.header().length());
    NotifyPayload n = m.notifies().get(0);
    assertEquals(NotifyType.INVALID_KE_PAYLOAD, n.type());
    assertTrue(n.isError());
    assertEquals("000e", IkeCodec.hex(n.data()));
    MessageRules.check(ExchangeType.IKE_SA_INIT, true, m.payloads());
  }

  @Test
  void ikeAuthOuterKeepsSkOpaque() throws Exception {
    IkeMessage m = decode("ikev2", "ike_auth_req");
    assertEquals(ExchangeType.IKE_AUTH, m.header().exchange());
    assertEquals(1, m.header().messageId());
    SkPayload sk = m.first(SkPayload.class).orElseThrow();
    assertEquals(1, m.payloads().size());
    assertEquals(PayloadType.IDI.wireValue(), sk.firstInnerPayload());
    assertEquals(304 - 28 - 4, sk.body().length);
    MessageRules.checkOuter(m);
    IkeMessage resp = decode("ikev2", "ike_auth_resp");
    assertEquals(PayloadType.IDR.wireValue(), resp.first(SkPayload.class).orElseThrow().firstInnerPayload());
  }

  @Test
  void informationalDelete() throws Exception {
    IkeMessage req = decode("ikev2", "informational_delete_req");
    assertEquals(ExchangeType.INFORMATIONAL, req.header().exchange());
    assertEquals(2, req.header().messageId());
    assertEquals(PayloadType.DELETE.wireValue(), req.first(SkPayload.class).orElseThrow().firstInnerPayload());
    IkeMessage resp = decode("ikev2", "informational_delete_resp");
    assertEquals(0, resp.first(SkPayload.class).orElseThrow().firstInnerPayload());
  }

  @Test
  void mainModeMi1() throws Exception {
    IkeMessage m = decode("ikev1-main", "mi1");
    IkeHeader h = m.header();
    assertEquals(1, h.majorVersion());
    assertEquals(0, h.minorVersion());
    assertEquals(ExchangeType.IDENTITY_PROTECTION, h.exchange());
    assertEquals(0, h.flags());
    assertEquals(180, h.length());
    V1SaPayload sa = m.first(V1SaPayload.class).orElseThrow();
    assertEquals(V1SaPayload.DOI_IPSEC, sa.doi());
    assertEquals(V1SaPayload.SIT_IDENTITY_ONLY, sa.situation());
    V1Proposal p = sa.proposals().get(0);
    assertEquals(ProtocolId.IKE, p.protocol());
    V1Transform t = p.transforms().get(0);
    assertEquals(1, t.id()); // KEY_IKE
    // RFC 2409 App. A: encryption 7 (AES-CBC), key length 128, hash 4 (SHA2-256), auth 1 (PSK), group 14
    assertEquals(7, t.attribute(1).orElseThrow().value());
    assertEquals(128, t.attribute(14).orElseThrow().value());
    assertEquals(4, t.attribute(2).orElseThrow().value());
    assertEquals(1, t.attribute(3).orElseThrow().value());
    assertEquals(14, t.attribute(4).orElseThrow().value());
    assertEquals(15840, t.attribute(12).orElseThrow().longValue());
    List<V1VendorIdPayload> vids = m.all(V1VendorIdPayload.class);
    assertEquals(5, vids.size());
    // RFC 3706 DPD vendor ID
    assertEquals("afcad71368a1f1c96b8696fc77570100", IkeCodec.hex(vids.get(1).data()));
    MessageRules.checkV1(MessageRules.V1Step.MI1, m.payloads());
    MessageRules.check(ExchangeType.IDENTITY_PROTECTION, false, m.payloads());
    MessageRules.checkV1(MessageRules.V1Step.MR1, decode("ikev1-main", "mr1").payloads());
  }

  @Test
  void mainModeMi2CarriesNatD() throws Exception {
    IkeMessage m = decode("ikev1-main", "mi2");
    assertEquals(List.of(PayloadType.KE_V1, PayloadType.NONCE_V1, PayloadType.NAT_D, PayloadType.NAT_D), types(m));
    assertEquals(256, m.first(V1KePayload.class).orElseThrow().keyData().length);
    assertEquals(32, m.all(NatDPayload.class).get(0).hash().length); // SHA2-256 negotiated
    MessageRules.checkV1(MessageRules.V1Step.MI2, m.payloads());
    MessageRules.checkV1(MessageRules.V1Step.MR2, decode("ikev1-main", "mr2").payloads());
  }

  @Test
  void encryptedV1MessagesStayOpaque() throws Exception {
    IkeMessage m = decode("ikev1-main", "mi3_enc");
    assertTrue(m.header().encrypted());
    V1EncryptedBody body = m.first(V1EncryptedBody.class).orElseThrow();
    assertEquals(PayloadType.ID_V1.wireValue(), body.firstPayload());
    assertEquals(108 - 28, body.ciphertext().length);
    assertEquals(0, body.ciphertext().length % 16);
    IkeMessage q = decode("ikev1-main", "qi1_enc");
    assertEquals(ExchangeType.QUICK_MODE, q.header().exchange());
    assertEquals(0xe00185d3, q.header().messageId());
  }

  @Test
  void aggressiveModeAi1() throws Exception {
    IkeMessage m = decode("ikev1-aggressive", "ai1");
    assertEquals(ExchangeType.AGGRESSIVE, m.header().exchange());
    V1IdPayload id = m.first(V1IdPayload.class).orElseThrow();
    assertEquals(IdType.ID_FQDN, id.idType());
    assertEquals("host1", new String(id.data(), java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(0, id.protocol());
    assertEquals(0, id.port());
    MessageRules.checkV1(MessageRules.V1Step.AI1, m.payloads());
    IkeMessage ar1 = decode("ikev1-aggressive", "ar1");
    assertEquals(List.of(PayloadType.SA_V1, PayloadType.KE_V1, PayloadType.NONCE_V1, PayloadType.ID_V1,
        PayloadType.VID_V1, PayloadType.VID_V1, PayloadType.VID_V1, PayloadType.VID_V1, PayloadType.NAT_D,
        PayloadType.NAT_D, PayloadType.HASH), types(ar1));
    MessageRules.checkV1(MessageRules.V1Step.AR1, ar1.payloads());
    MessageRules.check(ExchangeType.AGGRESSIVE, true, ar1.payloads());
  }
}
