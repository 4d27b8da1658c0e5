package org.openswanj.pluto.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;

/**
 * Protection of the IKEv2 Encrypted (SK) payload body: IV ‖ ciphertext ‖ ICV. CBC + MAC per RFC 7296 §3.14,
 * AES-GCM per RFC 5282, ChaCha20-Poly1305 per RFC 7634. One instance per direction and key; not
 * thread-safe (the GCM/ChaCha IV counter lives here). {@code toString()} never shows keys.

 */
public final class SkCipher {
  private final Encryption enc;
  private final byte[] key;   // without salt
  private final byte[] salt;  // AEAD only (RFC 5282 §7.1, RFC 7634 §2)
  private final IntegrityMac mac;
  private final SecureRandom random;
  private long ivCounter;
  private long ivsLeft;
  private boolean wiped;

  private SkCipher(Encryption enc, byte[] key, byte[] salt, IntegrityMac mac, SecureRandom random) {
    this.enc = enc;
    this.key = key;
    this.salt = salt;
    this.mac = mac;
    this.random = random;
    // RFC 5282 §3.1: the IV must not repeat for a key. A counter from a random start keeps that even if
    // the caller builds a second instance for the same key.
    byte[] start = new byte[8];
    if (enc.aead()) {
      random.nextBytes(start); // CBC IVs are drawn per message instead
    }
    this.ivCounter = ByteBuffer.wrap(start).getLong();
    this.ivsLeft = -1L; // 2^64 - 1 IVs, unsigned
  }

  /**
   * @param encKey the SK_e key including the AEAD salt ({@link Ikev2KeyDerivation#encKeyLength} bytes)
   * @param integ null for AEAD; {@code integKey} then null too
   */
  public static SkCipher create(Encryption enc, int keyBits, Integrity integ, byte[] encKey, byte[] integKey,
      SecureRandom random) {
    if (!CryptoRegistry.supported(enc)) {
      throw new IllegalArgumentException(enc.configName() + " cannot protect IKE messages");
    }
    if (enc.aead() != (integ == null)) {
      throw new IllegalArgumentException(enc.configName() + (enc.aead() ? " is AEAD: no integrity algorithm"
          : " needs an integrity algorithm"));
    }
    int len = Ikev2KeyDerivation.encKeyLength(enc, keyBits);
    if (encKey.length != len) {
      throw new IllegalArgumentException(enc.configName() + " needs a " + len + "-byte key, got " + encKey.length);
    }
    int k = len - enc.saltSize();
    IntegrityMac m = integ == null ? null : IntegrityMac.of(integ, integKey);
    return new SkCipher(enc, Arrays.copyOf(encKey, k), Arrays.copyOfRange(encKey, k, len), m, random);
  }

  private int padBlock() {
    return enc.aead() ? 1 : enc.blockSize(); // AEAD needs no alignment (RFC 5282 §3, RFC 7634 §3)
  }

  private int icvSize() {
    return enc.aead() ? enc.icvSize() : mac.icvSize();
  }

  /** IV + padded ciphertext (including the pad length byte) + ICV, bytes. */
  public int sealedLength(int plaintextLength) {
    int b = padBlock();
    int padded = (plaintextLength + 1 + b - 1) / b * b;
    return enc.ivSize() + padded + icvSize();
  }

  /**
   * Encrypts and authenticates {@code plaintext} (the inner payload chain). {@code aad} is the message
   * from the IKE header to the end of the SK payload header, with lengths already final.
   */
  public byte[] seal(byte[] aad, byte[] plaintext) {
    checkLive();
    int total = sealedLength(plaintext.length);
    int ivLen = enc.ivSize();
    byte[] padded = new byte[total - ivLen - icvSize()];
    System.arraycopy(plaintext, 0, padded, 0, plaintext.length);
    padded[padded.length - 1] = (byte) (padded.length - plaintext.length - 1); // RFC 7296 §3.14
    byte[] iv = nextIv(ivLen);
    try {
      if (enc.aead()) {
        return PrfFunction.concat(iv, aead(true, iv, aad, padded));
      }
      byte[] m = material();
      byte[] ct = Ciphers.encrypt(enc, m, iv, null, padded);
      Arrays.fill(m, (byte) 0);
      return PrfFunction.concat(iv, ct, mac.icv(aad, iv, ct));
    } catch (IntegrityException e) {
      throw new IllegalStateException("encryption failed", e);
    } finally {
      Arrays.fill(padded, (byte) 0);
    }
  }

  /**
   * Verifies and decrypts {@code body} (IV ‖ ciphertext ‖ ICV) and strips the padding.
   *
   * @throws IntegrityException bad ICV, or sizes/padding that cannot be right
   */
  public byte[] open(byte[] aad, byte[] body) throws IntegrityException {
    checkLive();
    int ivLen = enc.ivSize();
    int icv = icvSize();
    int ctLen = body.length - ivLen - icv;
    if (ctLen < 1 || ctLen % padBlock() != 0) {
      throw new IntegrityException("SK payload body of " + body.length + " bytes is malformed for "
          + enc.configName() + " (IV " + ivLen + ", ICV " + icv + ", block " + padBlock() + ")");
    }
    byte[] iv = Arrays.copyOf(body, ivLen);
    byte[] padded;
    if (enc.aead()) {
      padded = aead(false, iv, aad, Arrays.copyOfRange(body, ivLen, body.length));
    } else {
      byte[] ct = Arrays.copyOfRange(body, ivLen, ivLen + ctLen);
      byte[] expected = mac.icv(aad, iv, ct);
      if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(body, ivLen + ctLen, body.length))) {
        throw new IntegrityException("SK payload integrity check failed (" + mac.algorithm() + ")");
      }
      byte[] m = material();
      padded = Ciphers.decrypt(enc, m, iv, null, ct);
      Arrays.fill(m, (byte) 0);
    }
    int padLen = padded[padded.length - 1] & 0xff;
    if (padLen + 1 > padded.length) {
      throw new IntegrityException("SK payload pad length " + padLen + " exceeds the " + padded.length
          + "-byte plaintext");
    }
    byte[] out = Arrays.copyOf(padded, padded.length - padLen - 1);
    Arrays.fill(padded, (byte) 0);
    return out;
  }

  private void checkLive() {
    if (wiped) {
      throw new IllegalStateException("SkCipher used after wipe()");
    }
  }

  private byte[] nextIv(int ivLen) {
    byte[] iv = new byte[ivLen];
    if (enc.aead()) {
      if (ivsLeft == 0) {
        throw new IllegalStateException("IV space of this key exhausted; rekey the IKE SA");
      }
      ivsLeft--;
      ByteBuffer.wrap(iv).putLong(ivCounter++);
    } else {
      random.nextBytes(iv); // RFC 7296 §3.14: CBC IVs must be unpredictable
    }
    return iv;
  }

  private byte[] material() {
    return PrfFunction.concat(key, salt);
  }

  private byte[] aead(boolean encrypt, byte[] iv, byte[] aad, byte[] in) throws IntegrityException {
    byte[] m = material();
    try {
      return encrypt ? Ciphers.encrypt(enc, m, iv, aad, in) : Ciphers.decrypt(enc, m, iv, aad, in);
    } catch (IntegrityException e) {
      throw new IntegrityException("SK payload integrity check failed (" + enc.configName() + ")");
    } finally {
      Arrays.fill(m, (byte) 0);
    }
  }

  /** Zeroes the cipher key and salt when the IKE SA dies; later seal/open calls fail. */
  public void wipe() {
    Arrays.fill(key, (byte) 0);
    Arrays.fill(salt, (byte) 0);
    ivsLeft = 0;
    wiped = true;
  }

  @Override
  public String toString() {
    return "SkCipher[" + enc.configName() + (mac == null ? "" : "/" + mac.algorithm()) + ", keys redacted]";
  }
}
