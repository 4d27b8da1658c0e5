package org.openswanj.kernel.netkey;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.Encapsulation;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.Lifetime;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaBinding;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTemplate;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;

/**
 * Byte layouts of the XFRM structs, checked against offsets derived from {@code <linux/xfrm.h>} on x86_64
 * (gcc offsetof: xfrm_selector 56 bytes, family@40, prefixlen_d@42, prefixlen_s@43, proto@44;
 * xfrm_usersa_info 224 bytes, id.daddr@56, id.spi@72, id.proto@76, saddr@80, lft@96, curlft@160,
 * stats@192, reqid@208, family@212, mode@214, replay_window@215, flags@216; xfrm_user_tmpl 64 bytes,
 * family@24, saddr@28, reqid@44, mode@48; xfrm_user_mapping 64 bytes, old_saddr@28, new_saddr@44,
 * old_sport@60, new_sport@62).
 */
class XfrmCodecTest {
  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  static String hex(byte[] b, int from, int to) {
    return HexFormat.of().formatHex(b, from, to);
  }

  @Test
  void selectorLayout() throws Exception {
    Selector s = new Selector(ip("10.1.0.0"), 24, ip("10.2.0.0"), 16, 17, 500, 4500);
    ByteBuffer b = XfrmCodec.le(56);
    XfrmCodec.putSelector(b, 0, s);
    byte[] a = b.array();
    assertEquals("0a020000", hex(a, 0, 4), "daddr first, network order");
    assertEquals("0a010000", hex(a, 16, 20), "saddr at 16");
    assertEquals("1194ffff01f4ffff", hex(a, 32, 40), "dport 4500, mask, sport 500, mask: big-endian");
    assertEquals("0200", hex(a, 40, 42), "family AF_INET, host order");
    assertEquals("101811", hex(a, 42, 45), "prefixlen_d 16, prefixlen_s 24, proto 17");
    assertEquals("00".repeat(11), hex(a, 45, 56), "padding, ifindex, user");
    assertEquals(s, XfrmParse.selector(b, 0), "decodes back to the same selector");
  }

  @Test
  void ipv6SelectorUsesAllSixteenBytes() throws Exception {
    Selector s = Selector.of(ip("2001:db8::1"), 128, ip("2001:db8:1::"), 48);
    ByteBuffer b = XfrmCodec.le(56);
    XfrmCodec.putSelector(b, 0, s);
    assertEquals("20010db8000100000000000000000000", hex(b.array(), 0, 16));
    assertEquals("0a00", hex(b.array(), 40, 42), "AF_INET6 = 10");
    assertEquals(s, XfrmParse.selector(b, 0));
  }

  @Test
  void usersaInfoLayout() throws Exception {
    SaId id = new SaId(ip("192.0.2.2"), ip("192.0.2.1"), 0xc0ffee01, IpsecProto.ESP);
    SaSpec spec = gcmSpec(Selector.of(ip("10.2.0.0"), 24, ip("10.1.0.0"), 24), 32, false);
    byte[] m = XfrmMessages.sa(id, spec, Ownership.REQID_TAG | 5);
    ByteBuffer b = le(m);
    assertEquals("c0000201", hex(m, 56, 60), "id.daddr");
    assertEquals("c0ffee01", hex(m, 72, 76), "id.spi big-endian");
    assertEquals(50, m[76], "id.proto ESP");
    assertEquals("c0000202", hex(m, 80, 84), "saddr");
    assertEquals(-1L, b.getLong(96), "soft byte limit: XFRM_INF when none");
    assertEquals(3600L, b.getLong(96 + 40), "hard_add_expires_seconds");
    assertEquals(0x4f530005, b.getInt(208), "tagged reqid, host order");
    assertEquals(2, b.getShort(212), "family");
    assertEquals(1, m[214], "mode tunnel");
    assertEquals(32, m[215], "replay window");
    assertEquals(0, m[216], "no flags without ESN");
    // then XFRMA_ALG_AEAD: nlattr len = 4 + 72 + 20 = 96, type 18
    assertEquals(96, b.getShort(224));
    assertEquals(18, b.getShort(226));
    assertEquals("rfc4106(gcm(aes))", new String(m, 228, 17, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(0, m[228 + 17], "name NUL-terminated");
    assertEquals(160, b.getInt(228 + 64), "key bits include the 4-byte salt");
    assertEquals(128, b.getInt(228 + 68), "ICV bits of AES_GCM_16");
    assertEquals("000102030405060708090a0b0c0d0e0f10111213", hex(m, 228 + 72, 228 + 92));
    assertEquals(224 + 96, m.length, "nothing else without encap or ESN");
  }

  /** A takeover's outbound SA carries the replay state: the kernel's next packet is firstOutboundSeq. */
  @Test
  void aFirstOutboundSequenceNumberBecomesTheReplayState() throws Exception {
    SaId id = new SaId(ip("192.0.2.1"), ip("192.0.2.2"), 0x1234, IpsecProto.ESP);
    SaSpec base = gcmSpec(Selector.of(ip("10.1.0.0"), 24, ip("10.2.0.0"), 24), 0, false);
    SaSpec spec = new SaSpec(Direction.OUTBOUND, base.transform(), base.encapsulation(),
        new Replay(0, false, 131_073), base.binding(), Lifetime.NONE);
    var attrs = Attr.parse(le(XfrmMessages.sa(id, spec, 5)), 224);
    Attr rs = attrs.stream().filter(a -> a.type() == Xfrm.XFRMA_REPLAY_VAL).findFirst().orElseThrow();
    assertEquals(12, rs.bytes().length);
    assertEquals(131_072, rs.buffer().getInt(0), "oseq: the last number used");
    SaSpec fresh = new SaSpec(Direction.OUTBOUND, base.transform(), base.encapsulation(), Replay.NONE,
        base.binding(), Lifetime.NONE);
    assertTrue(Attr.parse(le(XfrmMessages.sa(id, fresh, 5)), 224).stream()
        .noneMatch(a -> a.type() == Xfrm.XFRMA_REPLAY_VAL), "a new SA starts at 1 as the kernel does");
  }

  @Test
  void esnAndEncapAttributes() throws Exception {
    SaId id = new SaId(ip("192.0.2.2"), ip("192.0.2.1"), 0x1234, IpsecProto.ESP);
    SaSpec base = gcmSpec(Selector.of(ip("10.2.0.0"), 24, ip("10.1.0.0"), 24), 64, true);
    SaSpec spec = new SaSpec(Direction.INBOUND, new SaTransform(Encryption.AES_CBC, new SecretKey(new byte[16]),
        Integrity.HMAC_SHA2_256_128, new SecretKey(new byte[32])),
        new Encapsulation(IpsecMode.TUNNEL, new UdpEncap(4500, 4501)), new Replay(64, true), base.binding(),
        Lifetime.NONE);
    byte[] m = XfrmMessages.sa(id, spec, 5);
    ByteBuffer b = le(m);
    assertEquals(0, m[215], "the kernel wants replay_window 0 when ESN carries it");
    assertEquals(128, m[216] & 0xff, "XFRM_STATE_ESN");
    var attrs = Attr.parse(b, 224);
    assertEquals(4, attrs.size(), "crypt, auth-trunc, encap, replay-esn");
    assertEquals(Xfrm.XFRMA_ALG_CRYPT, attrs.get(0).type());
    assertEquals(128, attrs.get(0).buffer().getInt(64));
    Attr auth = attrs.get(1);
    assertEquals(Xfrm.XFRMA_ALG_AUTH_TRUNC, auth.type());
    assertEquals(256, auth.buffer().getInt(64), "hmac(sha256) key bits");
    assertEquals(128, auth.buffer().getInt(68), "truncated to 128 bits (RFC 4868)");
    Attr encap = attrs.get(2);
    assertEquals(Xfrm.XFRMA_ENCAP, encap.type());
    assertEquals("0200" + "1194" + "1195", hex(encap.bytes(), 0, 6), "ESPINUDP, sport 4500, dport 4501");
    Attr esn = attrs.get(3);
    assertEquals(Xfrm.XFRMA_REPLAY_ESN_VAL, esn.type());
    assertEquals(24 + 8, esn.bytes().length, "header + 2 bitmap words for 64 packets");
    assertEquals(2, esn.buffer().getInt(0), "bmp_len");
    assertEquals(64, esn.buffer().getInt(20), "replay_window");
  }

  @Test
  void policyWithTemplate() throws Exception {
    Selector sel = Selector.of(ip("10.1.0.0"), 24, ip("10.2.0.0"), 24);
    PolicySpec spec = new PolicySpec(PolicyAction.IPSEC,
        SaTemplate.esp(IpsecMode.TUNNEL, ip("192.0.2.1"), ip("192.0.2.2"), 0), 9, 0, "t");
    byte[] m = XfrmMessages.policy(new PolicyId(sel, PolicyDirection.OUT), spec, 0x1234a5, Ownership.REQID_TAG | 9);
    ByteBuffer b = le(m);
    assertEquals(0x1234a5, b.getInt(152), "priority");
    assertEquals(1, m[160], "dir out");
    assertEquals(0, m[161], "action allow");
    assertEquals(4 + 64, b.getShort(168), "one XFRMA_TMPL");
    assertEquals(Xfrm.XFRMA_TMPL, b.getShort(170));
    int t = 172;
    assertEquals("c0000202", hex(m, t, t + 4), "tmpl id.daddr = tunnel dst");
    assertEquals(50, m[t + 20], "tmpl proto");
    assertEquals(2, b.getShort(t + 24), "tmpl family");
    assertEquals("c0000201", hex(m, t + 28, t + 32), "tmpl saddr");
    assertEquals(0x4f530009, b.getInt(t + 44), "tmpl reqid");
    assertEquals(1, m[t + 48], "tmpl mode tunnel");
    assertEquals(-1, b.getInt(t + 56), "any encryption algorithm");
    var pol = XfrmParse.policy(b, 0, 168).orElseThrow();
    assertEquals(ip("192.0.2.2"), pol.tmpls().get(0).dst());
  }

  @Test
  void shuntsHaveNoTemplateAndDropBlocks() throws Exception {
    PolicyId id = new PolicyId(Selector.of(ip("10.1.0.0"), 24, ip("10.3.0.0"), 24), PolicyDirection.OUT);
    byte[] pass = XfrmMessages.policy(id, PolicySpec.shunt(PolicyAction.PASS, "p"), 1, 0);
    byte[] drop = XfrmMessages.policy(id, PolicySpec.shunt(PolicyAction.DROP, "d"), 1, 0);
    byte[] reject = XfrmMessages.policy(id, PolicySpec.shunt(PolicyAction.REJECT, "r"), 1, 0);
    byte[] trap = XfrmMessages.policy(id, PolicySpec.shunt(PolicyAction.TRAP, "t"), 1, 0);
    assertEquals(168, pass.length);
    assertEquals(0, pass[161]);
    assertEquals(1, drop[161], "XFRM_POLICY_BLOCK");
    assertEquals(1, reject[161]);
    assertEquals(168 + 68, trap.length, "%trap carries a template so the kernel raises ACQUIRE");
    assertEquals("0a030000", hex(trap, 172, 176), "trap template defaults to the selector's destination");
  }

  @Test
  void netlinkFrameAndParse() {
    byte[] f = NetlinkSocket.frame(Xfrm.MSG_GETSA, NetlinkSocket.NLM_F_REQUEST | NetlinkSocket.NLM_F_DUMP, 7,
        new byte[] {1, 2, 3, 4});
    assertEquals("14000000" + "1200" + "0103" + "07000000" + "00000000" + "01020304", hex(f, 0, f.length));
    var msgs = NetlinkSocket.parse(le(f));
    assertEquals(1, msgs.size());
    assertEquals(Xfrm.MSG_GETSA, msgs.get(0).type());
    assertEquals(4, msgs.get(0).payload().limit());
    f[0] = 0x7f; // a length past the end of the datagram
    assertTrue(NetlinkSocket.parse(le(f)).isEmpty(), "a lying length ends the walk, no exception");
  }

  @Test
  void extackTextIsRead() {
    // NLMSG_ERROR, flags CAPPED|ACK_TLVS: error -93, echoed header (16 bytes), then NLMSGERR_ATTR_MSG
    ByteBuffer p = XfrmCodec.le(4 + 16 + 4 + 12);
    p.putInt(0, -93).putInt(4, 16);
    p.putShort(20, (short) (4 + 11)).putShort(22, (short) 1);
    p.put(24, "Not found\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    var m = new NetlinkSocket.Message(NetlinkSocket.NLMSG_ERROR, 0x300, 1, p);
    assertEquals("Not found", NetlinkSocket.extack(m));
  }

  @Test
  void mappingAndExpireEvents() throws Exception {
    ByteBuffer b = XfrmCodec.le(64);
    XfrmCodec.putAddress(b, 0, ip("192.0.2.1"));
    XfrmCodec.putBe32(b, 16, 0xabcd);
    b.putShort(20, (short) 2).put(22, (byte) 50);
    XfrmCodec.putAddress(b, 28, ip("198.51.100.7"));
    XfrmCodec.putAddress(b, 44, ip("198.51.100.9"));
    XfrmCodec.putBe16(b, 60, 4500);
    XfrmCodec.putBe16(b, 62, 31000);
    var map = XfrmParse.mapping(b).orElseThrow();
    assertEquals(0xabcd, map.sa().spi());
    assertEquals(ip("198.51.100.7"), map.sa().src());
    assertEquals("198.51.100.9", map.newPeer().getAddress().getHostAddress());
    assertEquals(31000, map.newPeer().getPort());
    assertTrue(XfrmParse.mapping(b.slice(0, 40)).isEmpty(), "short message: no event, no exception");

    byte[] exp = new byte[232];
    SaId id = new SaId(ip("192.0.2.2"), ip("192.0.2.1"), 0x77, IpsecProto.ESP);
    System.arraycopy(XfrmMessages.sa(id, gcmSpec(Selector.of(ip("10.0.0.0"), 8, ip("10.0.0.0"), 8), 0, false), 1),
        0, exp, 0, 224);
    exp[224] = 1;
    le(exp).putLong(176, 1_765_000_000L);
    var e = XfrmParse.expire(le(exp)).orElseThrow();
    assertEquals(id, e.sa());
    assertTrue(e.hard());
    // curlft.add_time of the expired state (xfrm_usersa_info: sel 56, id 24, saddr 16, lft 64, then curlft)
    assertEquals(1_765_000_000L, XfrmParse.expireAddTime(le(exp)));
    assertEquals(0L, XfrmParse.expireAddTime(le(new byte[100])), "short message: 0, no exception");
  }

  static SaSpec gcmSpec(Selector sel, int window, boolean esn) {
    byte[] key = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f10111213");
    return new SaSpec(Direction.INBOUND, SaTransform.aead(Encryption.AES_GCM_16, new SecretKey(key)),
        new Encapsulation(IpsecMode.TUNNEL, null), new Replay(window, esn), new SaBinding("t", 5, sel),
        new Lifetime(0, 0, 3000, 3600));
  }
}
