package org.openswanj.pluto.ike.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 100,000 random mutations of the real messages (fixed seed): decoding only ever throws IkeProtocolException,
 * and whatever decodes re-encodes and decodes again to the same payload types.
 */
class MutationFuzzTest {
  private static final int ROUNDS = 100_000;

  @Test
  void decodeOnlyThrowsProtocolExceptions() {
    List<byte[]> seeds = new ArrayList<>(Fixtures.all().values());
    Random rnd = new Random(0x1c3a5eedL);
    int decoded = 0;
    int rejected = 0;
    for (int i = 0; i < ROUNDS; i++) {
      byte[] d = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
      try {
        IkeMessage m = IkeCodec.decode(d);
        decoded++;
        byte[] again = IkeCodec.encode(m.header(), m.payloads());
        IkeMessage m2 = IkeCodec.decode(again);
        assertEquals(m.payloads().size(), m2.payloads().size(), () -> "round " + IkeCodec.hex(d));
      } catch (IkeProtocolException e) {
        rejected++;
        assertNotNull(e.getMessage());
        assertNotNull(e.notifyType());
      } catch (RuntimeException e) {
        fail("mutation " + (i) + " " + IkeCodec.hex(d) + " threw " + e, e);
      }
    }
    assertTrue(decoded > 1000, "decoded " + decoded);
    assertTrue(rejected > 1000, "rejected " + rejected);
  }

  @Test
  void v1ChainDecoderOnlyThrowsProtocolExceptions() {
    Random rnd = new Random(42);
    byte[] mi2 = Fixtures.get("ikev1-main", "mi2");
    byte[] chain = Arrays.copyOfRange(mi2, IkeHeader.SIZE, mi2.length);
    for (int i = 0; i < 20_000; i++) {
      byte[] c = mutate(chain, rnd);
      try {
        IkeCodec.decodeV1Chain(rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 4, c);
      } catch (IkeProtocolException e) {
        assertNotNull(e.getMessage());
      } catch (RuntimeException e) {
        fail(IkeCodec.hex(c) + " threw " + e, e);
      }
    }
  }

  private static byte[] mutate(byte[] seed, Random rnd) {
    byte[] d = seed.clone();
    switch (rnd.nextInt(5)) {
      case 0: // flip 1-4 random bytes
        for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
          d[rnd.nextInt(d.length)] = (byte) rnd.nextInt(256);
        }
        return d;
      case 1: // one byte in the first 80 (header and first payload headers), header length kept
        d[IkeHeader.SIZE + rnd.nextInt(Math.min(52, d.length - IkeHeader.SIZE))] = (byte) rnd.nextInt(256);
        return d;
      case 2: { // truncate, fixing the header length
        int cut = IkeHeader.SIZE + rnd.nextInt(d.length - IkeHeader.SIZE);
        byte[] t = Arrays.copyOf(d, cut);
        setLength(t);
        return t;
      }
      case 3: { // insert random bytes, fixing the header length
        int at = IkeHeader.SIZE + rnd.nextInt(d.length - IkeHeader.SIZE);
        byte[] ins = new byte[1 + rnd.nextInt(8)];
        rnd.nextBytes(ins);
        byte[] t = new byte[d.length + ins.length];
        System.arraycopy(d, 0, t, 0, at);
        System.arraycopy(ins, 0, t, at, ins.length);
        System.arraycopy(d, at, t, at + ins.length, d.length - at);
        setLength(t);
        return t;
      }
      default: { // a 16-bit field set to an extreme value
        int at = rnd.nextInt(d.length - 1);
        int v = new int[] {0, 1, 3, 4, 0x7fff, 0x8000, 0xffff}[rnd.nextInt(7)];
        d[at] = (byte) (v >>> 8);
        d[at + 1] = (byte) v;
        return d;
      }
    }
  }

  private static void setLength(byte[] t) {
    if (t.length >= IkeHeader.SIZE) {
      int n = t.length;
      t[24] = (byte) (n >>> 24);
      t[25] = (byte) (n >>> 16);
      t[26] = (byte) (n >>> 8);
      t[27] = (byte) n;
    }
  }
}
