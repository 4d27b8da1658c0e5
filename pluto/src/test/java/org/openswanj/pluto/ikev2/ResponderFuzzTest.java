package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.whack.proto.WhackRequest;

/**
 * Fuzz targets for a responder pluto in-process (testing/fuzz/run-fuzz; the normal test run replays the seeds in
 * ResponderFuzzTestInputs/, taken from the two-peer harness's MemoryNetwork.log()). West and east negotiate over
 * the in-memory network; the input then goes to east as a datagram from west:
 * <ul>
 *   <li>{@link #datagram}: as it comes off the wire on port 500 — an IKE_SA_INIT, an IKEv1 Main Mode message, or
 *       anything else;
 *   <li>{@link #sealedRequest}: byte 0 the exchange (IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL), byte 1 the first
 *       inner payload, the rest the inner chain, sealed in an SK payload with west's real keys and the message ID
 *       east expects, so the decrypted payload handlers are reached.
 * </ul>
 * Invariant: neither engine counts an internal error (the bug guard), and the SA tables stay consistent (no two
 * IKE SAs with the same SPIs).
 */
class ResponderFuzzTest {
  private static final int FRESH_PAIR_EVERY = 2000;
  private static final ExchangeType[] EXCHANGES =
      {ExchangeType.IKE_AUTH, ExchangeType.CREATE_CHILD_SA, ExchangeType.INFORMATIONAL};

  private static final FuzzPair ANY = new FuzzPair(FRESH_PAIR_EVERY, () -> make(false), t -> true);
  private static final FuzzPair ESTABLISHED =
      new FuzzPair(FRESH_PAIR_EVERY, () -> make(true), ResponderFuzzTest::oneSaEach);

  @FuzzTest
  void datagram(byte[] bytes) throws Exception {
    TwoPlutos t = ANY.get();
    t.net.inject(west(t), east(t), bytes);
    t.loop.runPending();
    check(t);
  }

  @FuzzTest
  void sealedRequest(byte[] input) throws Exception {
    if (input.length < 2) {
      return;
    }
    TwoPlutos t = ESTABLISHED.get();
    IkeSa w = t.west.pluto.engine().ikeSas().get(0);
    IkeSa e = t.east.pluto.engine().ikeSas().get(0);
    ExchangeType x = EXCHANGES[(input[0] & 0xff) % EXCHANGES.length];
    IkeHeader h = IkeHeader.v2(w.spiI, w.spiR, x, true, false, (int) e.expectedRequestId());
    byte[] sk = MalformedMessageTest.sealRaw(w, h, input[1] & 0xff, Arrays.copyOfRange(input, 2, input.length));
    t.net.inject(new InetSocketAddress(w.local.getAddress(), w.local.getPort()), e.local, sk);
    t.loop.runPending();
    check(t);
  }

  /** The harness: west and east with an IKEv2 and an IKEv1 conn, with {@code established}, an IKE SA. */
  private static TwoPlutos make(boolean established) throws Exception {
    TwoPlutos t = new TwoPlutos(Ikev2TwoPeerTest.PSK, Ikev2TwoPeerTest.PSK, IkeSettings.defaults());
    t.add(t.west, "west-east", TwoPlutos.conn());
    t.add(t.east, "west-east", TwoPlutos.conn());
    t.add(t.west, "west-east-v1", TwoPlutos.connFor("never", "leftsubnet", "192.0.3.0/24"));
    t.add(t.east, "west-east-v1", TwoPlutos.connFor("never", "leftsubnet", "192.0.3.0/24"));
    if (established) {
      assertTrue(t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text()
          .contains("IPsec SA established"), "the harness negotiates");
    }
    return t;
  }

  private static boolean oneSaEach(TwoPlutos t) {
    List<IkeSa> w = t.west.pluto.engine().ikeSas();
    List<IkeSa> e = t.east.pluto.engine().ikeSas();
    return w.size() == 1 && e.size() == 1 && w.get(0).sendCipher != null && e.get(0).spiR == w.get(0).spiR;
  }

  private static void check(TwoPlutos t) {
    assertEquals(0, t.east.pluto.engine().internalErrors(), "an IKEv2 message reached the bug guard");
    assertEquals(0, t.east.pluto.ikev1().internalErrors(), "an IKEv1 message reached the bug guard");
    Set<String> spis = new HashSet<>();
    for (IkeSa sa : t.east.pluto.engine().ikeSas()) {
      assertTrue(spis.add(Long.toHexString(sa.spiI) + "/" + Long.toHexString(sa.spiR)),
          "two IKE SAs with the same SPIs");
    }
  }

  private static InetSocketAddress west(TwoPlutos t) {
    return new InetSocketAddress(t.west.address, 500);
  }

  private static InetSocketAddress east(TwoPlutos t) {
    return new InetSocketAddress(t.east.address, 500);
  }
}
