package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openswanj.pluto.crypto.Ikev1Cipher;
import org.openswanj.pluto.crypto.Ikev1KeyDerivation;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.PayloadType;
import org.openswanj.pluto.ikev2.FuzzPair;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/**
 * The IKEv1 counterpart of {@code ResponderFuzzTest#sealedRequest} (testing/fuzz/run-fuzz; the normal test run
 * replays the seeds in Ikev1SealedFuzzTestInputs/). West and east establish an ISAKMP SA (Main Mode, PSK, XAUTH
 * and ModeConfig pulled from east) and a Quick Mode; the input is then encrypted for that ISAKMP SA and sent to
 * east as west would, so the handlers after decryption and the HASH check are reached. The message ID is the
 * fuzzer's (not drawn at random), so that a finding replays:
 * <ul>
 *   <li>byte 0: the exchange, Quick Mode (32), Informational (5) or Transaction (6);
 *   <li>byte 1: bit 0 set: the message ID in flight (east's newest Quick Mode responder, or its ModeConfig
 *       exchange), with the IV that exchange's CBC chain reached; clear: bytes 2-5, with the IV of a new exchange
 *       (RFC 2409 App. B: hash(last phase 1 block | M-ID)); bit 1 set: a HASH payload is put first, computed with
 *       SKEYID_a as east expects it (§5.5 HASH(1), HASH(3) for a Quick Mode in flight; §5.7; mode-cfg-05 §3.2);
 *       bits 2-4: after the message, virtual time moves on by {@link #STEPS}[n] seconds, so what waits on a timer
 *       runs on the state the message left: retransmissions, DPD, the expiry of half-open Quick Modes and
 *       ModeConfig exchanges, lifetimes and rekeys (inputs that move the clock accumulate until the pair is made
 *       anew); bit 5 set, for Quick Mode: the message answers east's own Quick Mode as initiator (its message ID
 *       and IV; with bit 1 a HASH(2) over east's Ni_b, §5.5), so the code that reads QR1 is reached: east starts
 *       one when none waits (west never hears east's messages in this harness);
 *   <li>byte 6: the first inner payload type; the rest: the inner chain (zero-padded to the cipher block).
 * </ul>
 * Invariant: neither engine counts an internal error, every Quick Mode in progress has its ISAKMP SA, and east's
 * Quick Modes in flight on the ISAKMP SA stay within {@link QuickMode#MAX_RESPONDER_IN_FLIGHT}.
 */
class Ikev1SealedFuzzTest {
  static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  /** alice's password as {@code openssl passwd -1 -salt abcdefgh alice-pw} hashes it (as Ikev1XauthTest). */
  private static final String PASSWD = "alice:$1$abcdefgh$/rjHnY0UaDSC5WvrpEXr21:west-east\n";
  private static final int FRESH_PAIR_EVERY = 2000;
  private static final ExchangeType[] EXCHANGES =
      {ExchangeType.QUICK_MODE, ExchangeType.INFORMATIONAL_V1, ExchangeType.TRANSACTION};
  static final int IN_FLIGHT = 1;
  static final int VALID_HASH = 2;
  static final int HEADER = 7;
  static final int ANSWER = 0x20;
  /** Seconds to move the clock by after a message, by bits 2-4 of byte 1. */
  static final int[] STEPS = {0, 1, 5, 10, 30, 60, 300, 3600};

  private static final FuzzPair PAIR =
      new FuzzPair(FRESH_PAIR_EVERY, Ikev1SealedFuzzTest::make, Ikev1SealedFuzzTest::oneIsakmpSaEach);
  private static Path eastIpsecD;

  @FuzzTest
  void sealedV1Request(byte[] input) throws Exception {
    if (input.length < HEADER) {
      return;
    }
    TwoPlutos t = PAIR.get();
    IsakmpSa e = t.east.pluto.ikev1().isakmpSas().get(0);
    ExchangeType x = EXCHANGES[(input[0] & 0xff) % EXCHANGES.length];
    if (x == ExchangeType.QUICK_MODE && (input[1] & ANSWER) != 0 && waitingForQr1(e) == null) {
      // on the ISAKMP SA west made (a whack --up of east's conn would start a phase 1 of its own); its QI1 goes
      // nowhere (the tap)
      Ikev1Engine v1 = t.east.pluto.ikev1();
      t.loop.execute(() -> v1.quickMode.initiate(e, e.conn, null, null));
      t.loop.runPending();
    }
    byte[] chain = Arrays.copyOfRange(input, HEADER, input.length);
    byte[] bytes = seal(e, x, input[1], ByteBuffer.wrap(input, 2, 4).getInt(), input[6] & 0xff, chain);
    t.net.inject(new InetSocketAddress(t.west.address, e.remote.getPort()), e.local, bytes);
    t.loop.runPending();
    int step = STEPS[(input[1] >>> 2) & 7];
    if (step > 0) {
      t.loop.advance(java.time.Duration.ofSeconds(step));
    }
    check(t);
  }

  /** The message west would send on {@code e}'s ISAKMP SA for this input. */
  static byte[] seal(IsakmpSa e, ExchangeType x, int flags, int freshMid, int first, byte[] chain) {
    QuickSa answered = (flags & ANSWER) != 0 && x == ExchangeType.QUICK_MODE ? waitingForQr1(e) : null;
    if (answered != null) {
      return sealQr1(e, answered, flags, first, chain);
    }
    QuickSa q = (flags & IN_FLIGHT) != 0 && x == ExchangeType.QUICK_MODE ? inFlight(e) : null;
    boolean cfg = (flags & IN_FLIGHT) != 0 && x == ExchangeType.TRANSACTION && e.cfg != null && e.cfg.iv != null;
    int mid = q != null ? q.messageId : cfg ? e.cfg.messageId : freshMid;
    byte[] iv = q != null ? q.iv : cfg ? e.cfg.iv : V1Protect.phase2Iv(e, mid);
    byte[] plain = chain;
    int next = first;
    if ((flags & VALID_HASH) != 0) {
      byte[] a = e.keys.skeyidA().bytes();
      byte[] hash = q != null ? Ikev1KeyDerivation.quickHash3(e.algs.prf(), a, mid, q.ni, q.nr)
          : Ikev1KeyDerivation.quickHash1(e.algs.prf(), a, mid, chain);
      plain = ByteBuffer.allocate(4 + hash.length + chain.length).put((byte) first).put((byte) 0)
          .putShort((short) (4 + hash.length)).put(hash).put(chain).array();
      next = PayloadType.HASH.wireValue();
    }
    return encrypt(e, x, mid, iv, next, plain);
  }

  /** QR1 for east's Quick Mode {@code q}: its message ID and IV, HASH(2) first if asked (RFC 2409 §5.5). */
  private static byte[] sealQr1(IsakmpSa e, QuickSa q, int flags, int first, byte[] chain) {
    byte[] plain = chain;
    int next = first;
    if ((flags & VALID_HASH) != 0) {
      byte[] hash = Ikev1KeyDerivation.quickHash2(e.algs.prf(), e.keys.skeyidA().bytes(), q.messageId, q.ni, chain);
      plain = ByteBuffer.allocate(4 + hash.length + chain.length).put((byte) first).put((byte) 0)
          .putShort((short) (4 + hash.length)).put(hash).put(chain).array();
      next = PayloadType.HASH.wireValue();
    }
    return encrypt(e, ExchangeType.QUICK_MODE, q.messageId, q.iv, next, plain);
  }

  private static byte[] encrypt(IsakmpSa e, ExchangeType x, int mid, byte[] iv, int next, byte[] plain) {
    byte[] ct = Ikev1Cipher.encrypt(e.algs.enc(), e.keys.encKey().bytes(), iv, plain);
    return ByteBuffer.allocate(IkeHeader.SIZE + ct.length).putLong(e.cookieI).putLong(e.cookieR).put((byte) next)
        .put((byte) 0x10).put((byte) x.wireValue()).put((byte) IkeHeader.FLAG_ENCRYPTION).putInt(mid)
        .putInt(IkeHeader.SIZE + ct.length).put(ct).array();
  }

  /** East's newest Quick Mode as responder that waits for QI2, or null. */
  private static QuickSa inFlight(IsakmpSa e) {
    QuickSa last = null;
    for (QuickSa q : e.quicks) {
      if (!q.initiator && q.state == Ikev1State.STATE_QUICK_R1) {
        last = q;
      }
    }
    return last;
  }

  /** East's newest Quick Mode as initiator that waits for QR1, or null. */
  private static QuickSa waitingForQr1(IsakmpSa e) {
    QuickSa last = null;
    for (QuickSa q : e.quicks) {
      if (q.initiator && q.state == Ikev1State.STATE_QUICK_I1 && q.iv != null && q.ni != null) {
        last = q;
      }
    }
    return last;
  }

  /** The harness: west, an XAUTH and ModeConfig client, has its ISAKMP SA and Quick Mode with east. */
  private static TwoPlutos make() throws Exception {
    if (eastIpsecD == null) {
      eastIpsecD = Files.createTempDirectory("sealed-v1-fuzz");
      eastIpsecD.toFile().deleteOnExit();
      Files.writeString(eastIpsecD.resolve("passwd"), PASSWD);
      eastIpsecD.resolve("passwd").toFile().deleteOnExit();
    }
    TwoPlutos t = new TwoPlutos(PSK + "@alice : XAUTH \"alice-pw\"\n", PSK, IkeSettings.defaults(), null, eastIpsecD);
    // ikelifetime 24h (the longest Openswan takes), not 1h: with 1h, every input that moved the clock by an hour
    // (one in eight) let west's ISAKMP SA expire and the pair was made anew, 83 % of the target's time; with 24h the
    // ISAKMP SA still expires and rekeys after a day of such steps, and the target runs 4.5 times the inputs
    String[] cfg = {"leftxauthclient", "yes", "rightxauthserver", "yes", "leftxauthusername", "alice",
        "modecfgpull", "yes", "leftaddresspool", "10.9.100.10-10.9.100.20", "esp", "aes128-sha1",
        "ikelifetime", "24h"};
    t.add(t.west, "west-east", TwoPlutos.connFor("never", cfg));
    t.add(t.east, "west-east", TwoPlutos.connFor("never", cfg));
    String up = t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text();
    assertTrue(up.contains("IPsec SA established"), up);
    // from now on west hears nothing from east: the target speaks for west, and east's own Quick Modes wait for QR1
    t.net.setTap(d -> d.from().getAddress().equals(t.east.address) ? null : d);
    return t;
  }

  private static boolean oneIsakmpSaEach(TwoPlutos t) {
    List<IsakmpSa> w = t.west.pluto.ikev1().isakmpSas();
    List<IsakmpSa> e = t.east.pluto.ikev1().isakmpSas();
    return w.size() == 1 && e.size() == 1 && e.get(0).state != null && e.get(0).state.keyed()
        && e.get(0).cookieI == w.get(0).cookieI && e.get(0).cookieR == w.get(0).cookieR && !e.get(0).deleting;
  }

  private static void check(TwoPlutos t) {
    for (TwoPlutos.Node n : List.of(t.west, t.east)) {
      assertEquals(0, n.pluto.ikev1().internalErrors(), "an IKEv1 message reached the bug guard");
      assertEquals(0, n.pluto.engine().internalErrors(), "an IKEv2 message reached the bug guard");
      List<IsakmpSa> sas = n.pluto.ikev1().isakmpSas();
      Set<String> cookies = new HashSet<>();
      for (IsakmpSa sa : sas) {
        assertTrue(cookies.add(sa.cookieI + "/" + sa.cookieR), "two ISAKMP SAs with the same cookies");
        long responding = QuickMode.responding(sa);
        assertTrue(responding <= QuickMode.MAX_RESPONDER_IN_FLIGHT, responding + " Quick Modes in flight");
      }
      for (QuickSa q : n.pluto.ikev1().ipsecSas()) {
        // installed IPsec SAs outlive their ISAKMP SA (as in Openswan); a Quick Mode in progress does not
        assertTrue(q.installed || sas.contains(q.parent), "a Quick Mode in progress whose ISAKMP SA is gone");
      }
    }
  }
}
