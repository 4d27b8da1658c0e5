package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.klips.net.MemoryNet;
import org.openswanj.kernel.klips.net.MemoryTun;

/**
 * %reject answers what it drops with an ICMP (RFC 792 type 3 code 13) or ICMPv6 (RFC 4443 type 1 code 1)
 * unreachable written to ipsecN, but never where RFC 1122 §3.2.2 and RFC 4443 §2.4(e) forbid an ICMP error: an ICMP
 * error (the answer itself, when the kernel routes it back into ipsecN and a %reject covers it too: else the two would
 * answer each other without end), a later fragment, a multicast or broadcast destination.
 */
class KlipsRejectTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final MemoryNet net = new MemoryNet();
  private KlipsBackend klips;
  private MemoryTun tun;

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    MemoryNet.Host h = net.host(ip("192.1.2.45"));
    klips = KlipsBackend.open(KlipsConfig.of(List.of(new KlipsConfig.Binding("ipsec0", "eth0"))), h);
    tun = h.tun("ipsec0");
    klips.addPolicy(new PolicyId(Selector.of(ip("10.0.0.0"), 8, ip("0.0.0.0"), 0), PolicyDirection.OUT),
        PolicySpec.shunt(PolicyAction.REJECT, "block"));
    klips.addPolicy(new PolicyId(Selector.of(ip("fd00::"), 8, ip("::"), 0), PolicyDirection.OUT),
        PolicySpec.shunt(PolicyAction.REJECT, "block6"));
  }

  @AfterEach
  void tearDown() {
    klips.close();
  }

  private static byte[] packet(String src, String dst, int proto, int fragField, byte[] l4) {
    return TunReadModel.packet(new TunReadModel.Ip(ip(src).getAddress(), ip(dst).getAddress(), proto, fragField, false,
        0), l4, 0x4242, false);
  }

  private static byte[] icmp(String src, String dst, int type) {
    boolean v4 = ip(src).getAddress().length == 4;
    return packet(src, dst, v4 ? TunReadModel.ICMP : TunReadModel.ICMPV6, 0,
        TunReadModel.icmp(type, 0, "ping".getBytes()));
  }

  private static byte[] udp(String src, String dst) {
    return packet(src, dst, TunReadModel.UDP, 0, TunReadModel.udp(4000, 53, "query".getBytes()));
  }

  /**
   * Routes {@code p} into ipsec0, then a UDP datagram of the same family that must be answered, and returns {@code p}'s
   * answer, or null if the first answer on ipsec0 is the datagram's. The data path keeps the order of one queue.
   */
  private byte[] answerTo(byte[] p) throws Exception {
    boolean v4 = TunReadModel.version(p) == 4;
    byte[] marker = v4 ? udp("10.9.9.9", "10.8.8.8") : udp("fd09::9", "fd08::8");
    assertTrue(tun.route(p));
    assertTrue(tun.route(marker));
    byte[] first = tun.delivered(WAIT);
    assertNotNull(first, "the datagram after it is answered");
    if (quotes(first, marker)) {
      return null;
    }
    assertTrue(quotes(first, p), "an answer quotes the packet it answers");
    assertTrue(quotes(tun.delivered(WAIT), marker), "then the datagram's answer");
    return first;
  }

  private static boolean quotes(byte[] answer, byte[] p) {
    int at = TunReadModel.version(answer) == 4 ? 28 : 48;
    int n = Math.min(p.length, answer.length - at);
    return answer.length > at && Arrays.equals(answer, at, at + n, p, 0, n)
        && Arrays.equals(TunReadModel.dst(answer), TunReadModel.src(p));
  }

  @Test
  void anEchoRequestIsAnsweredButItsAnswerRoutedBackIntoIpsec0IsNot() throws Exception {
    byte[] answer = answerTo(icmp("10.1.0.5", "10.2.0.7", 8));
    assertNotNull(answer, "an echo request is answered");
    assertEquals(3, answer[20], "destination unreachable");
    assertEquals(13, answer[21], "communication administratively prohibited");
    assertEquals(null, answerTo(answer), "the answer, from 10.2.0.7 and so under %reject too, is not answered again");
  }

  @Test
  void icmpErrorsAndUnknownTypesAreNotAnsweredInformationalMessagesAre() throws Exception {
    for (int type : new int[] {3, 4, 5, 11, 12, 42}) {
      assertEquals(null, answerTo(icmp("10.1.0.5", "10.2.0.7", type)), "ICMP type " + type);
    }
    for (int type : new int[] {0, 8, 13}) {
      assertNotNull(answerTo(icmp("10.1.0.5", "10.2.0.7", type)), "ICMP type " + type);
    }
  }

  @Test
  void laterFragmentsAndMulticastOrBroadcastDestinationsAreNotAnswered() throws Exception {
    byte[] later = packet("10.1.0.5", "10.2.0.7", TunReadModel.UDP, 185, "the rest of it".getBytes());
    assertEquals(null, answerTo(later), "a fragment other than the first");
    byte[] first = packet("10.1.0.5", "10.2.0.7", TunReadModel.UDP, 0x2000, TunReadModel.udp(4000, 53, new byte[64]));
    assertNotNull(answerTo(first), "the first fragment is answered");
    assertEquals(null, answerTo(udp("10.1.0.5", "224.0.0.251")), "a multicast destination");
    assertEquals(null, answerTo(udp("10.1.0.5", "255.255.255.255")), "the limited broadcast address");
    assertEquals(8L, klips.dataPathDrops().get("shunted"), "each packet and datagram is counted as rejected, answered or not");
  }

  @Test
  void ipv6ErrorsRedirectsAndMulticastAreNotAnswered() throws Exception {
    byte[] answer = answerTo(icmp("fd01::5", "fd02::7", 128));
    assertNotNull(answer, "an ICMPv6 echo request is answered");
    assertEquals(1, answer[40], "destination unreachable (RFC 4443 §3.1)");
    assertEquals(null, answerTo(answer), "the answer routed back is not answered again");
    for (int type : new int[] {1, 2, 3, 4, 137}) {
      assertEquals(null, answerTo(icmp("fd01::5", "fd02::7", type)), "ICMPv6 type " + type);
    }
    assertEquals(null, answerTo(udp("fd01::5", "ff02::fb")), "a multicast destination");
    assertFalse(Arrays.equals(TunReadModel.src(answer), TunReadModel.dst(answer)));
    assertArrayEquals(ip("fd02::7").getAddress(), TunReadModel.src(answer), "from the packet's destination");
  }
}
