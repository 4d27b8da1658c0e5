package org.openswanj.kernel.klips.esp;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.kernel.klips.net.IpPacket;

/**
 * Fuzz target for klips' inbound ESP path with keyed SAs (testing/fuzz/run-fuzz; the normal test run replays the
 * seeds in EspDecapFuzzTestInputs/). Byte 0 picks the SA (AES-GCM-16 or AES-CBC with HMAC-SHA2-256-128, with or
 * without ESN) and the mode; the rest is either a raw ESP packet from the wire (forgeries: only EspException
 * may come out) or a plaintext the SA's real keys seal, so decryption succeeds and the trailer and inner-packet
 * checks are reached (it must come back byte for byte, and then a one-bit change anywhere must be refused).
 */
class EspDecapFuzzTest {
  private static final int SPI = 0x1001;
  private static final EspTransform[] SAS = transforms();
  /** A fresh sequence number per sealed packet: GCM's IV is derived from it, and the JCE refuses a reuse. */
  private static long sealed;

  @FuzzTest
  void inbound(byte[] input) throws GeneralSecurityException {
    if (input.length < 1) {
      return;
    }
    int sel = input[0] & 0xff;
    EspTransform t = SAS[sel & 1];
    boolean esn = (sel & 2) != 0;
    long seq = (esn ? 0x1_0000_0000L : 0) + (++sealed & 0x7fff_ffffL) + 1;
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    if ((sel & 4) == 0) {
      open(t, seq, esn, ByteBuffer.wrap(body));
      return;
    }
    ByteBuffer clear = ByteBuffer.allocate(body.length + 64);
    clear.put(body).flip();
    ByteBuffer wire = ByteBuffer.allocate(body.length + 128);
    int nextHeader = (sel >>> 3) & 0xff;
    EspCodec.encode(t, SPI, seq, esn, nextHeader, clear, wire);
    wire.flip();
    byte[] packet = new byte[wire.remaining()];
    wire.get(wire.position(), packet);
    ByteBuffer out = ByteBuffer.allocate(packet.length + 64);
    try {
      assertEquals(nextHeader, EspCodec.decode(t, seq, esn, ByteBuffer.wrap(packet), out));
    } catch (EspException e) {
      fail("our own sealed packet was refused: " + e.getMessage(), e);
    }
    byte[] got = new byte[out.remaining()];
    out.get(out.position(), got);
    assertArrayEquals(body, got, "decapsulation gives back the sealed payload");
    IpPacket.valid(out, out.position(), out.remaining());
    int bit = body.length == 0 ? 0 : (body[0] & 0xff) * 8 + (sel & 7);
    packet[EspCodec.HEADER + (bit / 8) % (packet.length - EspCodec.HEADER)] ^= (byte) (1 << (bit % 8));
    try {
      EspCodec.decode(t, seq, esn, ByteBuffer.wrap(packet), ByteBuffer.allocate(packet.length + 64));
      fail("a packet with one bit changed after the header was accepted");
    } catch (EspException e) {
      assertEquals(EspException.Reason.INTEGRITY, e.reason(), "the ICV is checked first");
    }
  }

  private static void open(EspTransform t, long seq, boolean esn, ByteBuffer wire) {
    ByteBuffer out = ByteBuffer.allocate(wire.remaining() + 64);
    try {
      EspCodec.decode(t, seq, esn, wire, out);
      IpPacket.valid(out, out.position(), out.remaining());
    } catch (EspException e) {
      assertNotNull(e.getMessage(), "a drop says why");
    }
  }

  private static EspTransform[] transforms() {
    try {
      return new EspTransform[] {
        EspTransform.create(Encryption.AES_GCM_16, key(20, 1), null, null),
        EspTransform.create(Encryption.AES_CBC, key(16, 1), Integrity.HMAC_SHA2_256_128, key(32, 100)),
      };
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] key(int n, int seed) {
    byte[] k = new byte[n];
    for (int i = 0; i < n; i++) {
      k[i] = (byte) (seed + i);
    }
    return k;
  }
}
