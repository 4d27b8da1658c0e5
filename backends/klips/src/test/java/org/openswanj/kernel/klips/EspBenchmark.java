package org.openswanj.kernel.klips;

import java.nio.ByteBuffer;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openswanj.alg.Encryption;
import org.openswanj.kernel.klips.esp.EspCodec;
import org.openswanj.kernel.klips.esp.EspTransform;

/**
 * ESP encrypt/decrypt of a 1,400-byte packet with AES-GCM-128 against raw JCE AES-GCM on the same bytes
 * (the crypto limit), single thread, after warm-up. Run: {@code java -cp ... EspBenchmark [seconds]}.
 */
public final class EspBenchmark {
  private EspBenchmark() {}

  private static final int BULK = 65536;

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    byte[] material = new byte[20];
    EspTransform t = EspTransform.create(Encryption.AES_GCM_16, material, null, null);
    ByteBuffer clear = ByteBuffer.allocateDirect(2048);
    ByteBuffer wire = ByteBuffer.allocateDirect(2048);
    ByteBuffer back = ByteBuffer.allocateDirect(2048);
    Cipher jce = Cipher.getInstance("AES/GCM/NoPadding");
    SecretKeySpec key = new SecretKeySpec(material, 0, 16, "AES");
    byte[] nonce = new byte[12];
    byte[] aad = new byte[8];
    long[] seq = {1};
    Runnable esp = () -> {
      try {
        clear.clear().limit(1400);
        wire.clear();
        EspCodec.encode(t, 0x1001, seq[0], false, 4, clear, wire);
        wire.flip();
        back.clear();
        EspCodec.decode(t, seq[0]++, false, wire, back);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    Runnable raw = () -> {
      try {
        nonce[11] = (byte) seq[0];
        nonce[10] = (byte) (seq[0]++ >> 8);
        nonce[9] = (byte) (seq[0] >> 16);
        clear.clear().limit(1404);
        wire.clear();
        jce.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        jce.updateAAD(aad);
        jce.doFinal(clear, wire);
        wire.flip();
        back.clear();
        jce.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        jce.updateAAD(aad);
        jce.doFinal(wire, back);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    // The same JCE work on one 64 KiB message per init: what the bytes cost without the per-packet setup (each
    // Cipher.init builds a new GCM engine in JDK 17), so the share of that setup in a 1400-byte packet shows
    ByteBuffer bulkClear = ByteBuffer.allocateDirect(BULK + 16);
    ByteBuffer bulkWire = ByteBuffer.allocateDirect(BULK + 16);
    ByteBuffer bulkBack = ByteBuffer.allocateDirect(BULK + 16);
    Runnable bulk = () -> {
      try {
        nonce[11] = (byte) seq[0];
        nonce[10] = (byte) (seq[0]++ >> 8);
        nonce[9] = (byte) (seq[0] >> 16);
        bulkClear.clear().limit(BULK);
        bulkWire.clear();
        jce.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        jce.updateAAD(aad);
        jce.doFinal(bulkClear, bulkWire);
        bulkWire.flip();
        bulkBack.clear();
        jce.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        jce.updateAAD(aad);
        jce.doFinal(bulkWire, bulkBack);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    for (int round = 0; round < 2; round++) { // the first round is warm-up
      double e = rate(esp, seconds);
      double r = rate(raw, seconds);
      double b = rate(bulk, seconds) * BULK / 1404.0; // in 1404-byte packets' worth
      if (round == 1) {
        System.out.printf("ESP AES-GCM-128 encrypt+decrypt, 1400 B: %.0f packets/s (%.2f Gbit/s)%n", e, e * 1400 * 8 / 1e9);
        System.out.printf("raw JCE AES-GCM encrypt+decrypt, 1404 B: %.0f packets/s (%.2f Gbit/s)%n", r, r * 1404 * 8 / 1e9);
        System.out.printf("ratio ESP / raw JCE: %.2f%n", e / r);
        System.out.printf("bulk JCE AES-GCM encrypt+decrypt, %d B per init: %.2f Gbit/s; per-packet setup share at"
            + " 1404 B: %.2f (%s)%n", BULK, b * 1404 * 8 / 1e9, 1 - r / b, System.getProperty("java.version"));
      }
    }
  }

  private static double rate(Runnable op, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long n = 0;
    long start = System.nanoTime();
    while (System.nanoTime() < end) {
      for (int i = 0; i < 256; i++) {
        op.run();
      }
      n += 256;
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }
}
