package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.MessageIdSyncData;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.SaId;
import org.openswanj.pluto.net.MemoryNetwork.Datagram;
import org.openswanj.whack.proto.WhackRequest;

/**
 * RFC 6311's IKE message ID synchronisation between two plutos: east is the cluster node that takes the IKE SA
 * over (docs/HA.md), west the peer. Both announce support in IKE_AUTH (§6.1); after the takeover east sends
 * IKEV2_MESSAGE_ID_SYNC with message ID 0 and both continue from the higher counters (§5.1), which the next
 * exchanges in both directions and a Child SA rekey use. A sync below what the peer has seen, from a peer that did
 * not announce support, malformed, or answered with another nonce is dropped with one line.
 */
class MessageIdSyncTest {
  private static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  private LogCapture log;

  @BeforeEach
  void captureTheLog() {
    log = LogCapture.messages("mid-sync");
  }

  @AfterEach
  void restoreTheLog() {
    log.close();
  }

  private long lines(String text) {
    return log.count(text);
  }

  private String log() {
    return log.text();
  }

  private static TwoPlutos up(Map<String, String> c) throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", c);
    t.add(t.east, "west-east", c);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    return t;
  }

  private static IkeSa ike(TwoPlutos.Node n) {
    return n.pluto.engine().ikeSas().get(0);
  }

  /** An empty INFORMATIONAL (liveness check, RFC 7296 §1.4) from {@code n}, answered before this returns. */
  private static void ping(TwoPlutos t, TwoPlutos.Node n) {
    IkeSa sa = ike(n);
    n.pluto.engine().messenger.request(sa, ExchangeType.INFORMATIONAL, List.of(), "INFORMATIONAL (test)", m -> { });
    t.loop.runPending();
  }

  /** The datagrams sent since {@code from} that are INFORMATIONALs with message ID 0 (header bytes 18 and 20-23). */
  private static List<Datagram> messageIdZero(TwoPlutos t, int from) {
    List<Datagram> out = new ArrayList<>();
    for (Datagram d : t.net.log().subList(from, t.net.log().size())) {
      ByteBuffer b = ByteBuffer.wrap(d.bytes());
      if (d.bytes().length >= 28 && (b.get(18) & 0xff) == 37 && b.getInt(20) == 0) {
        out.add(d);
      }
    }
    return out;
  }

  @Test
  void everyPlutoAnnouncesSupportInIkeAuthAndRecordsThePeers() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn());
    // both backends (none) can advance a counter in place, so both announce §5.2 as well
    assertEquals(MidSync.Support.MESSAGE_ID_AND_REPLAY, ike(t.west).peerSync(), "east answered west's announcement");
    assertEquals(MidSync.Support.MESSAGE_ID_AND_REPLAY, ike(t.east).peerSync(), "west announced it");
    assertTrue(ike(t.west).replaySyncAnnounced && ike(t.east).replaySyncAnnounced);
  }

  @Test
  void theReplayCounterAnnouncementGoesWithTheMessageIdOneAndAResponderMakesItOnlyWhenAsked() {
    IkeSa sa = new IkeSa(1, null, false);
    NotifyPayload mid = new NotifyPayload(NotifyType.IKEV2_MESSAGE_ID_SYNC_SUPPORTED, new byte[0]);
    NotifyPayload replay = new NotifyPayload(NotifyType.IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED, new byte[0]);
    org.openswanj.pluto.ike.wire.IkeHeader h = org.openswanj.pluto.ike.wire.IkeHeader.v2(1, 0,
        ExchangeType.IKE_AUTH, true, false, 1);
    // initiator: both when the backend can advance a counter, the message ID one alone when it cannot (netkey)
    assertEquals(List.of(NotifyType.IKEV2_MESSAGE_ID_SYNC_SUPPORTED, NotifyType.IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED),
        types(MidSync.announce(sa, null, true)));
    assertEquals(List.of(NotifyType.IKEV2_MESSAGE_ID_SYNC_SUPPORTED), types(MidSync.announce(sa, null, false)));
    assertFalse(sa.replaySyncAnnounced);
    // responder (§6.1): only what the initiator announced
    assertEquals(List.of(NotifyType.IKEV2_MESSAGE_ID_SYNC_SUPPORTED),
        types(MidSync.announce(sa, new Ikev2Message(h, List.of(mid), new byte[0]), true)));
    assertFalse(sa.replaySyncAnnounced);
    assertEquals(List.of(), types(MidSync.announce(sa, new Ikev2Message(h, List.of(replay), new byte[0]), true)),
        "16421 alone announces nothing");
    assertEquals(List.of(NotifyType.IKEV2_MESSAGE_ID_SYNC_SUPPORTED, NotifyType.IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED),
        types(MidSync.announce(sa, new Ikev2Message(h, List.of(mid, replay), new byte[0]), true)));
    assertTrue(sa.replaySyncAnnounced);
  }

  private static List<NotifyType> types(List<org.openswanj.pluto.ike.wire.Payload> ps) {
    return ps.stream().map(p -> ((NotifyPayload) p).type()).toList();
  }

  private static SaId outbound(TwoPlutos.Node from, TwoPlutos.Node to, ChildSa c) {
    return new SaId(from.address, to.address, c.outboundSpi, IpsecProto.ESP);
  }

  @Test
  void withReplayCounterSyncThePeerAdvancesItsOutboundCountersPastTheNewNodesInboundFloor() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn());
    IkeSa westSa = ike(t.west);
    ChildSa westChild = westSa.children.get(0);
    assertEquals(0, t.west.backend.sas().get(outbound(t.west, t.east, westChild)).replay().firstOutboundSeq());
    Resume.Ike record = ResumeTest.replicate(ike(t.east), MidSync.Support.MESSAGE_ID_AND_REPLAY,
        ike(t.east).nextRequestId() + 16, 70_000);
    ResumeTest.crash(t.east);
    int sent = t.net.log().size();

    assertNull(t.east.pluto.engine().resume(record));
    t.loop.runPending();

    ChildSa eastChild = ike(t.east).children.get(0);
    SaId eastIn = new SaId(t.west.address, t.east.address, eastChild.inboundSpi, IpsecProto.ESP);
    assertEquals(70_000, t.east.backend.sas().get(eastIn).replay().inboundFloor(), "east refuses numbers below it");
    assertEquals(140_000, eastChild.inboundSeqBase(), "what the peer's counter may reach after its jump");
    assertEquals(1, lines("RFC 6311 message ID sync sent: EXPECTED_SEND_REQ_MESSAGE_ID=16 "
        + "EXPECTED_RECV_REQ_MESSAGE_ID=2 IPSEC_REPLAY_COUNTER_SYNC=70000"), log());
    // west's next packet numbers 70,001: past the floor
    assertEquals(70_001, t.west.backend.sas().get(outbound(t.west, t.east, westChild)).replay().firstOutboundSeq());
    assertEquals(70_001, westChild.firstOutboundSeq());
    assertEquals(1, lines("RFC 6311 replay counter sync from the peer: outbound ESP sequence numbers of 1 Child SA "
        + "advanced by 70000"), log());
    assertFalse(ike(t.east).window.busy(), "the sync was answered");
    // a retransmission of the request gets the same answer and advances nothing again (RFC 7296 §2.1)
    Datagram request = messageIdZero(t, sent).get(0);
    t.net.inject(request.from(), request.to(), request.bytes());
    t.loop.runPending();
    assertEquals(70_001, t.west.backend.sas().get(outbound(t.west, t.east, westChild)).replay().firstOutboundSeq());
    assertEquals(1, lines("RFC 6311 replay counter sync from the peer"), log());
  }

  @Test
  void withoutThePeersAnnouncementNoFloorIsSetAndNoAdvanceAsked() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn());
    ChildSa westChild = ike(t.west).children.get(0);
    Resume.Ike record = ResumeTest.replicate(ike(t.east), MidSync.Support.MESSAGE_ID,
        ike(t.east).nextRequestId() + 16, 70_000);
    ResumeTest.crash(t.east);
    assertNull(t.east.pluto.engine().resume(record));
    t.loop.runPending();
    ChildSa eastChild = ike(t.east).children.get(0);
    assertEquals(0, t.east.backend.sas().get(new SaId(t.west.address, t.east.address, eastChild.inboundSpi,
        IpsecProto.ESP)).replay().inboundFloor(), "a floor the peer will not jump past would drop its traffic");
    assertEquals(0, lines("IPSEC_REPLAY_COUNTER_SYNC"), log());
    assertEquals(0, t.west.backend.sas().get(outbound(t.west, t.east, westChild)).replay().firstOutboundSeq());
    assertEquals(1, lines("RFC 6311 message ID sync done"), log());
  }

  @Test
  void aReplayCounterSyncWeDidNotAnnounceIsIgnoredWithOneLineAndTheMessageIdSyncGoesOn() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn());
    IkeSa westSa = ike(t.west);
    westSa.replaySyncAnnounced = false; // as a netkey pluto, which announces message ID sync only
    ChildSa westChild = westSa.children.get(0);
    t.east.pluto.engine().midSync.start(ike(t.east), 10, 0, 500, false);
    t.loop.runPending();
    assertEquals(1, lines("IPSEC_REPLAY_COUNTER_SYNC although we did not announce IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED, "
        + "ignored"), log());
    assertEquals(0, t.west.backend.sas().get(outbound(t.west, t.east, westChild)).replay().firstOutboundSeq());
    assertEquals(10, westSa.expectedRequestId(), "the message ID sync itself was done");
    assertFalse(ike(t.east).window.busy());
  }

  @Test
  void aTakeoverSynchronisesBothCountersAndBothSidesGoOnFromThem() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn("salifetime", "60s", "rekeymargin", "10s", "rekeyfuzz", "0%"));
    ping(t, t.west);
    ping(t, t.west);
    IkeSa westSa = ike(t.west);
    // what east's node published, with the jump TakeoverPlanner makes (16 past its last request)
    Resume.Ike record = ResumeTest.replicate(ike(t.east), MidSync.Support.MESSAGE_ID, ike(t.east).nextRequestId() + 16);
    assertEquals(4, record.expectedRequestId()); // IKE_SA_INIT 0, IKE_AUTH 1, two pings
    ping(t, t.west); // a request the old node answered but did not publish
    ResumeTest.crash(t.east);
    int sent = t.net.log().size();

    assertNull(t.east.pluto.engine().resume(record));
    t.loop.runPending();

    IkeSa east = ike(t.east);
    assertEquals(2, t.net.log().size() - sent, "one INFORMATIONAL exchange: " + log());
    assertEquals(2, messageIdZero(t, sent).size(), "request and response with message ID 0");
    // §5.1: M2 = max(M1 = 16, 0 seen) and P2 = max(P1 = 4, west's next 5)
    assertEquals(16, westSa.expectedRequestId());
    assertEquals(5, westSa.nextRequestId());
    assertEquals(16, east.nextRequestId());
    assertEquals(5, east.expectedRequestId());
    assertFalse(east.window.busy(), "the sync was answered");
    assertEquals(1, lines("RFC 6311 message ID sync sent: EXPECTED_SEND_REQ_MESSAGE_ID=16 "
        + "EXPECTED_RECV_REQ_MESSAGE_ID=4"), log());
    assertEquals(1, lines("RFC 6311 message ID sync done: our next request 16, the peer's next request 5"), log());
    assertEquals(1, lines("RFC 6311 message ID sync from the peer: our next request 5 (was 5), the peer's next "
        + "request 16 (was 0)"), log());

    // both directions go on from the synced IDs
    ping(t, t.east);
    assertEquals(17, east.nextRequestId());
    assertEquals(17, westSa.expectedRequestId());
    assertFalse(east.window.busy(), "west answered message ID 16");
    ping(t, t.west);
    assertEquals(6, east.expectedRequestId());
    assertFalse(westSa.window.busy(), "east answered message ID 5");
    // and a Child SA rekey (west initiates at 50 s) works on the taken-over IKE SA
    int childBefore = westSa.children.get(0).inboundSpi;
    t.loop.advance(Duration.ofSeconds(51));
    assertEquals(1, t.west.pluto.engine().childSas().size());
    assertNotEquals(childBefore, t.west.pluto.engine().childSas().get(0).inboundSpi);
    assertEquals(t.west.pluto.engine().childSas().get(0).outboundSpi,
        t.east.pluto.engine().childSas().get(0).inboundSpi);
    assertEquals(List.of(westSa), t.west.pluto.engine().ikeSas(), "west kept its IKE SA");
  }

  @Test
  void theOriginalRespondersFirstRequestHasMessageIdZeroAndIsNoSync() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn());
    int sent = t.net.log().size();
    ping(t, t.east); // RFC 7296 §2.2: east's requests count from 0 too
    assertEquals(2, messageIdZero(t, sent).size(), "request and answer, both with message ID 0");
    assertEquals(1, ike(t.west).expectedRequestId(), "west's window moved as for any request");
    assertFalse(ike(t.east).window.busy(), "west answered it");
    assertEquals(0, lines("RFC 6311"), log());
    // and the table has the sync's rows only for established IKE SAs (§5.1)
    for (Ikev2State s : Ikev2State.values()) {
      assertEquals(V2Transitions.established().contains(s),
          V2Transitions.inbound(s, V2Transitions.Event.MESSAGE_ID_SYNC_REQUEST).isPresent(), s.name());
    }
  }

  @Test
  void aSyncBelowWhatThePeerHasSeenIsDroppedWithOneLine() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn());
    ping(t, t.east);
    ping(t, t.east);
    IkeSa west = ike(t.west);
    assertEquals(2, west.expectedRequestId());
    t.east.pluto.engine().midSync.start(ike(t.east), 1, west.nextRequestId());
    t.loop.runPending();
    assertEquals(1, lines("IKEV2_MESSAGE_ID_SYNC with EXPECTED_SEND_REQ_MESSAGE_ID 1 below the next expected 2, "
        + "dropped"), log());
    assertEquals(2, west.expectedRequestId(), "nothing moved");
    assertTrue(ike(t.east).window.busy(), "no answer came");
    assertEquals(0, lines("RFC 6311 message ID sync from the peer"), log());
  }

  @Test
  void aSyncFromAPeerThatDidNotAnnounceSupportIsDropped() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn());
    IkeSa west = ike(t.west);
    west.peerSync = MidSync.Support.NONE; // as if east's IKE_AUTH response had not carried the notify
    t.east.pluto.engine().midSync.start(ike(t.east), 10, 1);
    t.loop.runPending();
    assertEquals(1, lines("IKEV2_MESSAGE_ID_SYNC from a peer that did not announce IKEV2_MESSAGE_ID_SYNC_SUPPORTED, "
        + "dropped"), log());
    assertEquals(0, west.expectedRequestId());
  }

  @Test
  void aMalformedSyncIsDroppedNotAnswered() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn());
    IkeSa east = ike(t.east);
    int sent = t.net.log().size();
    // a sync with another notify beside it: not the shape of §5.1
    t.east.pluto.engine().messenger.requestMessageIdSync(east, List.of(new MessageIdSyncData(7, 30, 1).toNotify(),
        new NotifyPayload(NotifyType.INITIAL_CONTACT, new byte[0])), "INFORMATIONAL (test)", m -> { });
    t.loop.runPending();
    assertEquals(1, t.net.log().size() - sent, "west sent nothing back");
    assertEquals(1, lines("IKEV2_MESSAGE_ID_SYNC request: exactly one IKEV2_MESSAGE_ID_SYNC of 12 octets"), log());
    assertEquals(0, ike(t.west).expectedRequestId());
    assertEquals(1, t.west.pluto.engine().childSas().size(), "INITIAL_CONTACT was not acted on");
  }

  @Test
  void anAnswerWithAnotherNonceIsDroppedAndTheSyncAskedAgain() throws Exception {
    TwoPlutos t = up(TwoPlutos.conn());
    IkeSa east = ike(t.east);
    IkeSa west = ike(t.west);
    List<Datagram> held = new ArrayList<>();
    t.net.setTap(d -> {
      if (d.from().getAddress().equals(t.west.address) && held.isEmpty()) {
        held.add(d);
        return null;
      }
      return d;
    });
    Ikev2Engine e = t.east.pluto.engine();
    e.midSync.start(east, 5, 0); // west answers (nonce A, M2 5); the answer is held back
    t.loop.runPending();
    assertEquals(1, held.size());
    assertEquals(5, west.expectedRequestId());
    e.messenger.abandon(east); // east gives up on it and asks again with a new nonce and counter
    e.midSync.start(east, 9, 0);
    t.net.inject(held.get(0).from(), held.get(0).to(), held.get(0).bytes()); // the old answer arrives now
    t.loop.runPending();
    assertEquals(1, lines("IKEV2_MESSAGE_ID_SYNC response with a nonce that is not ours, dropped; asking again"),
        log());
    assertEquals(9, east.nextRequestId(), "the answer to the second sync counts, not the first");
    assertEquals(9, west.expectedRequestId());
    assertFalse(east.window.busy());
    assertEquals(1, lines("RFC 6311 message ID sync done: our next request 9"), log());
  }
}
