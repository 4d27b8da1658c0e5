package org.openswanj.pluto.ike.wire;

import java.util.List;
import java.util.function.UnaryOperator;

/** Encodes and decodes whole IKE messages (RFC 7296 §3, RFC 2408 §3). Pure: no I/O, no state. */
public final class IkeCodec {
  private IkeCodec() {}

  /** Seals an IKEv2 SK payload: see {@link #encodeEncrypted}. */
  public interface SkSealer {
    int sealedLength(int plaintextLength);

    byte[] seal(byte[] aad, byte[] plaintext);
  }

  /** Opens an IKEv2 SK payload: returns the inner chain bytes with padding removed. */
  public interface SkOpener {
    byte[] open(byte[] aad, byte[] body) throws IkeProtocolException;
  }

  public static IkeHeader decodeHeader(byte[] datagram) throws IkeDecodeException {
    throw new UnsupportedOperationException("first commit: API only");
  }

  public static IkeMessage decode(byte[] datagram) throws IkeProtocolException {
    throw new UnsupportedOperationException("first commit: API only");
  }

  public static List<Payload> decodeChain(int majorVersion, int firstPayload, byte[] buf, int off, int len)
      throws IkeProtocolException {
    throw new UnsupportedOperationException("first commit: API only");
  }

  public static List<Payload> decodeV1Chain(int firstPayload, byte[] plaintext) throws IkeProtocolException {
    throw new UnsupportedOperationException("first commit: API only");
  }

  public static byte[] encode(IkeHeader header, List<Payload> payloads) {
    throw new UnsupportedOperationException("first commit: API only");
  }

  public static byte[] encodeEncrypted(IkeHeader header, List<Payload> inner, SkSealer sealer) {
    throw new UnsupportedOperationException("first commit: API only");
  }

  public static List<Payload> decodeEncrypted(byte[] datagram, IkeMessage outer, SkOpener opener)
      throws IkeProtocolException {
    throw new UnsupportedOperationException("first commit: API only");
  }

  public static byte[] encodeV1Encrypted(IkeHeader header, List<Payload> inner, UnaryOperator<byte[]> encryptPadded) {
    throw new UnsupportedOperationException("first commit: API only");
  }

  public static String hex(byte[] b) {
    return com.google.common.io.BaseEncoding.base16().lowerCase().encode(b);
  }

  public static byte[] unhex(String s) {
    return com.google.common.io.BaseEncoding.base16().lowerCase().decode(s.replaceAll("\\s+", "").toLowerCase());
  }
}
