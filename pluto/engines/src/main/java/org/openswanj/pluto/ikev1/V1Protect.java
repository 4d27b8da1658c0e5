package org.openswanj.pluto.ikev1;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openswanj.pluto.crypto.IntegrityException;
import org.openswanj.pluto.crypto.Ikev1Cipher;
import org.openswanj.pluto.crypto.Ikev1KeyDerivation;
import org.openswanj.pluto.ike.wire.HashPayload;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.IntegrityCheckFailedException;
import org.openswanj.pluto.ike.wire.InvalidSyntaxException;
import org.openswanj.pluto.ike.wire.Payload;

/**
 * Encrypted IKEv1 messages (RFC 2408 §3.1 E flag, RFC 2409 §5.3 / App. B): CBC with the IV chain of the
 * exchange, and the HASH(1)/(2)/(3) framing of Quick Mode and Informational exchanges (§5.5, §5.7). Pure.
 */
final class V1Protect {
  private V1Protect() {}

  /** An encrypted message and the IV of the next one in the same exchange (its last cipher block). */
  record Sealed(byte[] bytes, byte[] nextIv) {}

  /** A decrypted message: its payloads, the plaintext (with padding) and the next IV. */
  record Opened(List<Payload> payloads, byte[] plain, byte[] nextIv) {}

  static Sealed seal(IsakmpSa sa, IkeHeader h, List<Payload> inner, byte[] iv) {
    byte[] key = sa.keys.encKey().bytes();
    byte[] bytes = IkeCodec.encodeV1Encrypted(h, inner, plain -> Ikev1Cipher.encrypt(sa.algs.enc(), key, iv, plain));
    return new Sealed(bytes, Ikev1Cipher.lastBlock(bytes, sa.algs.enc().blockSize()));
  }

  /** Decrypts and decodes; a body that does not decrypt to a payload chain is an integrity failure (drop). */
  static Opened open(IsakmpSa sa, IkeHeader h, byte[] datagram, byte[] iv) throws IkeProtocolException {
    if (sa.keys == null) {
      throw new IntegrityCheckFailedException("encrypted message before the keys exist");
    }
    byte[] ct = Arrays.copyOfRange(datagram, IkeHeader.SIZE, h.length());
    byte[] plain;
    try {
      plain = Ikev1Cipher.decrypt(sa.algs.enc(), sa.keys.encKey().bytes(), iv, ct);
    } catch (IntegrityException e) {
      throw new IntegrityCheckFailedException(e.getMessage());
    }
    List<Payload> payloads = IkeCodec.decodeV1Chain(h.nextPayload(), plain);
    return new Opened(payloads, plain, Ikev1Cipher.lastBlock(ct, sa.algs.enc().blockSize()));
  }

  /**
   * The bytes a Quick Mode / Informational HASH covers: the payload chain after the first (HASH) payload,
   * without the cipher padding (RFC 2409 §5.5 "the entire message ... following the hash").
   */
  static byte[] afterFirstPayload(byte[] plain) throws InvalidSyntaxException {
    if (plain.length < 4) {
      throw new InvalidSyntaxException("decrypted body of " + plain.length + " bytes has no payload");
    }
    int start = u16(plain, 2);
    int next = plain[0] & 0xff;
    int end = start;
    while (next != 0) {
      if (end + 4 > plain.length) {
        throw new InvalidSyntaxException("payload chain runs past the decrypted body at offset " + end);
      }
      int len = u16(plain, end + 2);
      if (len < 4 || end + len > plain.length) {
        throw new InvalidSyntaxException("payload length " + len + " at offset " + (end + 2) + " is impossible");
      }
      next = plain[end] & 0xff;
      end += len;
    }
    return Arrays.copyOfRange(plain, start, end);
  }

  private static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  /** Puts a HASH payload computed over the encoded {@code rest} in front of it. */
  static List<Payload> hashed(java.util.function.Function<byte[], byte[]> hashOfRest, List<Payload> rest) {
    byte[] tail = IkeCodec.encodeChain(1, rest);
    List<Payload> out = new ArrayList<>();
    out.add(new HashPayload(hashOfRest.apply(tail)));
    out.addAll(rest);
    return out;
  }

  /** The first IV of a Quick Mode or Informational exchange (RFC 2409 App. B). */
  static byte[] phase2Iv(IsakmpSa sa, int messageId) {
    return Ikev1KeyDerivation.phase2Iv(sa.algs.prf(), sa.iv, messageId, sa.algs.enc().blockSize());
  }

  /** A payload's body as it is encoded (without its 4-byte generic header): SAi_b of RFC 2409 §5. */
  static byte[] body(Payload p) {
    byte[] b = IkeCodec.encodeChain(1, List.of(p));
    return Arrays.copyOfRange(b, 4, b.length);
  }

  /**
   * The body of the first payload of type {@code want} in an unencrypted IKEv1 message, exactly as received
   * (HASH_I/HASH_R cover the peer's SA bytes, not our re-encoding of them).
   */
  static byte[] rawBody(byte[] datagram, IkeHeader h, int want) throws InvalidSyntaxException {
    int type = h.nextPayload();
    int off = IkeHeader.SIZE;
    while (type != 0) {
      if (off + 4 > h.length()) {
        throw new InvalidSyntaxException("payload chain runs past the message at offset " + off);
      }
      int len = u16(datagram, off + 2);
      if (len < 4 || off + len > h.length()) {
        throw new InvalidSyntaxException("payload length " + len + " at offset " + (off + 2) + " is impossible");
      }
      if (type == want) {
        return Arrays.copyOfRange(datagram, off + 4, off + len);
      }
      type = datagram[off] & 0xff;
      off += len;
    }
    throw new InvalidSyntaxException("no payload of type " + want);
  }
}
