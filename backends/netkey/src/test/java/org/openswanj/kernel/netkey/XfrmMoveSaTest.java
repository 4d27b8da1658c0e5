package org.openswanj.kernel.netkey;

import static org.junit.jupiter.api.Assertions.*;
import static org.openswanj.kernel.netkey.XfrmEncapUpdateTest.*;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.KernelFeature;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaTemplate;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;

/**
 * An SA moving to the peer's new address (RFC 7296 §2.23) on netkey: the NEWSA re-adding it at the new addresses,
 * byte by byte, and the backend's GETSA → DELSA → NEWSA → UPDPOLICY sequence against {@link FakeKernel}.
 */
class XfrmMoveSaTest {
  static final InetAddress NEW_WEST = ip("192.1.2.46");
  static final SaId OUT_MOVED = new SaId(OUT.src(), NEW_WEST, OUT.spi(), IpsecProto.ESP);
  static final SaId IN_MOVED = new SaId(NEW_WEST, IN.dst(), IN.spi(), IpsecProto.ESP);

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** A GETSA reply whose XFRMA_REPLAY_VAL says {@code oseq} packets were sent, and curlft an add_time. */
  static byte[] sentSoFar(SaId id, UdpEncap encap, long oseq) {
    byte[] reply = getsaReply(id, cbcSpec(encap, new Replay(32, false)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(java.util.Arrays.copyOf(reply, 224));
    for (Attr a : Attr.parse(le(reply), 224)) {
      if (a.type() == Xfrm.XFRMA_REPLAY_VAL) {
        le(a.bytes()).putInt(0, (int) oseq);
      }
      a.writeTo(out);
    }
    byte[] b = out.toByteArray();
    le(b).putLong(XfrmCodec.SA_CURLFT + 16, 1_765_000_000L);
    return b;
  }

  @Test
  void newsaCarriesTheKeysTheReplayStateAndTheUsageToTheNewAddress() {
    byte[] reply = sentSoFar(OUT, new UdpEncap(4500, 40000), 1000);
    byte[] m = XfrmMessages.readd(le(reply), OUT_MOVED, new UdpEncap(4500, 40001)).orElseThrow();
    assertEquals("c001022e" + "00".repeat(12), hex(m, 56, 72), "id.daddr: the new address, the rest zero");
    assertEquals("c1a55e01", hex(m, 72, 76), "same SPI");
    assertEquals("c0010217", hex(m, 80, 84), "saddr: ours, unchanged");
    assertArrayEquals(java.util.Arrays.copyOfRange(reply, 96, 160), java.util.Arrays.copyOfRange(m, 96, 160),
        "lifetime limits unchanged");
    List<Attr> attrs = Attr.parse(le(m), 224);
    assertEquals(List.of(Xfrm.XFRMA_ALG_CRYPT, Xfrm.XFRMA_ALG_AUTH_TRUNC, Xfrm.XFRMA_REPLAY_VAL,
        Xfrm.XFRMA_LTIME_VAL, Xfrm.XFRMA_ENCAP), attrs.stream().map(Attr::type).toList(),
        "keys, replay state, usage, encap; no ALG_AUTH duplicate, no LASTUSED");
    assertEquals("00112233445566778899aabbccddeeff", hex(attrs.get(0).bytes(), 68, 84), "the SA's own key");
    assertEquals(1000, attrs.get(2).buffer().getInt(0), "oseq: the next packet is 1001 (RFC 4303 §3.3.3)");
    assertEquals(84_000, attrs.get(3).buffer().getLong(0), "curlft.bytes: the counters run on");
    assertEquals(1000, attrs.get(3).buffer().getLong(8), "curlft.packets");
    assertEquals(1_765_000_000L, attrs.get(3).buffer().getLong(16), "curlft.add_time: the lifetime runs on");
    assertEquals("0200" + "1194" + "9c41", hex(attrs.get(4).bytes(), 0, 6));
    // attribute lengths: 88 + 108 + (4 + 12) + (4 + 32) + 28, all multiples of 4
    assertEquals(224 + 88 + 108 + 16 + 36 + 28, m.length);
  }

  @Test
  void anSaWithoutNewPortsKeepsItsOwnEncapsulation() {
    byte[] m = XfrmMessages.readd(le(sentSoFar(OUT, new UdpEncap(4500, 40000), 5)), OUT, null).orElseThrow();
    Attr encap = Attr.find(Attr.parse(le(m), 224), Xfrm.XFRMA_ENCAP);
    assertEquals("0200" + "1194" + "9c40", hex(encap.bytes(), 0, 6));
  }

  private static NetkeyBackend backendWithChild(FakeKernel k) throws KernelException {
    k.put(OUT, sentSoFar(OUT, new UdpEncap(4500, 40000), 1000));
    k.put(IN, sentSoFar(IN, new UdpEncap(40000, 4500), 0));
    NetkeyBackend backend = new NetkeyBackend(k);
    Selector ours = Selector.of(ip("192.0.2.0"), 24, ip("192.0.1.0"), 24);
    PolicySpec out = new PolicySpec(PolicyAction.IPSEC, SaTemplate.esp(IpsecMode.TUNNEL, OUT.src(), OUT.dst(),
        OUT.spi()), 7, 0, "natmove");
    PolicySpec in = new PolicySpec(PolicyAction.IPSEC, SaTemplate.esp(IpsecMode.TUNNEL, IN.src(), IN.dst(), 0), 7,
        0, "natmove");
    backend.replacePolicy(new PolicyId(ours, PolicyDirection.OUT), out);
    backend.replacePolicy(new PolicyId(ours.reversed(), PolicyDirection.IN), in);
    backend.replacePolicy(new PolicyId(ours.reversed(), PolicyDirection.FWD), in);
    // another conn's SA between the same hosts (reqid 8): its policy must stay
    backend.replacePolicy(new PolicyId(Selector.of(ip("10.2.0.0"), 24, ip("10.1.0.0"), 24), PolicyDirection.OUT),
        new PolicySpec(PolicyAction.IPSEC, SaTemplate.esp(IpsecMode.TUNNEL, OUT.src(), OUT.dst(), 0x99), 8, 0,
            "other"));
    k.asked.clear();
    k.policies.clear();
    return backend;
  }

  @Test
  void bothSasOfAChildAndTheirPoliciesMoveToTheNewAddress() throws Exception {
    FakeKernel k = new FakeKernel();
    NetkeyBackend backend = backendWithChild(k);
    assertTrue(backend.features().contains(KernelFeature.ADDRESS_UPDATE));
    backend.moveSa(OUT, OUT_MOVED, new UdpEncap(4500, 40001));
    backend.moveSa(IN, IN_MOVED, new UdpEncap(40001, 4500));
    // the inbound SA keeps its key (our address, SPI): the kernel would refuse NEWSA (EEXIST) before the DELSA
    assertEquals(List.of("GETSA c001022d/c1a55e01", "DELSA c001022d/c1a55e01", "NEWSA c001022e/c1a55e01",
        "UPDPOLICY", "GETSA c0010217/c1a55e02", "DELSA c0010217/c1a55e02", "NEWSA c0010217/c1a55e02", "UPDPOLICY",
        "UPDPOLICY"), k.asked);
    assertEquals(1000, Attr.find(Attr.parse(le(k.added.get(0)), 224), Xfrm.XFRMA_REPLAY_VAL).buffer().getInt(0));
    assertEquals("c001022e", hex(k.added.get(1), 80, 84), "inbound SA: from the new address");
    // struct xfrm_user_tmpl after the policy info and the attribute header: daddr@0, saddr@28
    int tmpl = 168 + 4;
    assertEquals("c001022e", hex(k.policies.get(0), tmpl, tmpl + 4), "out policy: to the new address");
    assertEquals("c0010217", hex(k.policies.get(0), tmpl + 28, tmpl + 32));
    for (byte[] p : k.policies.subList(1, 3)) {
      assertEquals("c0010217", hex(p, tmpl, tmpl + 4), "in/fwd policy: to us");
      assertEquals("c001022e", hex(p, tmpl + 28, tmpl + 32), "from the new address");
    }
    backend.deleteSa(OUT_MOVED);
    assertEquals("DELSA c001022e/c1a55e01", k.asked.get(k.asked.size() - 1), "the backend tracks the moved SA");
  }

  @Test
  void aRefusedNewSaPutsTheOldOneBack() throws Exception {
    FakeKernel k = new FakeKernel();
    NetkeyBackend backend = backendWithChild(k);
    k.refuseNewsa = true;
    KernelException e = assertThrows(KernelException.class,
        () -> backend.moveSa(OUT, OUT_MOVED, new UdpEncap(4500, 40001)));
    assertEquals("cannot move SA esp:0xc1a55e01 192.1.2.23→192.1.2.45 to 192.1.2.23→192.1.2.46: invalid argument "
        + "(EINVAL); the SA stays at its old addresses", e.getMessage());
    assertEquals(List.of("GETSA c001022d/c1a55e01", "DELSA c001022d/c1a55e01", "NEWSA c001022e/c1a55e01",
        "NEWSA c001022d/c1a55e01"), k.asked, "no policy moved");
    assertEquals(1000, Attr.find(Attr.parse(le(k.added.get(0)), 224), Xfrm.XFRMA_REPLAY_VAL).buffer().getInt(0),
        "put back with its sequence number");
  }

  @Test
  void aTransportModeSaOrAnotherSpiIsRefusedBeforeAnythingChanges() throws Exception {
    FakeKernel k = new FakeKernel();
    byte[] transport = sentSoFar(OUT, new UdpEncap(4500, 40000), 3);
    transport[XfrmCodec.SA_MODE] = (byte) Xfrm.MODE_TRANSPORT;
    k.put(OUT, transport);
    NetkeyBackend backend = new NetkeyBackend(k);
    KernelException e = assertThrows(KernelException.class, () -> backend.moveSa(OUT, OUT_MOVED, null));
    assertTrue(e.getMessage().endsWith("a transport-mode SA's selectors name its addresses; only tunnel-mode SAs "
        + "move"), e.getMessage());
    KernelException spi = assertThrows(KernelException.class,
        () -> backend.moveSa(OUT, new SaId(OUT.src(), NEW_WEST, 0x1234, IpsecProto.ESP), null));
    assertTrue(spi.getMessage().endsWith(": the SPI, protocol and address family must stay"), spi.getMessage());
    assertEquals(List.of("GETSA c001022d/c1a55e01"), k.asked, "no DELSA");
  }
}
