package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SecretKey;
import org.openswanj.pluto.crypto.IkeSaKeys;
import org.openswanj.pluto.crypto.SecretBytes;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.whack.proto.WhackRequest;

/**
 * A cluster takeover as the engine sees it (docs/HA.md): east loses every SA without a word to west (its node
 * died), then resumes them from what was replicated. West never renegotiates: the liveness check is answered,
 * its Child SA rekey works against the resumed SK_d, and its Delete reaches the resumed SA.
 */
class ResumeTest {
  private static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";

  /** What the old node published, with the peer's RFC 6311 announcement as given (NONE: the liveness path). */
  static Resume.Ike replicate(IkeSa sa, MidSync.Support peerSync, long nextRequestId) {
    return replicate(sa, peerSync, nextRequestId, 0);
  }

  /** The same, the Child SA's inbound SA to start at {@code inboundFloor} (RFC 6311 §5.2, as planned). */
  static Resume.Ike replicate(IkeSa sa, MidSync.Support peerSync, long nextRequestId, long inboundFloor) {
    return replicate(sa, peerSync, nextRequestId, inboundFloor, false);
  }

  private static Resume.Ike replicate(IkeSa sa, MidSync.Support peerSync, long nextRequestId, long inboundFloor,
      boolean rekeyAtOnce) {
    ChildSa c = sa.children.get(0);
    IkeSaKeys k = sa.keys;
    IkeSaKeys keys = new IkeSaKeys(copy(k.skD()), copy(k.skAi()), copy(k.skAr()), copy(k.skEi()), copy(k.skEr()),
        SecretBytes.of(new byte[0]), SecretBytes.of(new byte[0]));
    Resume.Child child = new Resume.Child(c.inboundSpi, c.outboundSpi, c.algs, copy(c.encIn), copy(c.integIn),
        copy(c.encOut), copy(c.integOut), c.outboundSelectors(), c.transport, 65_538, inboundFloor, rekeyAtOnce);
    return new Resume.Ike(sa.conn.name(), sa.spiI, sa.spiR, sa.originalInitiator, sa.local, sa.remote, sa.natLocal,
        sa.natRemote, sa.fragmentsAnnounced, sa.peerFragments, sa.algs, keys, sa.peerId.toString(), peerSync, nextRequestId,
        sa.expectedRequestId(),
        List.of(child));
  }

  private static Resume.Ike replicate(IkeSa sa) {
    return replicate(sa, MidSync.Support.NONE, sa.nextRequestId());
  }

  private static SecretBytes copy(SecretBytes b) {
    return SecretBytes.of(b.bytes());
  }

  private static SecretKey copy(SecretKey k) {
    return k == null ? null : new SecretKey(k.bytes());
  }

  /** East's node dies: its SAs vanish (no Delete is sent) and so does its kernel state. */
  static void crash(TwoPlutos.Node east) {
    Ikev2Engine e = east.pluto.engine();
    for (IkeSa sa : e.ikeSas()) {
      e.informational.discard(sa);
      sa.children.forEach(e::forget);
      e.forget(sa);
    }
    east.backend.flush();
  }

  /** West initiates to east; west, the initiator, rekeys the Child SA 50 s after it is made. */
  private static TwoPlutos upWithRekeyIn50s() throws Exception {
    Map<String, String> c = TwoPlutos.conn("salifetime", "60s", "rekeymargin", "10s", "rekeyfuzz", "0%");
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", c);
    t.add(t.east, "west-east", c);
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    return t;
  }

  @Test
  void resumedSasAnswerLivenessRekeyAndDeleteWithoutRenegotiating() throws Exception {
    TwoPlutos t = upWithRekeyIn50s();
    IkeSa westSa = t.west.pluto.engine().ikeSas().get(0);
    ChildSa westChild = westSa.children.get(0);
    Resume.Ike record = replicate(t.east.pluto.engine().ikeSas().get(0));
    crash(t.east);
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty() && t.east.backend.sas().isEmpty());
    int sentBefore = t.net.log().size();

    assertNull(t.east.pluto.engine().resume(record));
    t.loop.runPending();

    IkeSa east = t.east.pluto.engine().ikeSas().get(0);
    assertEquals(westSa.spiI, east.spiI);
    assertEquals(westSa.spiR, east.spiR);
    assertEquals(Ikev2State.STATE_PARENT_R2, east.state);
    assertFalse(east.window.busy(), "west answered the liveness check");
    assertEquals(record.nextRequestId() + 1, east.nextRequestId(), "the window moved on in step with west");
    assertEquals(2, t.net.log().size() - sentBefore, "one INFORMATIONAL exchange, no IKE_SA_INIT");
    SaSpec out = t.east.backend.sas().entrySet().stream().filter(e -> e.getKey().spi() == westChild.inboundSpi)
        .findFirst().orElseThrow().getValue();
    assertEquals(65_538, out.replay().firstOutboundSeq(), "outbound ESP starts past the old node's numbers");
    assertEquals(2, t.east.backend.sas().size());
    assertEquals(List.of(westSa), t.west.pluto.engine().ikeSas(), "west kept its IKE SA");

    t.loop.advance(Duration.ofSeconds(51)); // west rekeys its Child SA: east derives the keys from the resumed SK_d
    List<ChildSa> w = t.west.pluto.engine().childSas();
    List<ChildSa> e = t.east.pluto.engine().childSas();
    assertEquals(1, w.size());
    assertEquals(1, e.size());
    assertNotEquals(westChild.inboundSpi, w.get(0).inboundSpi);
    assertEquals(w.get(0).outboundSpi, e.get(0).inboundSpi);
    assertEquals(w.get(0).encOut.bytes().length, e.get(0).encIn.bytes().length);
    assertTrue(java.util.Arrays.equals(w.get(0).encOut.bytes(), e.get(0).encIn.bytes()), "same KEYMAT both sides");

    t.whack(t.west, new WhackRequest.Terminate("west-east"));
    t.loop.runPending();
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty(), "west's Delete reached the resumed IKE SA");
  }

  @Test
  void aChildSaWhoseSequenceSpaceIsNearlyUsedUpIsRekeyedAtOnceByTheNewNode() throws Exception {
    // west (the initiator) would rekey only after 50 s: what rekeys here is east, the responder that took over
    TwoPlutos t = upWithRekeyIn50s();
    IkeSa westSa = t.west.pluto.engine().ikeSas().get(0);
    ChildSa westChild = westSa.children.get(0);
    Resume.Ike record = replicate(t.east.pluto.engine().ikeSas().get(0), MidSync.Support.NONE,
        t.east.pluto.engine().ikeSas().get(0).nextRequestId(), 0, true);
    crash(t.east);

    assertNull(t.east.pluto.engine().resume(record));
    t.loop.runPending();
    t.loop.advance(Duration.ofSeconds(1)); // the rekey follows the liveness exchange; west's own is 50 s away

    List<ChildSa> w = t.west.pluto.engine().childSas();
    List<ChildSa> e = t.east.pluto.engine().childSas();
    assertEquals(1, w.size(), "the old Child SA is gone after the rekey, on both sides");
    assertEquals(1, e.size());
    assertNotEquals(westChild.inboundSpi, w.get(0).inboundSpi, "west has a new Child SA");
    assertEquals(w.get(0).outboundSpi, e.get(0).inboundSpi);
    assertTrue(e.get(0).createdByUs, "east started the rekey");
    assertEquals(List.of(westSa), t.west.pluto.engine().ikeSas(), "the same IKE SA: no renegotiation");
    assertEquals(westSa.spiR, t.east.pluto.engine().ikeSas().get(0).spiR);
  }

  @Test
  void aNodeThatGivesUpTheAddressDropsItsSasWithoutADelete() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.conn());
    t.add(t.east, "west-east", TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    int sent = t.net.log().size();
    assertEquals(0, t.east.pluto.engine().abandon(java.net.InetAddress.getByName("192.0.2.77")), "not our address");
    assertEquals(1, t.east.pluto.engine().abandon(t.east.address));
    t.loop.runPending();
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty() && t.east.pluto.engine().childSas().isEmpty());
    assertTrue(t.east.backend.sas().isEmpty(), "its kernel SAs are gone too");
    assertEquals(sent, t.net.log().size(), "nothing sent: the peer goes on with the node now active");
    assertEquals(1, t.west.pluto.engine().ikeSas().size());
  }

  @Test
  void anUnknownConnIsSaidNotGuessed() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.conn());
    t.add(t.east, "west-east", TwoPlutos.conn());
    t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    Resume.Ike r = replicate(t.east.pluto.engine().ikeSas().get(0));
    Resume.Ike other = new Resume.Ike("gone", r.spiI() + 1, r.spiR(), r.originalInitiator(), r.local(), r.remote(),
        false, false, false, false, r.algs(), r.keys(), r.peerId(), MidSync.Support.NONE, 2, 2, r.children());
    String why = t.east.pluto.engine().resume(other);
    assertTrue(why != null && why.contains("no conn \"gone\""), why);
    assertEquals("IKE SA " + String.format("%016x-%016x", r.spiI(), r.spiR()) + " is already here",
        t.east.pluto.engine().resume(r));
  }
}
