package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.DhGroup;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.AuthMethod;
import org.openswanj.pluto.ike.wire.AuthPayload;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IdPayload;
import org.openswanj.pluto.ike.wire.IdType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.KePayload;
import org.openswanj.pluto.ike.wire.NoncePayload;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.PayloadType;
import org.openswanj.pluto.ike.wire.Proposal;
import org.openswanj.pluto.ike.wire.ProtocolId;
import org.openswanj.pluto.ike.wire.SaPayload;
import org.openswanj.pluto.ike.wire.TrafficSelector;
import org.openswanj.pluto.ike.wire.Transform;
import org.openswanj.pluto.ike.wire.TransformType;
import org.openswanj.pluto.ike.wire.TsPayload;
import org.openswanj.pluto.ike.wire.V1VendorIdPayload;
import org.openswanj.pluto.net.MemoryNetwork.Datagram;
import org.openswanj.whack.proto.WhackRequest;

/**
 * Packets shaped after published CVEs of Openswan, Libreswan and strongSwan in which one crafted IKE message
 * crashed or restarted the daemon. Each goes to a responder pluto in-process; each must be answered as the RFC
 * says (or dropped where the RFC says so), count no internal error, and leave no state behind; where an SA was
 * up, it still works afterwards. The shapes are from the advisories' descriptions, not from exploit code.
 */
class KnownCvePacketsTest {
  private static final String PSK = Ikev2TwoPeerTest.PSK;

  private static TwoPlutos pair(String eastSecrets) throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, eastSecrets, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.conn());
    t.add(t.east, "west-east", TwoPlutos.conn());
    return t;
  }

  private static TwoPlutos established() throws Exception {
    TwoPlutos t = pair(PSK);
    assertTrue(t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text()
        .contains("IPsec SA established"));
    return t;
  }

  private static InetSocketAddress west(TwoPlutos t) {
    return new InetSocketAddress(t.west.address, 500);
  }

  private static InetSocketAddress east(TwoPlutos t) {
    return new InetSocketAddress(t.east.address, 500);
  }

  /** An IKE_SA_INIT request from west's address with these payloads; returns what east answered in the clear. */
  private static List<NotifyType> sendInit(TwoPlutos t, List<Payload> payloads) throws Exception {
    IkeHeader h = IkeHeader.v2(0x1122334455667788L, 0, ExchangeType.IKE_SA_INIT, true, false, 0);
    return sendRaw(t, IkeCodec.encode(h, payloads));
  }

  private static List<NotifyType> sendRaw(TwoPlutos t, byte[] datagram) throws Exception {
    int before = t.net.log().size();
    t.net.inject(west(t), east(t), datagram);
    t.loop.runPending();
    List<NotifyType> out = new ArrayList<>();
    for (Datagram d : t.net.log().subList(before, t.net.log().size())) {
      if (!d.from().getAddress().equals(t.east.address)) {
        continue;
      }
      IkeMessage m = IkeCodec.decode(d.bytes());
      m.payloads().stream().filter(p -> p instanceof NotifyPayload).map(p -> ((NotifyPayload) p).type())
          .forEach(out::add);
    }
    return out;
  }

  private static SaPayload offer(TwoPlutos t, DhGroup group) {
    return Proposals.ikeOffer(t.west.pluto.connections().iterator().next().proposals(), new byte[0], group);
  }

  private static DhGroup group(TwoPlutos t) {
    return t.west.pluto.connections().iterator().next().proposals().ike().get(0).dh();
  }

  private static void noBugNoState(TwoPlutos t) {
    assertEquals(0, t.east.pluto.engine().internalErrors(), "the packet reached the bug guard");
    assertEquals(0, t.east.pluto.ikev1().internalErrors(), "the packet reached IKEv1's bug guard");
    t.loop.advance(Duration.ofMinutes(2)); // half-open SAs time out (RFC 7296 §2.6)
    t.loop.runPending();
    assertTrue(t.east.pluto.engine().ikeSas().stream().noneMatch(s -> s.state.established()),
        "no IKE SA came of it");
    assertEquals(0, t.east.pluto.engine().halfOpen(), "no half-open state stays");
    assertTrue(t.east.backend.sas().isEmpty(), "no kernel SA came of it");
  }

  /** CVE-2013-6466 and CVE-2014-2037 (Openswan 2.6.39/2.6.40): IKEv2 packets lacking expected payloads. */
  @Test
  void anIkeSaInitLackingAnExpectedPayloadIsInvalidSyntax() throws Exception {
    TwoPlutos t = pair(PSK);
    DhGroup g = group(t);
    KePayload ke = new KePayload(g.id(), new byte[g.publicValueSize()]);
    NoncePayload ni = new NoncePayload(new byte[32]);
    for (List<Payload> p : List.of(List.<Payload>of(offer(t, g), ni), List.<Payload>of(ke, ni),
        List.<Payload>of(offer(t, g), ke))) {
      // RFC 7296 §3.10.1: a message missing a required payload is INVALID_SYNTAX
      assertEquals(List.of(NotifyType.INVALID_SYNTAX), sendInit(t, p), p.toString());
    }
    noBugNoState(t);
  }

  /** CVE-2015-3240 (Libreswan): "IKE daemon restart when receiving a bad DH gx" — a KE value of zero. */
  @Test
  void aZeroDiffieHellmanValueMakesNoSa() throws Exception {
    TwoPlutos t = pair(PSK);
    DhGroup g = group(t);
    sendInit(t, List.of(offer(t, g), new KePayload(g.id(), new byte[g.publicValueSize()]),
        new NoncePayload(new byte[32])));
    noBugNoState(t);
  }

  /** CVE-2014-9221 (strongSwan): a KE payload of DH group 1025 (private use) crashed charon. */
  @Test
  void anUnknownDhGroupIsAnsweredWithTheGroupWeWant() throws Exception {
    TwoPlutos t = pair(PSK);
    DhGroup g = group(t);
    List<NotifyType> a = sendInit(t, List.of(offer(t, g), new KePayload(1025, new byte[64]),
        new NoncePayload(new byte[32])));
    // RFC 7296 §1.2: INVALID_KE_PAYLOAD names the group the responder wants
    assertEquals(List.of(NotifyType.INVALID_KE_PAYLOAD), a);
    noBugNoState(t);
  }

  /** CVE-2018-10811 (strongSwan): a proposal whose PRF the responder does not implement. */
  @Test
  void aProposalWithAnUnknownPrfIsNoProposalChosen() throws Exception {
    TwoPlutos t = pair(PSK);
    DhGroup g = group(t);
    SaPayload sa = new SaPayload(List.of(new Proposal(1, ProtocolId.IKE, new byte[0], List.of(
        new Transform(TransformType.ENCR, 20, 128), new Transform(TransformType.PRF, 1000, 0),
        new Transform(TransformType.DH, g.id(), 0)))));
    assertEquals(List.of(NotifyType.NO_PROPOSAL_CHOSEN), sendInit(t, List.of(sa,
        new KePayload(g.id(), new byte[g.publicValueSize()]), new NoncePayload(new byte[32]))));
    noBugNoState(t);
  }

  /** CVE-2023-41913 (strongSwan charon-tkm): a DH public value longer than the group's. */
  @Test
  void anOversizedKeValueMakesNoSa() throws Exception {
    TwoPlutos t = pair(PSK);
    DhGroup g = group(t);
    sendInit(t, List.of(offer(t, g), new KePayload(g.id(), new byte[g.publicValueSize() * 4 + 3]),
        new NoncePayload(new byte[32])));
    noBugNoState(t);
  }

  /** CVE-2023-23009 (Libreswan 4.9): a TS payload whose selector length is wrong. */
  @Test
  void aTrafficSelectorWithABadLengthIsInvalidSyntaxAndTheSaStays() throws Exception {
    TwoPlutos t = established();
    IkeSa w = t.west.pluto.engine().ikeSas().get(0);
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);
    ChildSa wc = w.children.get(0);
    List<Payload> head = List.of(Proposals.espOffer(w.conn.proposals(), Children.spiBytes(0x4444), null),
        new NoncePayload(new byte[32]));
    List<Payload> all = new ArrayList<>(head);
    all.add(new TsPayload(false, wc.localTs));
    all.add(new TsPayload(true, wc.remoteTs));
    byte[] plain = IkeCodec.encodeChain(2, all);
    int tsi = IkeCodec.encodeChain(2, head).length;
    plain[tsi + 4 + 4 + 2] = (byte) 0xff; // the first selector's length, RFC 7296 §3.13.1
    plain[tsi + 4 + 4 + 3] = (byte) 0xff;
    List<NotifyType> a = sealed(t, w, e, ExchangeType.CREATE_CHILD_SA, PayloadType.SA.wireValue(), plain);
    assertEquals(List.of(NotifyType.INVALID_SYNTAX), a);
    stillWorks(t, w, e);
  }

  /** CVE-2023-38710 (Libreswan): REKEY_SA naming an invalid IPsec protocol. */
  @Test
  void aRekeyOfAnotherProtocolIsRefusedAndTheChildStays() throws Exception {
    TwoPlutos t = established();
    IkeSa w = t.west.pluto.engine().ikeSas().get(0);
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);
    ChildSa wc = w.children.get(0);
    for (int protocol : new int[] {0, ProtocolId.IKE.wireValue(), 77}) {
      List<Payload> req = List.of(new NotifyPayload(protocol, Children.spiBytes(0x12345678),
              NotifyType.REKEY_SA.wireValue(), new byte[0]),
          Proposals.espOffer(w.conn.proposals(), Children.spiBytes(0x4444), null), new NoncePayload(new byte[32]),
          new TsPayload(false, wc.localTs), new TsPayload(true, wc.remoteTs));
      List<NotifyType> a = sealed(t, w, e, ExchangeType.CREATE_CHILD_SA, PayloadType.NOTIFY.wireValue(),
          IkeCodec.encodeChain(2, req));
      assertTrue(a.size() == 1 && NotifyType.isErrorValue(a.get(0).wireValue()), "protocol " + protocol + ": " + a);
    }
    assertEquals(1, e.children.size(), "the Child SA was not touched");
    stillWorks(t, w, e);
  }

  /** CVE-2013-6075 and CVE-2014-2891 (strongSwan): an ID_DER_ASN1_DN ID payload that is not DER. */
  @Test
  void aGarbageDistinguishedNameIdIsAuthenticationFailed() throws Exception {
    TwoPlutos t = pair(PSK);
    t.net.setTap(d -> (d.bytes()[18] & 0xff) == ExchangeType.IKE_AUTH.wireValue() ? null : d);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.net.setTap(d -> d);
    IkeSa w = t.west.pluto.engine().ikeSas().get(0);
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);
    TrafficSelector any = TrafficSelector.ofRange(InetAddress.getByName("0.0.0.0"),
        InetAddress.getByName("255.255.255.255"));
    byte[] notDer = {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x31, 0x00, 0x06};
    List<Payload> req = List.of(new IdPayload(false, IdType.ID_DER_ASN1_DN, notDer),
        new AuthPayload(AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE, new byte[32]),
        Proposals.espOffer(w.conn.proposals(), Children.spiBytes(0x4444), null),
        new TsPayload(false, List.of(any)), new TsPayload(true, List.of(any)));
    List<NotifyType> a = sealed(t, w, e, ExchangeType.IKE_AUTH, PayloadType.IDI.wireValue(),
        IkeCodec.encodeChain(2, req));
    assertEquals(List.of(NotifyType.AUTHENTICATION_FAILED), a);
    noBugNoState(t);
  }

  /** CVE-2024-2357 (Libreswan): an IKE_AUTH for a PSK conn when ipsec.secrets has no PSK for the IDs. */
  @Test
  void noPreSharedKeyForThePeerIsAuthenticationFailed() throws Exception {
    TwoPlutos t = pair("");
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("AUTHENTICATION_FAILED"), r.text());
    noBugNoState(t);
  }

  /** CVE-2023-30570 (Libreswan): an IKEv1 Aggressive Mode first message without Vendor ID payloads. */
  @Test
  void anAggressiveModeRequestWithoutVendorIdsIsHandledLikeAnyOther() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.connFor("never", "aggrmode", "yes"));
    t.add(t.east, "west-east", TwoPlutos.connFor("never", "aggrmode", "yes"));
    List<byte[]> captured = new ArrayList<>();
    t.net.setTap(d -> {
      if (d.from().getAddress().equals(t.west.address) && captured.isEmpty()) {
        captured.add(d.bytes());
        return null;
      }
      return d;
    });
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.net.setTap(d -> d);
    IkeMessage ai1 = IkeCodec.decode(captured.get(0));
    List<Payload> stripped = ai1.payloads().stream().filter(p -> !(p instanceof V1VendorIdPayload)).toList();
    assertTrue(stripped.size() < ai1.payloads().size(), "west's AI1 carried Vendor IDs to strip");
    int before = t.net.log().size();
    t.net.inject(west(t), east(t), IkeCodec.encode(ai1.header(), stripped));
    t.loop.runPending();
    assertEquals(0, t.east.pluto.ikev1().internalErrors());
    assertTrue(t.net.log().subList(before, t.net.log().size()).stream()
        .anyMatch(d -> d.from().getAddress().equals(t.east.address)), "east answered AR1 (RFC 2409 §5.4)");
  }

  /** CVE-2013-6076 (strongSwan): a crafted IKEv1 fragment payload (type 132) in a first message. */
  @Test
  void anIkev1FragmentPayloadInAFirstMessageIsDropped() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.east, "west-east", TwoPlutos.connFor("never"));
    byte[] frag = {0, 0, 0, 12, 0, 1, 1, 1, 1, 2, 3, 4}; // next, reserved, length 12, id 1, number 1, LAST, data
    byte[] hdr = new byte[28];
    java.nio.ByteBuffer.wrap(hdr).putLong(0x0102030405060708L).putLong(0).put((byte) 132).put((byte) 0x10)
        .put((byte) 2).put((byte) 0).putInt(0).putInt(28 + frag.length);
    byte[] m = new byte[hdr.length + frag.length];
    System.arraycopy(hdr, 0, m, 0, hdr.length);
    System.arraycopy(frag, 0, m, hdr.length, frag.length);
    t.net.inject(west(t), east(t), m);
    t.loop.runPending();
    assertEquals(0, t.east.pluto.ikev1().internalErrors());
    assertTrue(t.east.pluto.ikev1().isakmpSas().isEmpty(), "no ISAKMP SA came of it");
  }

  /** A sealed request from west to east with the message ID east expects; returns east's error notifies. */
  private static List<NotifyType> sealed(TwoPlutos t, IkeSa w, IkeSa e, ExchangeType x, int first, byte[] plain)
      throws Exception {
    IkeHeader h = IkeHeader.v2(w.spiI, w.spiR, x, true, false, (int) e.expectedRequestId());
    int before = t.net.log().size();
    // west does not get east's answer: it would act on it (an AUTHENTICATION_FAILED wipes its keys), and the
    // test reads it with west's keys
    t.net.setTap(d -> d.from().getAddress().equals(t.east.address) ? null : d);
    t.net.inject(new InetSocketAddress(w.local.getAddress(), w.local.getPort()), e.local,
        MalformedMessageTest.sealRaw(w, h, first, plain));
    t.loop.runPending();
    t.net.setTap(d -> d);
    List<NotifyType> out = new ArrayList<>();
    for (Datagram d : t.net.log().subList(before, t.net.log().size())) {
      if (d.from().getAddress().equals(t.east.address)) {
        IkeMessage outer = IkeCodec.decode(d.bytes());
        if (outer.header().response()) {
          for (Payload p : IkeCodec.decodeEncrypted(d.bytes(), outer, Fragments.opener(w))) {
            if (p instanceof NotifyPayload n && n.isError()) {
              out.add(n.type());
            }
          }
        }
      }
    }
    assertEquals(0, t.east.pluto.engine().internalErrors(), "the packet reached the bug guard");
    return out;
  }

  /** The SA survived: a real delete from west goes through it and empties east. */
  private static void stillWorks(TwoPlutos t, IkeSa w, IkeSa e) {
    w.window.resume(e.expectedRequestId(), w.expectedRequestId());
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty(), "east processed the good Delete after the bad one");
  }
}
