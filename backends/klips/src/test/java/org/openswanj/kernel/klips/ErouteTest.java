package org.openswanj.kernel.klips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.klips.net.IpPacket;

class ErouteTest {

  static Selector sel(String src, int sp, String dst, int dp) throws Exception {
    return Selector.of(InetAddress.getByName(src), sp, InetAddress.getByName(dst), dp);
  }

  static Eroute eroute(Selector s, PolicyAction a) {
    return new Eroute(new PolicyId(s, PolicyDirection.OUT), PolicySpec.shunt(a, a.name()), CompiledSelector.of(s), null,
        new HoldQueue());
  }

  /** A 28-byte IPv4 UDP packet. */
  static ByteBuffer udp(String src, String dst, int sport, int dport) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(28);
    byte[] s = InetAddress.getByName(src).getAddress();
    byte[] d = InetAddress.getByName(dst).getAddress();
    byte[] both = new byte[8];
    System.arraycopy(s, 0, both, 0, 4);
    System.arraycopy(d, 0, both, 4, 4);
    IpPacket.writeIpv4Header(b, 0, 28, IpPacket.PROTO_UDP, ByteBuffer.wrap(both), 0, 4);
    b.putShort(20, (short) sport).putShort(22, (short) dport);
    return b;
  }

  @Test
  void mostSpecificErouteWins() throws Exception {
    List<Eroute> list = new ArrayList<>(List.of(
        eroute(sel("0.0.0.0", 0, "0.0.0.0", 0), PolicyAction.TRAP), // OE-style catch-all
        eroute(sel("10.1.0.0", 24, "10.2.0.0", 16), PolicyAction.PASS),
        eroute(sel("10.1.0.0", 24, "10.2.3.0", 24), PolicyAction.DROP),
        eroute(new Selector(InetAddress.getByName("10.1.0.0"), 24, InetAddress.getByName("10.2.3.0"), 24, 17, 0, 53),
            PolicyAction.REJECT)));
    list.sort(Eroute::compare);
    Eroute[] table = list.toArray(new Eroute[0]);
    assertEquals(PolicyAction.REJECT, DataPath.lookup(table, udp("10.1.0.5", "10.2.3.4", 1000, 53), 28).spec().action());
    assertEquals(PolicyAction.DROP, DataPath.lookup(table, udp("10.1.0.5", "10.2.3.4", 1000, 54), 28).spec().action());
    assertEquals(PolicyAction.PASS, DataPath.lookup(table, udp("10.1.0.5", "10.2.9.4", 1000, 53), 28).spec().action());
    assertEquals(PolicyAction.TRAP, DataPath.lookup(table, udp("192.0.2.7", "10.2.3.4", 1, 2), 28).spec().action());
    assertNull(DataPath.lookup(new Eroute[0], udp("10.1.0.5", "10.2.3.4", 1, 2), 28));
  }

  @Test
  void selectorCheckHonoursPrefixesProtocolAndPorts() throws Exception {
    CompiledSelector c = CompiledSelector.of(
        new Selector(InetAddress.getByName("10.2.0.0"), 23, InetAddress.getByName("10.1.0.1"), 32, 17, 0, 500));
    assertTrue(c.matches(udp("10.2.1.200", "10.1.0.1", 4000, 500), 0, 28));
    assertFalse(c.matches(udp("10.2.2.1", "10.1.0.1", 4000, 500), 0, 28), "outside /23");
    assertFalse(c.matches(udp("10.2.1.1", "10.1.0.2", 4000, 500), 0, 28), "other destination");
    assertFalse(c.matches(udp("10.2.1.1", "10.1.0.1", 4000, 501), 0, 28), "other port");
    CompiledSelector v6 = CompiledSelector.of(sel("2001:db8::", 32, "2001:db8:1::", 48));
    assertFalse(v6.matches(udp("10.2.1.1", "10.1.0.1", 1, 2), 0, 28), "family mismatch");
  }

  @Test
  void holdQueueIsBoundedAndAcquiresOnce() {
    HoldQueue q = new HoldQueue();
    assertTrue(q.hold(new byte[20]));
    for (int i = 0; i < 100; i++) {
      assertFalse(q.hold(new byte[20]));
    }
    assertEquals(HoldQueue.CAPACITY, q.held());
    assertEquals(101 - HoldQueue.CAPACITY, q.dropped());
    assertEquals(HoldQueue.CAPACITY, q.release().size());
    assertTrue(q.hold(new byte[20]), "re-armed after release");
  }

  @Test
  void trapHoldQueueAcquiresOncePerFlowAndMovedFlowsReArm() throws Exception {
    HoldQueue q = new HoldQueue();
    byte[] toEast = udp("192.1.2.45", "192.1.2.23", 1000, 7).array();
    byte[] toNorth = udp("192.1.2.45", "192.1.2.33", 1000, 7).array();
    assertTrue(q.hold(toEast), "first packet to east acquires");
    assertFalse(q.hold(toEast.clone()), "second packet to east does not");
    assertTrue(q.hold(toNorth), "another destination under the same wide %trap acquires too");
    List<byte[]> moved = q.take(p -> p[19] == 23);
    assertEquals(2, moved.size(), "both packets to east move to the more specific eroute");
    assertEquals(1, q.held());
    assertTrue(q.hold(toEast), "east's flow is re-armed once its packets moved");
    assertFalse(q.hold(toNorth), "north's flow still waits for its answer");
  }

  @Test
  void rejectBuildsAnIcmpUnreachableBackToTheSender() throws Exception {
    ByteBuffer in = udp("10.1.0.5", "10.2.3.4", 1000, 53);
    ByteBuffer out = ByteBuffer.allocate(128);
    int n = IpPacket.icmpUnreachable(in, 0, 28, out, 0);
    assertEquals(20 + 8 + 28, n);
    assertEquals(IpPacket.PROTO_ICMP, IpPacket.protocol(out, 0));
    assertEquals(0, IpPacket.checksum(out, 0, 20, 0), "IPv4 header checksum verifies");
    assertEquals(0, IpPacket.checksum(out, 20, n - 20, 0), "ICMP checksum verifies");
    assertEquals(3, out.get(20));
    assertEquals(InetAddress.getByName("10.1.0.5"), InetAddress.getByAddress(new byte[] {out.get(16), out.get(17), out.get(18), out.get(19)}));
  }

  @Test
  void interfacesValueParses() throws Exception {
    KlipsConfig c = KlipsConfig.parse("ipsec0=eth0 ipsec1=eth1");
    assertEquals(List.of(new KlipsConfig.Binding("ipsec0", "eth0"), new KlipsConfig.Binding("ipsec1", "eth1")),
        c.interfaces());
    java.nio.file.Path routes = java.nio.file.Files.createTempFile("route", "");
    java.nio.file.Files.writeString(routes, "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
        + "eth9\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\neth7\t00000000\t0102000A\t0003\t0\t0\t0\t00000000\n");
    assertEquals("eth7", KlipsConfig.defaultRouteInterface(routes));
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(org.openswanj.kernel.KernelException.class,
        () -> KlipsConfig.parse("eth0"));
    assertTrue(e.getMessage().contains("ipsecN=device"), e.getMessage());
  }
}
