package org.openswanj.kernel.netkey;

import static org.junit.jupiter.api.Assertions.*;
import static org.openswanj.kernel.netkey.XfrmEncapUpdateTest.cbcSpec;
import static org.openswanj.kernel.netkey.XfrmEncapUpdateTest.getsaReply;
import static org.openswanj.kernel.netkey.XfrmEncapUpdateTest.le;
import static org.openswanj.kernel.netkey.XfrmEncapUpdateTest.withReplay;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.KernelFeature;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;

/**
 * RFC 6311 §5.2 on netkey: a taken-over inbound SA whose peer jumps its counter starts with every number below the
 * floor counted as seen (the replay state's seq, the bitmap all set: Linux's xfrm_replay_check* then refuses them as
 * replays or as too old), and an outbound SA's counter moves on in place when the peer asks (GETSA, then NEWAE with
 * NLM_F_REPLACE and the replay state whole), checked against a fake kernel that answers as xfrm_user does.
 */
class XfrmReplaySyncTest {
  static final SaId OUT = XfrmEncapUpdateTest.OUT;

  static Attr replayAttr(byte[] msg, int from) {
    return Attr.parse(le(msg), from).stream()
        .filter(a -> a.type() == Xfrm.XFRMA_REPLAY_VAL || a.type() == Xfrm.XFRMA_REPLAY_ESN_VAL).findFirst()
        .orElseThrow();
  }

  static SaSpec inbound(Replay r) {
    SaSpec base = cbcSpec(null, r);
    return new SaSpec(Direction.INBOUND, base.transform(), base.encapsulation(), r, base.binding(), base.lifetime());
  }

  @Test
  void aFloorOnA32BitWindowSetsSeqBelowItAndTheWholeBitmap() {
    Attr rs = replayAttr(XfrmMessages.sa(OUT, inbound(new Replay(32, false, 0, 131_073)), 7), 224);
    assertEquals(Xfrm.XFRMA_REPLAY_VAL, rs.type());
    ByteBuffer b = rs.buffer();
    assertEquals(0, b.getInt(0), "oseq: an inbound SA sends nothing");
    assertEquals(131_072, b.getInt(4), "seq: the highest number counted as received, one below the floor");
    assertEquals(-1, b.getInt(8), "bitmap: every number of the window below the floor counted as seen");
  }

  @Test
  void aFloorOnAnEsnWindowSetsBothHalvesAndEveryBitmapWord() {
    long floor = (5L << 32) + 17;
    Attr rs = replayAttr(XfrmMessages.sa(OUT, inbound(new Replay(128, true, 0, floor)), 7), 224);
    assertEquals(Xfrm.XFRMA_REPLAY_ESN_VAL, rs.type());
    ByteBuffer b = rs.buffer();
    assertEquals(4, b.getInt(0), "bmp_len in 32-bit words");
    assertEquals(16, b.getInt(8), "seq, low half");
    assertEquals(5, b.getInt(16), "seq_hi");
    assertEquals(128, b.getInt(20), "replay_window");
    for (int w = 0; w < 4; w++) {
      assertEquals(-1, b.getInt(24 + 4 * w), "bmp word " + w);
    }
  }

  @Test
  void aFreshInboundSaCarriesNoReplayStateOrAnEmptyOne() {
    assertTrue(Attr.parse(le(XfrmMessages.sa(OUT, inbound(new Replay(32, false)), 7)), 224).stream()
        .noneMatch(a -> a.type() == Xfrm.XFRMA_REPLAY_VAL), "the kernel's own fresh window");
    ByteBuffer esn = replayAttr(XfrmMessages.sa(OUT, inbound(new Replay(64, true)), 7), 224).buffer();
    assertEquals(0, esn.getInt(8));
    assertEquals(0, esn.getInt(24) | esn.getInt(28), "bitmap empty");
  }

  @Test
  void advancingA32BitCounterSendsNewaeWithTheReplayStateWhole() throws Exception {
    XfrmEncapUpdateTest.FakeKernel k = new XfrmEncapUpdateTest.FakeKernel();
    k.put(OUT, withReplay(getsaReply(OUT, cbcSpec(null, new Replay(0, false))),
        new Attr(Xfrm.XFRMA_REPLAY_VAL, XfrmCodec.replayState(1000, 0))));
    NetkeyBackend backend = new NetkeyBackend(k);
    assertTrue(backend.features().contains(KernelFeature.SEQ_ADVANCE));
    backend.advanceOutboundSeq(OUT, 131_073);
    assertEquals(List.of("GETSA c001022d/c1a55e01", "NEWAE c001022d/c1a55e01"), k.asked);
    byte[] ae = k.aevents.get(0);
    assertEquals(48 + 4 + 12, ae.length, "xfrm_aevent_id, then XFRMA_REPLAY_VAL");
    ByteBuffer id = le(ae);
    assertEquals("c001022d", XfrmEncapUpdateTest.hex(ae, 0, 4), "sa_id.daddr");
    assertEquals("c1a55e01", XfrmEncapUpdateTest.hex(ae, 16, 20), "sa_id.spi, network order");
    assertEquals(2, id.getShort(20), "AF_INET");
    assertEquals(50, ae[22], "IPPROTO_ESP");
    assertEquals("c0010217", XfrmEncapUpdateTest.hex(ae, 24, 28), "saddr");
    assertEquals(Xfrm.AE_RVAL, id.getInt(40), "flags: the replay value");
    Attr rs = replayAttr(ae, 48);
    assertEquals(Xfrm.XFRMA_REPLAY_VAL, rs.type());
    assertEquals(132_073, rs.buffer().getInt(0), "oseq moved on by the delta");
    backend.advanceOutboundSeq(OUT, 10);
    assertEquals(132_083, replayAttr(k.aevents.get(1), 48).buffer().getInt(0), "from where the kernel holds it");
  }

  @Test
  void withoutEsnTheCounterStopsAt2To32MinusOneAndWithEsnItCarriesIntoTheHighHalf() throws Exception {
    XfrmEncapUpdateTest.FakeKernel k = new XfrmEncapUpdateTest.FakeKernel();
    k.put(OUT, withReplay(getsaReply(OUT, cbcSpec(null, new Replay(0, false))),
        new Attr(Xfrm.XFRMA_REPLAY_VAL, XfrmCodec.replayState(0xfffff000L, 0))));
    new NetkeyBackend(k).advanceOutboundSeq(OUT, 1L << 20);
    assertEquals(0xffffffff, replayAttr(k.aevents.get(0), 48).buffer().getInt(0),
        "RFC 4303 §3.3.3: never a wrap; the kernel then refuses to send (EOVERFLOW) until a rekey");

    XfrmEncapUpdateTest.FakeKernel e = new XfrmEncapUpdateTest.FakeKernel();
    byte[] esn = getsaReply(OUT, cbcSpec(null, new Replay(64, true)));
    e.put(OUT, withReplay(esn, new Attr(Xfrm.XFRMA_REPLAY_ESN_VAL, XfrmCodec.replayEsn(64, 0xfffff000L, 0))));
    new NetkeyBackend(e).advanceOutboundSeq(OUT, 1L << 20);
    ByteBuffer b = replayAttr(e.aevents.get(0), 48).buffer();
    assertEquals(Xfrm.SIZEOF_REPLAY_ESN + 8, b.limit(), "bitmap size unchanged (xfrm_replay_verify_len)");
    assertEquals(0x000ff000, b.getInt(4), "oseq, low half");
    assertEquals(1, b.getInt(12), "oseq_hi");
    assertEquals(64, b.getInt(20));
  }

  @Test
  void failuresNameTheSaAndSendNothing() {
    XfrmEncapUpdateTest.FakeKernel k = new XfrmEncapUpdateTest.FakeKernel();
    NetkeyBackend backend = new NetkeyBackend(k);
    KernelException gone = assertThrows(KernelException.class, () -> backend.advanceOutboundSeq(OUT, 5));
    assertEquals("cannot advance the outbound sequence number of SA esp:0xc1a55e01 192.1.2.23→192.1.2.45 by 5: "
        + "no such SA (ESRCH)", gone.getMessage());
    k.put(OUT, withReplay(getsaReply(OUT, cbcSpec(null, new Replay(0, false))),
        new Attr(Xfrm.XFRMA_REPLAY_VAL, XfrmCodec.replayState(1, 0))));
    KernelException back = assertThrows(KernelException.class, () -> backend.advanceOutboundSeq(OUT, 0));
    assertTrue(back.getMessage().endsWith("by 0: not a step forward"), back.getMessage());
    assertTrue(k.aevents.isEmpty());
  }
}
