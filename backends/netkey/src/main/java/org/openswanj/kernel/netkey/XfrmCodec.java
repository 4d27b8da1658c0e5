package org.openswanj.kernel.netkey;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.openswanj.kernel.Lifetime;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;

/**
 * Encoders for the structs of {@code <linux/xfrm.h>} as x86_64 lays them out: host (little-endian) order
 * for counters and lengths, network order for addresses, SPIs and ports ({@code __be16}/{@code __be32}).
 * Offsets are named after the C fields; every struct here is a multiple of 4 bytes, so attributes can
 * follow it without padding. Pure: no sockets.
 */
final class XfrmCodec {
  private XfrmCodec() {}

  // struct xfrm_selector (56 bytes)
  static final int SEL_DADDR = 0;
  static final int SEL_SADDR = 16;
  static final int SEL_DPORT = 32;
  static final int SEL_DPORT_MASK = 34;
  static final int SEL_SPORT = 36;
  static final int SEL_SPORT_MASK = 38;
  static final int SEL_FAMILY = 40;
  static final int SEL_PREFIXLEN_D = 42;
  static final int SEL_PREFIXLEN_S = 43;
  static final int SEL_PROTO = 44;

  // struct xfrm_usersa_info (224 bytes)
  static final int SA_SEL = 0;
  static final int SA_ID_DADDR = 56;
  static final int SA_ID_SPI = 72;
  static final int SA_ID_PROTO = 76;
  static final int SA_SADDR = 80;
  static final int SA_LFT = 96;
  static final int SA_CURLFT = 160;
  static final int SA_STATS = 192;
  static final int SA_REQID = 208;
  static final int SA_FAMILY = 212;
  static final int SA_MODE = 214;
  static final int SA_REPLAY_WINDOW = 215;
  static final int SA_FLAGS = 216;

  // struct xfrm_usersa_id (24 bytes)
  static final int SAID_DADDR = 0;
  static final int SAID_SPI = 16;
  static final int SAID_FAMILY = 20;
  static final int SAID_PROTO = 22;

  // struct xfrm_userspi_info (232 bytes): info, then min and max
  static final int SPI_MIN = 224;
  static final int SPI_MAX = 228;

  // struct xfrm_userpolicy_info (168 bytes)
  static final int POL_SEL = 0;
  static final int POL_LFT = 56;
  static final int POL_CURLFT = 120;
  static final int POL_PRIORITY = 152;
  static final int POL_INDEX = 156;
  static final int POL_DIR = 160;
  static final int POL_ACTION = 161;

  // struct xfrm_userpolicy_id (64 bytes)
  static final int POLID_DIR = 60;

  // struct xfrm_user_tmpl (64 bytes)
  static final int TMPL_ID_DADDR = 0;
  static final int TMPL_ID_SPI = 16;
  static final int TMPL_ID_PROTO = 20;
  static final int TMPL_FAMILY = 24;
  static final int TMPL_SADDR = 28;
  static final int TMPL_REQID = 44;
  static final int TMPL_MODE = 48;
  static final int TMPL_AALGOS = 52;
  static final int TMPL_EALGOS = 56;
  static final int TMPL_CALGOS = 60;

  static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  static int family(InetAddress a) {
    return a instanceof Inet4Address ? LibC.AF_INET : LibC.AF_INET6;
  }

  /** xfrm_address_t: 16 bytes, an IPv4 address in the first 4; null writes the any-address (zeros). */
  static void putAddress(ByteBuffer b, int off, InetAddress a) {
    if (a != null) {
      b.put(off, a.getAddress());
    }
  }

  static void putBe16(ByteBuffer b, int off, int v) {
    b.putShort(off, Short.reverseBytes((short) v));
  }

  static void putBe32(ByteBuffer b, int off, int v) {
    b.putInt(off, Integer.reverseBytes(v));
  }

  /** struct xfrm_selector at {@code off}; a port of 0 means any (mask 0). */
  static void putSelector(ByteBuffer b, int off, Selector s) {
    putAddress(b, off + SEL_DADDR, s.dst());
    putAddress(b, off + SEL_SADDR, s.src());
    putBe16(b, off + SEL_DPORT, s.dstPort());
    putBe16(b, off + SEL_DPORT_MASK, s.dstPort() != 0 ? 0xffff : 0);
    putBe16(b, off + SEL_SPORT, s.srcPort());
    putBe16(b, off + SEL_SPORT_MASK, s.srcPort() != 0 ? 0xffff : 0);
    b.putShort(off + SEL_FAMILY, (short) family(s.src()));
    b.put(off + SEL_PREFIXLEN_D, (byte) s.dstPrefix());
    b.put(off + SEL_PREFIXLEN_S, (byte) s.srcPrefix());
    b.put(off + SEL_PROTO, (byte) s.protocol());
  }

  /** struct xfrm_lifetime_cfg: byte/packet limits (0 → XFRM_INF), then add/use expiry in seconds. */
  static void putLifetime(ByteBuffer b, int off, Lifetime l) {
    b.putLong(off, l.softBytes() == 0 ? Xfrm.INF : l.softBytes());
    b.putLong(off + 8, l.hardBytes() == 0 ? Xfrm.INF : l.hardBytes());
    b.putLong(off + 16, Xfrm.INF);
    b.putLong(off + 24, Xfrm.INF);
    b.putLong(off + 32, l.softSeconds());
    b.putLong(off + 40, l.hardSeconds());
  }

  /** The fixed part of NEWSA/UPDSA. */
  record SaInfo(Selector sel, InetAddress src, InetAddress dst, int spi, int proto, int reqid, int mode,
      int replayWindow, int flags, Lifetime lifetime) {}

  static byte[] usersaInfo(SaInfo s) {
    ByteBuffer b = le(Xfrm.SIZEOF_USERSA_INFO);
    putUsersaInfo(b, s);
    return b.array();
  }

  private static void putUsersaInfo(ByteBuffer b, SaInfo s) {
    putSelector(b, SA_SEL, s.sel());
    putAddress(b, SA_ID_DADDR, s.dst());
    putBe32(b, SA_ID_SPI, s.spi());
    b.put(SA_ID_PROTO, (byte) s.proto());
    putAddress(b, SA_SADDR, s.src());
    putLifetime(b, SA_LFT, s.lifetime());
    b.putInt(SA_REQID, s.reqid());
    b.putShort(SA_FAMILY, (short) family(s.dst()));
    b.put(SA_MODE, (byte) s.mode());
    b.put(SA_REPLAY_WINDOW, (byte) s.replayWindow());
    b.put(SA_FLAGS, (byte) s.flags());
  }

  /** struct xfrm_userspi_info: a larval SA src→dst and the SPI range to pick from. */
  static byte[] userspiInfo(InetAddress src, InetAddress dst, int proto, int reqid, int min, int max) {
    ByteBuffer b = le(Xfrm.SIZEOF_USERSPI_INFO);
    Selector any = Selector.of(src, 0, dst, 0);
    putUsersaInfo(b, new SaInfo(any, src, dst, 0, proto, reqid, Xfrm.MODE_TRANSPORT, 0, 0, Lifetime.NONE));
    b.putInt(SPI_MIN, min);
    b.putInt(SPI_MAX, max);
    return b.array();
  }

  /** struct xfrm_usersa_id: how DELSA and GETSA name an SA. */
  static byte[] usersaId(InetAddress dst, int spi, int proto) {
    ByteBuffer b = le(Xfrm.SIZEOF_USERSA_ID);
    putAddress(b, SAID_DADDR, dst);
    putBe32(b, SAID_SPI, spi);
    b.putShort(SAID_FAMILY, (short) family(dst));
    b.put(SAID_PROTO, (byte) proto);
    return b.array();
  }

  /** struct xfrm_userpolicy_info; no lifetime limits (policies live until deleted). */
  static byte[] userpolicyInfo(Selector sel, int dir, int action, int priority) {
    ByteBuffer b = le(Xfrm.SIZEOF_USERPOLICY_INFO);
    putSelector(b, POL_SEL, sel);
    putLifetime(b, POL_LFT, Lifetime.NONE);
    b.putInt(POL_PRIORITY, priority);
    b.put(POL_DIR, (byte) dir);
    b.put(POL_ACTION, (byte) action);
    return b.array();
  }

  /** struct xfrm_userpolicy_id: selector and direction (index 0: look up by selector). */
  static byte[] userpolicyId(Selector sel, int dir) {
    ByteBuffer b = le(Xfrm.SIZEOF_USERPOLICY_ID);
    putSelector(b, 0, sel);
    b.put(POLID_DIR, (byte) dir);
    return b.array();
  }

  /** struct xfrm_user_tmpl: which SA (outer addresses, protocol, reqid, mode) must protect the traffic. */
  static byte[] userTmpl(InetAddress src, InetAddress dst, int family, int proto, int reqid, int mode) {
    ByteBuffer b = le(Xfrm.SIZEOF_USER_TMPL);
    putAddress(b, TMPL_ID_DADDR, dst);
    b.put(TMPL_ID_PROTO, (byte) proto);
    b.putShort(TMPL_FAMILY, (short) family);
    putAddress(b, TMPL_SADDR, src);
    b.putInt(TMPL_REQID, reqid);
    b.put(TMPL_MODE, (byte) mode);
    b.putInt(TMPL_AALGOS, -1); // any algorithm: the SA decides
    b.putInt(TMPL_EALGOS, -1);
    b.putInt(TMPL_CALGOS, -1);
    return b.array();
  }

  /** struct xfrm_algo: name[64], key length in bits, key. */
  static byte[] algo(String name, byte[] key) {
    ByteBuffer b = le(Xfrm.ALG_NAME_LEN + 4 + key.length);
    putName(b, name);
    b.putInt(64, key.length * 8);
    b.put(68, key);
    return b.array();
  }

  /** struct xfrm_algo_auth / xfrm_algo_aead: name[64], key bits, truncation or ICV bits, key. */
  static byte[] algoWithLength(String name, byte[] key, int bits) {
    ByteBuffer b = le(Xfrm.ALG_NAME_LEN + 8 + key.length);
    putName(b, name);
    b.putInt(64, key.length * 8);
    b.putInt(68, bits);
    b.put(72, key);
    return b.array();
  }

  private static void putName(ByteBuffer b, String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    b.put(0, n, 0, Math.min(n.length, Xfrm.ALG_NAME_LEN - 1));
  }

  /** struct xfrm_encap_tmpl for ESP-in-UDP (RFC 3948); the original address is left zero. */
  static byte[] encapTmpl(UdpEncap e) {
    ByteBuffer b = le(Xfrm.SIZEOF_ENCAP_TMPL);
    b.putShort(0, (short) Xfrm.UDP_ENCAP_ESPINUDP);
    putBe16(b, 2, e.srcPort());
    putBe16(b, 4, e.dstPort());
    return b.array();
  }

  /**
   * struct xfrm_replay_state_esn with its bitmap: bmp_len (in 32-bit words), oseq, seq, oseq_hi, seq_hi,
   * replay_window, bmp[] (RFC 4304 for the high halves).
   */
  static byte[] replayEsn(int window) {
    return replayEsn(window, 0, 0);
  }

  /**
   * {@code oseq}: the last outbound sequence number used (the next packet carries oseq + 1); {@code seq}: the highest
   * inbound number counted as received, every one of the window below it too (the bitmap all set), so that only
   * numbers above it pass the check (RFC 4303 §3.4.3); 0 for a fresh window.
   */
  static byte[] replayEsn(int window, long oseq, long seq) {
    int words = (window + 31) / 32;
    ByteBuffer b = le(Xfrm.SIZEOF_REPLAY_ESN + 4 * words);
    b.putInt(0, words);
    b.putInt(4, (int) oseq);
    b.putInt(8, (int) seq);
    b.putInt(12, (int) (oseq >>> 32));
    b.putInt(16, (int) (seq >>> 32));
    b.putInt(20, window);
    if (seq > 0) {
      for (int w = 0; w < words; w++) {
        b.putInt(Xfrm.SIZEOF_REPLAY_ESN + 4 * w, -1);
      }
    }
    return b.array();
  }

  /** struct xfrm_replay_state {oseq, seq, bitmap}: as {@link #replayEsn(int, long, long)}, 32-bit numbers. */
  static byte[] replayState(long oseq, long seq) {
    ByteBuffer b = le(Xfrm.SIZEOF_REPLAY_STATE);
    b.putInt(0, (int) oseq);
    b.putInt(4, (int) seq);
    b.putInt(8, seq > 0 ? -1 : 0);
    return b.array();
  }

  /** struct xfrm_aevent_id: the SA (daddr, spi, family, proto), its source, flags, reqid (0: any). */
  static byte[] aeventId(InetAddress src, InetAddress dst, int spi, int proto, int flags) {
    ByteBuffer b = le(Xfrm.SIZEOF_AEVENT_ID);
    b.put(0, usersaId(dst, spi, proto));
    putAddress(b, Xfrm.SIZEOF_USERSA_ID, src);
    b.putInt(Xfrm.SIZEOF_USERSA_ID + 16, flags);
    return b.array();
  }
}
