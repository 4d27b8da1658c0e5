package org.openswanj.kernel.klips;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.openswanj.kernel.klips.net.IpPacket;

/**
 * Raw ESP reads as the inbound fuzz target hands them to {@link DataPath.RawReader}: IPv4 ones behind the IP header a
 * raw socket delivers (RFC 791 §3.1), with options or without, or with that header broken in one of the ways
 * {@link #broken} lists, each of which the reader must drop as malformed.
 */
final class RawEspReads {
  /** How many ways {@link #broken} breaks a header. */
  static final int BREAKS = 8;

  private RawEspReads() {}

  /** {@code esp} behind an IPv4 header from {@code src} to {@code dst} with {@code optionWords} words of options. */
  static byte[] ipv4(InetAddress src, InetAddress dst, int optionWords, byte[] esp) {
    int hl = 20 + 4 * optionWords;
    ByteBuffer b = ByteBuffer.allocate(hl + esp.length);
    b.put((byte) (0x40 | hl / 4)).put((byte) 0).putShort((short) (hl + esp.length)).putInt(0x4000); // DF
    b.put((byte) 64).put((byte) 50).putShort((short) 0).put(src.getAddress()).put(dst.getAddress());
    b.put(HarnessLoops.fill(new byte[] {1, 1, 1, 7, 3, 4, 0, 0}, hl - 20)); // NOPs, a record route, the end
    b.put(esp);
    b.putShort(10, (short) IpPacket.checksum(b, 0, hl, 0));
    return b.array();
  }

  /**
   * An IPv4 read broken as {@code how} says (bits 0-2 the way, the rest a value): IHL below 5, a version other than
   * 4, an IHL past the read, a total length other than the read's, a protocol other than ESP, a fragment, a read
   * shorter than a header, a read cut short (MSG_TRUNC).
   */
  static byte[] broken(byte[] read, int how) {
    int v = how >>> 3;
    byte[] d = read.clone();
    switch (how & 7) {
      case 0 -> d[0] = (byte) (0x40 | (v % 5));
      case 1 -> d[0] = (byte) ((v % 16 == 4 ? 5 : v % 16) << 4 | (d[0] & 0x0f));
      case 2 -> {
        d = Arrays.copyOf(d, Math.min(d.length, 20 + v % 40));
        d[0] = 0x4f; // 60 bytes of header in a read of 20 to 59
      }
      case 3 -> ByteBuffer.wrap(d).putShort(2, (short) (d.length + (v % 2 == 0 ? 1 + v / 2 : -1 - v / 2)));
      case 4 -> d[9] = (byte) (v == 50 ? 51 : v);
      case 5 -> ByteBuffer.wrap(d).putShort(6, (short) (v % 2 == 0 ? 0x2000 : 1 + v)); // MF, or an offset
      case 6 -> d = Arrays.copyOf(d, v % 20);
      default -> d = Arrays.copyOf(d, Math.max(0, d.length - 1 - v));
    }
    return d;
  }
}
