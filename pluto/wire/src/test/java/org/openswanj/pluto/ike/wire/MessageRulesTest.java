package org.openswanj.pluto.ike.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shape table: real messages pass; a missing, extra or duplicated payload is named in the error. */
class MessageRulesTest {

  private static List<Payload> payloads(String file, String name) throws Exception {
    return new ArrayList<>(IkeCodec.decode(Fixtures.get(file, name)).payloads());
  }

  private static String reject(ExchangeType x, boolean response, List<Payload> ps) {
    return assertThrows(InvalidSyntaxException.class, () -> MessageRules.check(x, response, ps)).getMessage();
  }

  @Test
  void ikeSaInitRequestNeedsKe() throws Exception {
    List<Payload> ps = payloads("ikev2", "ike_sa_init_req");
    ps.remove(1);
    assertTrue(reject(ExchangeType.IKE_SA_INIT, false, ps).contains("missing KE"));
  }

  @Test
  void ikeSaInitRequestWithTwoSas() throws Exception {
    List<Payload> ps = payloads("ikev2", "ike_sa_init_req");
    ps.add(ps.get(0));
    assertTrue(reject(ExchangeType.IKE_SA_INIT, false, ps).contains("2 SA payloads, at most 1"));
  }

  @Test
  void ikeSaInitRequestWithUnexpectedAuth() throws Exception {
    List<Payload> ps = payloads("ikev2", "ike_sa_init_req");
    ps.add(new AuthPayload(AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE, new byte[20]));
    assertTrue(reject(ExchangeType.IKE_SA_INIT, false, ps).contains("unexpected AUTH"));
  }

  @Test
  void ikeSaInitResponseNotifyOnly() throws Exception {
    MessageRules.check(ExchangeType.IKE_SA_INIT, true,
        List.of(new NotifyPayload(NotifyType.COOKIE, new byte[16])));
    MessageRules.check(ExchangeType.IKE_SA_INIT, true,
        List.of(new NotifyPayload(NotifyType.NO_PROPOSAL_CHOSEN, new byte[0])));
    String why = reject(ExchangeType.IKE_SA_INIT, true,
        List.of(new NotifyPayload(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED, new byte[0])));
    assertTrue(why.contains("missing SA"), why);
  }

  private static List<Payload> authRequest() throws Exception {
    var ts = TrafficSelector.ofRange(java.net.InetAddress.getByName("10.1.0.0"),
        java.net.InetAddress.getByName("10.1.0.255"));
    return new ArrayList<>(List.of(new IdPayload(false, IdType.ID_FQDN, new byte[] {'w'}),
        new NotifyPayload(NotifyType.INITIAL_CONTACT, new byte[0]),
        new IdPayload(true, IdType.ID_FQDN, new byte[] {'e'}),
        new AuthPayload(AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE, new byte[32]),
        new SaPayload(List.of(new Proposal(1, ProtocolId.ESP, new byte[4],
            List.of(new Transform(TransformType.ENCR, 20, 128))))),
        new TsPayload(false, List.of(ts)), new TsPayload(true, List.of(ts)),
        new NotifyPayload(NotifyType.MOBIKE_SUPPORTED, new byte[0])));
  }

  @Test
  void ikeAuthRequestShapes() throws Exception {
    // charon's: IDi N(INIT_CONTACT) IDr AUTH SA TSi TSr N(MOBIKE_SUP) ...
    MessageRules.check(ExchangeType.IKE_AUTH, false, authRequest());
    List<Payload> noTsr = authRequest();
    noTsr.remove(6);
    assertTrue(reject(ExchangeType.IKE_AUTH, false, noTsr).contains("missing TSR"));
    List<Payload> eap = authRequest();
    eap.remove(3); // no AUTH: asks for EAP (RFC 7296 §2.16)
    MessageRules.check(ExchangeType.IKE_AUTH, false, eap);
    List<Payload> noId = authRequest();
    noId.remove(0);
    assertTrue(reject(ExchangeType.IKE_AUTH, false, noId).contains("missing IDI"));
  }

  @Test
  void ikeAuthResponseErrorOnly() throws Exception {
    MessageRules.check(ExchangeType.IKE_AUTH, true,
        List.of(new NotifyPayload(NotifyType.AUTHENTICATION_FAILED, new byte[0])));
    assertThrows(InvalidSyntaxException.class, () -> MessageRules.check(ExchangeType.IKE_AUTH, true,
        List.of(new NotifyPayload(NotifyType.MOBIKE_SUPPORTED, new byte[0]))));
  }

  @Test
  void createChildSaAndInformational() throws Exception {
    List<Payload> child = authRequest();
    child.removeIf(p -> p instanceof IdPayload || p instanceof AuthPayload);
    child.add(new NoncePayload(new byte[32]));
    MessageRules.check(ExchangeType.CREATE_CHILD_SA, false, child);
    child.remove(child.size() - 1);
    assertTrue(reject(ExchangeType.CREATE_CHILD_SA, false, child).contains("missing NONCE"));
    MessageRules.check(ExchangeType.INFORMATIONAL, false, List.of());
    MessageRules.check(ExchangeType.INFORMATIONAL, false, List.of(new DeletePayload(3, 4, List.of(new byte[4]))));
    assertTrue(reject(ExchangeType.INFORMATIONAL, false, List.of(new NoncePayload(new byte[16])))
        .contains("unexpected NONCE"));
  }

  @Test
  void outerMessageOfIkeAuthMustBeSk() throws Exception {
    IkeMessage m = IkeCodec.decode(Fixtures.get("ikev2", "ike_sa_init_req"));
    IkeMessage fake = new IkeMessage(m.header().withChain(33, m.header().length()), m.payloads());
    MessageRules.checkOuter(fake); // IKE_SA_INIT: nothing to check
    IkeHeader auth = IkeHeader.v2(1, 2, ExchangeType.IKE_AUTH, true, false, 1);
    assertThrows(InvalidSyntaxException.class,
        () -> MessageRules.checkOuter(new IkeMessage(auth, m.payloads())));
  }

  @Test
  void ikev1Steps() throws Exception {
    List<Payload> mi1 = payloads("ikev1-main", "mi1");
    String why = assertThrows(InvalidSyntaxException.class,
        () -> MessageRules.checkV1(MessageRules.V1Step.MI2, mi1)).getMessage();
    assertTrue(why.startsWith("MI2"), why);
    List<Payload> mi2 = payloads("ikev1-main", "mi2");
    mi2.remove(1);
    assertTrue(assertThrows(InvalidSyntaxException.class,
        () -> MessageRules.checkV1(MessageRules.V1Step.MI2, mi2)).getMessage().contains("missing NONCE_V1"));
    MessageRules.checkV1(MessageRules.V1Step.MI3, List.of(new V1IdPayload(IdType.ID_FQDN, 17, 500,
        new byte[] {'w'}), new HashPayload(new byte[32]), new V1NotifyPayload(1, 1, new byte[16],
        NotifyType.INITIAL_CONTACT_V1.wireValue(), new byte[0])));
    assertThrows(InvalidSyntaxException.class, () -> MessageRules.checkV1(MessageRules.V1Step.MI3,
        List.of(new V1IdPayload(IdType.ID_FQDN, 0, 0, new byte[1]), new HashPayload(new byte[1]),
            new SigPayload(new byte[1]))));
    MessageRules.checkV1(MessageRules.V1Step.AI2, List.of(new HashPayload(new byte[32]),
        new NatDPayload(new byte[32]), new NatDPayload(new byte[32], true)));
    MessageRules.checkV1(MessageRules.V1Step.QI2, List.of(new HashPayload(new byte[32])));
    assertThrows(InvalidSyntaxException.class, () -> MessageRules.checkV1(MessageRules.V1Step.INFO,
        List.of(new HashPayload(new byte[32]))));
  }
}
