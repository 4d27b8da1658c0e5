package org.openswanj.kernel.netkey;

import static org.junit.jupiter.api.Assertions.*;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.Encapsulation;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.Lifetime;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaBinding;
import org.openswanj.kernel.SaEndpoints;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTemplate;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;

/** NetkeyBackend against this machine's kernel, each test in a fresh network namespace, checked with {@code ip xfrm}. */
class NetkeyBackendNetnsTest {
  private Netns ns;
  private NetkeyBackend kernel;

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @BeforeEach
  void setUp() throws Exception {
    ns = Netns.enter("nktest");
    ns.ip("addr", "add", "10.1.0.1/32", "dev", "lo");
    ns.ip("addr", "add", "10.2.0.1/32", "dev", "lo");
    // The kernel exempts loopback from XFRM (IN_DEV_NOXFRM/NOPOLICY on lo); these tests need it applied.
    Netns.run("ip", "netns", "exec", ns.name, "sysctl", "-qw", "net.ipv4.conf.lo.disable_xfrm=0",
        "net.ipv4.conf.lo.disable_policy=0");
    kernel = new NetkeyBackend();
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (kernel != null) {
        kernel.close();
      }
    } finally {
      ns.close();
    }
  }

  static PolicySpec tunnel(PolicyAction a, String src, String dst, int reqid) throws Exception {
    return new PolicySpec(a, SaTemplate.esp(IpsecMode.TUNNEL, ip(src), ip(dst), 0), reqid, 0, "t");
  }

  @Test
  void policiesAreAddedListedAndDeleted() throws Exception {
    Selector sel = Selector.of(ip("10.1.0.0"), 24, ip("10.2.0.0"), 24);
    PolicyId out = new PolicyId(sel, PolicyDirection.OUT);
    PolicyId in = new PolicyId(sel.reversed(), PolicyDirection.IN);
    PolicyId fwd = new PolicyId(sel.reversed(), PolicyDirection.FWD);
    kernel.addPolicy(out, tunnel(PolicyAction.IPSEC, "192.0.2.1", "192.0.2.2", 7));
    kernel.addPolicy(in, tunnel(PolicyAction.IPSEC, "192.0.2.2", "192.0.2.1", 7));
    kernel.addPolicy(fwd, tunnel(PolicyAction.IPSEC, "192.0.2.2", "192.0.2.1", 7));
    String shown = ns.ip("xfrm", "policy");
    assertTrue(shown.contains("src 10.1.0.0/24 dst 10.2.0.0/24 \n\tdir out priority "), shown);
    assertTrue(shown.contains("src 10.2.0.0/24 dst 10.1.0.0/24 \n\tdir in priority "), shown);
    assertTrue(shown.contains("src 10.2.0.0/24 dst 10.1.0.0/24 \n\tdir fwd priority "), shown);
    assertTrue(shown.contains("tmpl src 192.0.2.1 dst 192.0.2.2\n\t\tproto esp reqid " + (0x4f530000 | 7)
        + " mode tunnel"), shown);
    assertTrue(kernel.describe().stream().anyMatch(l -> l.startsWith("src 10.1.0.0/24 dst 10.2.0.0/24 dir out")
        && l.contains("tmpl src 192.0.2.1 dst 192.0.2.2 proto esp")), kernel.describe().toString());

    kernel.deletePolicy(out);
    kernel.deletePolicy(in);
    kernel.deletePolicy(fwd);
    assertEquals("", ns.ip("xfrm", "policy").trim());
  }

  @Test
  void shuntsAndPrioritiesMostSpecificWins() throws Exception {
    PolicyId net = new PolicyId(Selector.of(ip("10.1.0.0"), 16, ip("10.2.0.0"), 16), PolicyDirection.OUT);
    PolicyId host = new PolicyId(Selector.of(ip("10.1.0.1"), 32, ip("10.2.0.1"), 32), PolicyDirection.OUT);
    kernel.addPolicy(net, PolicySpec.shunt(PolicyAction.DROP, "d"));
    kernel.addPolicy(host, PolicySpec.shunt(PolicyAction.PASS, "p"));
    String shown = ns.ip("xfrm", "policy");
    long pNet = priorityOf(shown, "src 10.1.0.0/16");
    long pHost = priorityOf(shown, "src 10.1.0.1/32");
    assertTrue(pHost < pNet, "the /32 must win over the /16: " + shown);
    assertTrue(shown.contains("action block"), "%drop is a block policy: " + shown);
    // the /32 %pass beats the /16 %drop: the datagram leaves
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ip("10.1.0.1"), 0));
        DatagramSocket r = new DatagramSocket(new InetSocketAddress(ip("10.2.0.1"), 5555))) {
      r.setSoTimeout(3000);
      s.send(new DatagramPacket(new byte[] {42}, 1, new InetSocketAddress(ip("10.2.0.1"), 5555)));
      DatagramPacket got = new DatagramPacket(new byte[8], 8);
      r.receive(got);
      assertEquals(42, got.getData()[0]);
    }
    kernel.replacePolicy(host, PolicySpec.shunt(PolicyAction.REJECT, "r"));
    assertEquals(2, ns.ip("xfrm", "policy").split("action block", -1).length - 1, "both now block");
  }

  @Test
  void aPacketBlockedByADropPolicyIsCountedAsAKernelDrop() throws Exception {
    assertEquals(0L, kernel.dataPathDrops().getOrDefault("out_pol_block", 0L), kernel.dataPathDrops().toString());
    PolicyId host = new PolicyId(Selector.of(ip("10.1.0.1"), 32, ip("10.2.0.1"), 32), PolicyDirection.OUT);
    kernel.addPolicy(host, PolicySpec.shunt(PolicyAction.DROP, "d"));
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ip("10.1.0.1"), 0))) {
      for (int i = 0; i < 2; i++) {
        try {
          s.send(new DatagramPacket(new byte[] {42}, 1, new InetSocketAddress(ip("10.2.0.1"), 5555)));
        } catch (java.io.IOException blocked) {
          // EPERM: the block policy refused it, which is what this test counts
        }
      }
    }
    assertEquals(2L, kernel.dataPathDrops().get("out_pol_block"), kernel.dataPathDrops().toString());
  }

  private static long priorityOf(String ipXfrmPolicy, String head) {
    int at = ipXfrmPolicy.indexOf(head);
    assertTrue(at >= 0, head + " not in " + ipXfrmPolicy);
    String rest = ipXfrmPolicy.substring(ipXfrmPolicy.indexOf("priority ", at) + 9);
    return Long.parseLong(rest.split("\\s")[0]);
  }

  @Test
  void duplicateAndMissingPoliciesAreReportedInWords() throws Exception {
    PolicyId id = new PolicyId(Selector.of(ip("10.1.0.0"), 24, ip("10.2.0.0"), 24), PolicyDirection.OUT);
    kernel.addPolicy(id, PolicySpec.shunt(PolicyAction.PASS, "p"));
    KernelException dup = assertThrows(KernelException.class,
        () -> kernel.addPolicy(id, PolicySpec.shunt(PolicyAction.PASS, "p")));
    assertEquals(17, dup.errno());
    assertTrue(dup.getMessage().startsWith("cannot add pass policy 10.1.0.0/24 -> 10.2.0.0/24 dir out: the policy "
        + "already exists (EEXIST)"), dup.getMessage());
    PolicyId other = new PolicyId(id.selector(), PolicyDirection.IN);
    KernelException gone = assertThrows(KernelException.class, () -> kernel.deletePolicy(other));
    assertTrue(gone.getMessage().startsWith("cannot delete policy 10.1.0.0/24 -> 10.2.0.0/24 dir in: no such policy (ENOENT)"),
        gone.getMessage());
  }

  @Test
  void spisAreAllocatedAndSeenInIpXfrmState() throws Exception {
    SaEndpoints ends = new SaEndpoints(ip("192.0.2.2"), ip("192.0.2.1"));
    int a = kernel.allocateSpi(ends, IpsecProto.ESP);
    int b = kernel.allocateSpi(ends, IpsecProto.ESP);
    assertNotEquals(a, b);
    assertTrue(Integer.compareUnsigned(a, 0x100) >= 0, "RFC 4303: never a reserved SPI");
    String shown = ns.ip("xfrm", "state");
    assertTrue(shown.contains(String.format("proto esp spi 0x%08x", a)), shown);
    assertTrue(shown.contains(String.format("proto esp spi 0x%08x", b)), shown);
    assertTrue(shown.contains("src 192.0.2.2 dst 192.0.2.1"), shown);
    kernel.flush();
    assertEquals("", ns.ip("xfrm", "state").trim(), "flush releases the reserved SPIs");
  }

  @Test
  void saInstallWithoutEspTransformIsRefusedInWords() throws Exception {
    Assumptions.assumeFalse(Files.exists(Path.of("/sys/module/esp4")), "this kernel has ESP: nothing to refuse");
    SaEndpoints ends = new SaEndpoints(ip("192.0.2.2"), ip("192.0.2.1"));
    int spi = kernel.allocateSpi(ends, IpsecProto.ESP);
    SaId id = new SaId(ends.src(), ends.dst(), spi, IpsecProto.ESP);
    SaSpec cbc = new SaSpec(Direction.INBOUND, new SaTransform(Encryption.AES_CBC, new SecretKey(new byte[16]),
        Integrity.HMAC_SHA2_256_128, new SecretKey(new byte[32])), new Encapsulation(IpsecMode.TUNNEL, null),
        new Replay(32, false), new SaBinding("t", 3, Selector.of(ip("10.2.0.0"), 24, ip("10.1.0.0"), 24)),
        Lifetime.NONE);
    KernelException e = assertThrows(KernelException.class, () -> kernel.addSa(id, cbc));
    assertTrue(e.getMessage().startsWith(String.format("cannot add SA esp:0x%08x 192.0.2.2→192.0.2.1: the kernel has "
        + "no ESP transform (EPROTONOSUPPORT): load the esp4/esp6 module", spi)), e.getMessage());
    assertEquals(93, e.errno());

    SaSpec gcm = XfrmCodecTest.gcmSpec(cbc.binding().selector(), 32, false);
    KernelException g = assertThrows(KernelException.class, () -> kernel.addSa(id, gcm));
    assertTrue(g.getMessage().contains("algorithm not supported by the kernel: rfc4106(gcm(aes))"), g.getMessage());
  }

  @Test
  void anAlgorithmWithoutAnXfrmNameIsRefusedBeforeTheKernelSeesIt() throws Exception {
    SaId id = new SaId(ip("192.0.2.2"), ip("192.0.2.1"), 0x4321, IpsecProto.ESP);
    SaSpec twofish = new SaSpec(Direction.INBOUND, new SaTransform(Encryption.TWOFISH_CBC, new SecretKey(new byte[16]),
        Integrity.HMAC_SHA1_96, new SecretKey(new byte[20])), new Encapsulation(IpsecMode.TUNNEL, null),
        new Replay(32, false), new SaBinding("t", 3, Selector.of(ip("10.2.0.0"), 24, ip("10.1.0.0"), 24)),
        Lifetime.NONE);
    KernelException e = assertThrows(KernelException.class, () -> kernel.addSa(id, twofish));
    assertEquals("cannot add SA esp:0x00004321 192.0.2.2→192.0.2.1: TWOFISH_CBC is not implemented (no XFRM "
        + "algorithm name)", e.getMessage());
  }

  @Test
  void missingSaIsReportedInWords() throws Exception {
    SaId id = new SaId(ip("192.0.2.2"), ip("192.0.2.1"), 0xdead, IpsecProto.ESP);
    KernelException q = assertThrows(KernelException.class, () -> kernel.querySa(id));
    assertTrue(q.getMessage().matches("cannot query SA esp:0x0000dead 192.0.2.2→192.0.2.1: no such SA \\((ENOENT|ESRCH)\\)"),
        q.getMessage());
    KernelException d = assertThrows(KernelException.class, () -> kernel.deleteSa(id));
    assertTrue(d.getMessage().contains("no such SA"), d.getMessage());
  }

  @Test
  void trapPolicyRaisesAcquireWhenAPacketHitsIt() throws Exception {
    LinkedBlockingQueue<KernelEvent> events = new LinkedBlockingQueue<>();
    kernel.setListener(events::add);
    Selector sel = Selector.of(ip("10.1.0.1"), 32, ip("10.2.0.1"), 32);
    kernel.addPolicy(new PolicyId(sel, PolicyDirection.OUT),
        new PolicySpec(PolicyAction.TRAP, SaTemplate.ESP_TUNNEL, 4242, 0, "trap"));
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ip("10.1.0.1"), 0))) {
      s.send(new DatagramPacket(new byte[] {1}, 1, new InetSocketAddress(ip("10.2.0.1"), 7777)));
    } catch (java.io.IOException held) {
      // the kernel may refuse the first packet while it waits for an SA (EAGAIN): that is the point
    }
    KernelEvent e = events.poll(10, TimeUnit.SECONDS);
    assertNotNull(e, "no ACQUIRE within 10 s");
    KernelEvent.Acquire a = assertInstanceOf(KernelEvent.Acquire.class, e);
    assertEquals(ip("10.1.0.1"), a.packet().src());
    assertEquals(ip("10.2.0.1"), a.packet().dst());
    assertEquals(17, a.packet().protocol(), "the packet was UDP");
    assertEquals(7777, a.packet().dstPort());
    assertEquals(4242, a.reqid(), "reqid comes back as pluto gave it (untagged)");
    assertEquals(new PolicyId(sel, PolicyDirection.OUT), a.policy());
  }

  /**
   * The kernel announces the hard expiry of ALLOCSPI's larval SA when net.core.xfrm_acq_expires runs out; pluto
   * handles events later on its event loop, by when the Child SA may be added under that SPI, so the backend must
   * drop it (VM scenario g lost a Child SA that way). A larval SA not ours (ip xfrm state allocspi) shows that
   * the kernel did send the expiry and the reader did read it.
   */
  @Test
  void theExpiryOfOurLarvalSpiIsNotDelivered() throws Exception {
    Netns.run("ip", "netns", "exec", ns.name, "sysctl", "-qw", "net.core.xfrm_acq_expires=1");
    LinkedBlockingQueue<KernelEvent> events = new LinkedBlockingQueue<>();
    kernel.setListener(events::add);
    SaEndpoints ends = new SaEndpoints(ip("192.0.2.2"), ip("192.0.2.1"));
    int ours = kernel.allocateSpi(ends, IpsecProto.ESP);
    String other = ns.ip("xfrm", "state", "allocspi", "src", "192.0.2.3", "dst", "192.0.2.1", "proto", "esp",
        "min", "0x100", "max", "0xfff");
    assertTrue(other.contains("spi 0x"), other);
    KernelEvent e = events.poll(10, TimeUnit.SECONDS);
    assertNotNull(e, "no expiry of the larval SA made with ip xfrm state allocspi within 10 s");
    KernelEvent.Expire x = assertInstanceOf(KernelEvent.Expire.class, e);
    assertTrue(x.hard());
    assertEquals(ip("192.0.2.3"), x.sa().src(), "the expiry is the other larval SA's: " + x);
    KernelEvent more = events.poll(1500, TimeUnit.MILLISECONDS);
    assertNull(more, String.format("the expiry of our larval SPI 0x%08x was delivered", ours));
    assertFalse(ns.ip("xfrm", "state").contains("spi 0x"), "both larval SAs expired");
  }

  @Test
  void flushRemovesOnlyOurs() throws Exception {
    ns.ip("xfrm", "policy", "add", "src", "10.9.0.0/24", "dst", "10.8.0.0/24", "dir", "out", "action", "block");
    ns.ip("xfrm", "state", "allocspi", "src", "192.0.2.9", "dst", "192.0.2.1", "proto", "esp");
    kernel.addPolicy(new PolicyId(Selector.of(ip("10.1.0.0"), 24, ip("10.2.0.0"), 24), PolicyDirection.OUT),
        tunnel(PolicyAction.IPSEC, "192.0.2.1", "192.0.2.2", 1));
    kernel.allocateSpi(new SaEndpoints(ip("192.0.2.2"), ip("192.0.2.1")), IpsecProto.ESP);
    kernel.flush();
    String pol = ns.ip("xfrm", "policy");
    assertTrue(pol.contains("src 10.9.0.0/24 dst 10.8.0.0/24"), "the foreign policy survives: " + pol);
    assertFalse(pol.contains("10.1.0.0/24"), pol);
    String st = ns.ip("xfrm", "state");
    assertTrue(st.contains("src 192.0.2.9 dst 192.0.2.1"), "the foreign SPI survives: " + st);
    assertFalse(st.contains("src 192.0.2.2"), st);
  }

  @Test
  void cleanLeftoversRemovesAPreviousPlutosObjectsOnly() throws Exception {
    ns.ip("xfrm", "policy", "add", "src", "10.9.0.0/24", "dst", "10.8.0.0/24", "dir", "out", "action", "block");
    NetkeyBackend previous = new NetkeyBackend();
    previous.addPolicy(new PolicyId(Selector.of(ip("10.1.0.0"), 24, ip("10.2.0.0"), 24), PolicyDirection.OUT),
        tunnel(PolicyAction.IPSEC, "192.0.2.1", "192.0.2.2", 1));
    previous.addPolicy(new PolicyId(Selector.of(ip("10.1.0.0"), 24, ip("10.3.0.0"), 24), PolicyDirection.OUT),
        PolicySpec.shunt(PolicyAction.PASS, "p"));
    assertEquals(3, ns.ip("xfrm", "policy").split("dir out").length - 1);
    assertEquals(2, kernel.cleanLeftovers(), ns.ip("xfrm", "policy") + kernel.describe() +  "the new instance removes the previous one's two policies");
    String pol = ns.ip("xfrm", "policy");
    assertTrue(pol.contains("10.9.0.0/24") && !pol.contains("10.1.0.0/24"), pol);
    previous.close(); // its own flush finds them gone and does not complain
  }

  @Test
  void bypassedSocketSendsThroughABlockPolicy() throws Exception {
    kernel.addPolicy(new PolicyId(Selector.of(ip("10.1.0.1"), 32, ip("10.2.0.1"), 32), PolicyDirection.OUT),
        PolicySpec.shunt(PolicyAction.DROP, "d"));
    int fd = LibC.INSTANCE.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
    try (DatagramSocket r = new DatagramSocket(new InetSocketAddress(ip("10.2.0.1"), 5556))) {
      r.setSoTimeout(3000);
      byte[] to = sockaddrIn(ip("10.2.0.1"), 5556);
      LibC.INSTANCE.bind(fd, sockaddrIn(ip("10.1.0.1"), 0), 16);
      assertThrows(com.sun.jna.LastErrorException.class,
          () -> LibC.INSTANCE.sendto(fd, new byte[] {7}, 1, 0, to, 16), "the block policy stops a plain socket");
      NetkeyBackend.bypassSocket(fd, false);
      NetkeyBackend.enableUdpEncap(fd);
      LibC.INSTANCE.sendto(fd, new byte[] {7}, 1, 0, to, 16);
      DatagramPacket got = new DatagramPacket(new byte[4], 4);
      r.receive(got);
      assertEquals(7, got.getData()[0]);
    } finally {
      LibC.INSTANCE.close(fd);
    }
    KernelException bad = assertThrows(KernelException.class, () -> NetkeyBackend.bypassSocket(-1, false));
    assertTrue(bad.getMessage().startsWith("cannot exempt socket -1 from IPsec (IP_XFRM_POLICY, in): "), bad.getMessage());
    assertTrue(bad.getMessage().contains("(EBADF)"), bad.getMessage());
  }

  @Test
  void availableInANamespace() {
    assertTrue(NetkeyBackend.available());
  }

  static byte[] sockaddrIn(InetAddress a, int port) {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) LibC.AF_INET).order(ByteOrder.BIG_ENDIAN).putShort((short) port).put(a.getAddress());
    return b.array();
  }
}
