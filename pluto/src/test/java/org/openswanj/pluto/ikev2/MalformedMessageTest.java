package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.DeletePayload;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IdPayload;
import org.openswanj.pluto.ike.wire.IdType;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.KePayload;
import org.openswanj.pluto.ike.wire.NoncePayload;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.PayloadType;
import org.openswanj.pluto.ike.wire.ProtocolId;
import org.openswanj.pluto.ike.wire.TrafficSelector;
import org.openswanj.pluto.ike.wire.TsPayload;
import org.openswanj.pluto.net.MemoryNetwork;
import org.openswanj.whack.proto.WhackRequest;

/**
 * No malformed message takes pluto down (issue 3): truncated, oversized and bit-flipped messages at every
 * payload, clear (IKE_SA_INIT) and inside a correctly protected SK payload, are answered or dropped as
 * RFC 7296 §2.21 says; none reaches the per-SA bug guard, and the daemon negotiates normally afterwards.
 */
class MalformedMessageTest {
  private static final String PSK = Ikev2TwoPeerTest.PSK;

  private static TwoPlutos pair() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.conn());
    t.add(t.east, "west-east", TwoPlutos.conn());
    return t;
  }

  /** Every mutation of one message: truncation at every byte, each length field made larger/smaller, bit flips. */
  static List<byte[]> mutations(byte[] msg, int from, Random r) {
    List<byte[]> out = new ArrayList<>();
    for (int n = from; n < msg.length; n++) {
      out.add(java.util.Arrays.copyOf(msg, n));
    }
    for (int off = from; off < msg.length; off++) {
      for (int bit : new int[] {0, 3, 7}) {
        byte[] m = msg.clone();
        m[off] ^= (byte) (1 << bit);
        out.add(m);
      }
      byte[] big = msg.clone();
      big[off] = (byte) 0xff;
      out.add(big);
      byte[] zero = msg.clone();
      zero[off] = 0;
      out.add(zero);
    }
    for (int i = 0; i < 200; i++) {
      byte[] m = java.util.Arrays.copyOf(msg, msg.length + r.nextInt(64));
      r.nextBytes(new byte[1]);
      m[from + r.nextInt(msg.length - from)] = (byte) r.nextInt(256);
      out.add(m);
    }
    return out;
  }

  @Test
  void mutatedIkeSaInitRequestsNeverHitTheBugGuard() throws Exception {
    TwoPlutos t = pair();
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    MemoryNetwork.Datagram init = t.net.log().get(0);
    assertEquals(ExchangeType.IKE_SA_INIT.wireValue(), IkeCodec.decodeHeader(init.bytes()).exchangeType());
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    List<byte[]> muts = mutations(init.bytes(), 0, new Random(7));
    for (byte[] m : muts) {
      t.net.inject(init.from(), init.to(), m);
      t.loop.runPending();
    }
    assertEquals(0, t.east.pluto.engine().internalErrors(), "a malformed IKE_SA_INIT reached the bug guard");
    t.loop.advance(java.time.Duration.ofMinutes(1)); // half-open SAs time out
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("IPsec SA established"), "east still negotiates after " + muts.size() + " bad messages");
  }

  @Test
  void mutatedProtectedRequestsAreAnsweredOrDroppedAndTheSaSurvives() throws Exception {
    TwoPlutos t = pair();
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    IkeSa w = t.west.pluto.engine().ikeSas().get(0);
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);
    ChildSa wc = w.children.get(0);
    List<List<Payload>> requests = List.of(
        List.of(new DeletePayload(ProtocolId.ESP.wireValue(), 4, List.of(Children.spiBytes(0x12345678)))),
        List.of(new NotifyPayload(ProtocolId.ESP.wireValue(), Children.spiBytes(wc.inboundSpi),
                NotifyType.REKEY_SA.wireValue(), new byte[0]),
            Proposals.espOffer(w.conn.proposals(), Children.spiBytes(0x4444), null),
            new NoncePayload(new byte[32]), new KePayload(31, new byte[32]),
            new TsPayload(false, wc.localTs), new TsPayload(true, wc.remoteTs)));
    Random r = new Random(11);
    int sent = 0;
    for (List<Payload> req : requests) {
      ExchangeType x = req.size() == 1 ? ExchangeType.INFORMATIONAL : ExchangeType.CREATE_CHILD_SA;
      byte[] plain = IkeCodec.encodeChain(2, req);
      int first = payloadTypeOf(req.get(0));
      for (byte[] m : mutations(plain, 0, r)) {
        inject(t, w, e, x, first, m);
        sent++;
      }
    }
    assertEquals(0, t.east.pluto.engine().internalErrors(), "a malformed protected request reached the bug guard");
    assertEquals(1, t.east.pluto.engine().ikeSas().size(), "the IKE SA survived " + sent + " bad requests");
    // the SA still works: a real delete from west goes through it
    w.window.resume(e.expectedRequestId(), w.expectedRequestId()); // west sends the next request ID east expects
    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty(), "east processed the good Delete after the bad ones");
  }

  @Test
  void anIkeAuthAskingForEapGetsAuthenticationFailedAndNoInternalError() throws Exception {
    TwoPlutos t = pair();
    // west's own IKE_AUTH is lost; in its place comes one without AUTH, as an EAP client sends (RFC 7296 §2.16)
    t.net.setTap(d -> (d.bytes()[18] & 0xff) == ExchangeType.IKE_AUTH.wireValue() ? null : d);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.net.setTap(d -> d);
    IkeSa w = t.west.pluto.engine().ikeSas().get(0);
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);
    TrafficSelector any = TrafficSelector.ofRange(java.net.InetAddress.getByName("0.0.0.0"),
        java.net.InetAddress.getByName("255.255.255.255"));
    List<Payload> req = List.of(new IdPayload(false, IdType.ID_FQDN, "west".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
        Proposals.espOffer(w.conn.proposals(), Children.spiBytes(0x4444), null),
        new TsPayload(false, List.of(any)), new TsPayload(true, List.of(any)));
    int before = t.net.log().size();
    inject(t, w, e, ExchangeType.IKE_AUTH, PayloadType.IDI.wireValue(), IkeCodec.encodeChain(2, req));
    assertEquals(0, t.east.pluto.engine().internalErrors(), "an EAP-shaped IKE_AUTH reached the bug guard");
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty(), "no state kept for it");
    assertEquals(before + 1, t.net.log().size(), "one answer (AUTHENTICATION_FAILED)");
  }

  private static int payloadTypeOf(Payload p) {
    return p.payloadType().wireValue();
  }

  /** Seals raw (possibly malformed) inner bytes with west's real keys and the next message ID. */
  private static void inject(TwoPlutos t, IkeSa w, IkeSa e, ExchangeType x, int first, byte[] plain) {
    IkeHeader h = IkeHeader.v2(w.spiI, w.spiR, x, true, false, (int) e.expectedRequestId());
    byte[] sk = sealRaw(w, h, first, plain);
    t.net.inject(new InetSocketAddress(w.local.getAddress(), w.local.getPort()), e.local, sk);
    t.loop.runPending();
  }

  /** Raw (possibly malformed) inner bytes in an SK payload: header and SK header as AAD, {@code w}'s send keys. */
  static byte[] sealRaw(IkeSa w, IkeHeader h, int first, byte[] plain) {
    int sealed = w.sendCipher.sealedLength(plain.length);
    int total = IkeHeader.SIZE + 4 + sealed;
    java.nio.ByteBuffer aad = java.nio.ByteBuffer.allocate(IkeHeader.SIZE + 4);
    aad.putLong(h.initiatorSpi()).putLong(h.responderSpi()).put((byte) PayloadType.SK.wireValue())
        .put((byte) 0x20).put((byte) h.exchangeType()).put((byte) h.flags()).putInt(h.messageId()).putInt(total);
    aad.put((byte) first).put((byte) 0).putShort((short) (4 + sealed));
    byte[] a = aad.array();
    byte[] body = w.sendCipher.seal(a, plain);
    byte[] out = new byte[total];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(body, 0, out, a.length, body.length);
    return out;
  }
}
