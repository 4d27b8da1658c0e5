package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValuesTest {
  @Test
  void booleans() throws Exception {
    for (String t : new String[] {"yes", "true", "on", "YES"}) {
      assertTrue(Values.bool("pfs", t));
    }
    for (String f : new String[] {"no", "false", "off"}) {
      assertFalse(Values.bool("pfs", f));
    }
    ConfigException e = assertThrows(ConfigException.class, () -> Values.bool("pfs", "maybe"));
    assertEquals("pfs=maybe: not a boolean (accepted: yes, no, true, false, on, off)", e.getMessage());
  }

  @Test
  void timesAndPercent() throws Exception {
    assertEquals(Duration.ofSeconds(90), Values.time("k", "90"));
    assertEquals(Duration.ofSeconds(90), Values.time("k", "90s"));
    assertEquals(Duration.ofMinutes(9), Values.time("k", "9m"));
    assertEquals(Duration.ofHours(8), Values.time("k", "8h"));
    assertEquals(Duration.ofDays(2), Values.time("k", "2d"));
    assertEquals(Duration.ZERO, Values.time("k", "%forever"));
    assertThrows(ConfigException.class, () -> Values.time("k", "1y"));
    assertThrows(ConfigException.class, () -> Values.time("k", "h"));
    assertEquals(150, Values.percent("rekeyfuzz", "150%"));
    assertThrows(ConfigException.class, () -> Values.percent("rekeyfuzz", "50"));
    assertEquals(0, Values.number("keyingtries", "%forever"));
    assertEquals(0x200, Values.number("leftspi", "0x200"));
  }

  @Test
  void subnets() throws Exception {
    Subnet s = Subnet.parse("10.1.0.0/16");
    assertEquals("10.1.0.0/16", s.toString());
    assertTrue(s.contains(InetAddresses.forString("10.1.255.1")));
    assertFalse(s.contains(InetAddresses.forString("10.2.0.1")));
    assertFalse(s.contains(InetAddresses.forString("::1")));
    assertEquals("10.1.0.0/24", Subnet.parse("10.1.0.0/255.255.255.0").toString());
    assertEquals("192.0.2.1/32", Subnet.parse("192.0.2.1").toString());
    assertEquals("2001:db8::/32", Subnet.parse("2001:db8::/32").toString());
    assertEquals("0.0.0.0/0", Subnet.parse("%default").toString());
    ConfigException e = assertThrows(ConfigException.class, () -> Subnet.parse("10.0.0.1/8"));
    assertTrue(e.getMessage().contains("did you mean 10.0.0.0/8"));
    assertThrows(ConfigException.class, () -> Subnet.parse("10.0.0.0/33"));
    assertThrows(ConfigException.class, () -> Subnet.parse("example.com/24"));
  }

  @Test
  void hosts() throws Exception {
    assertEquals(new HostAddr.Any(false), HostAddr.parse("%any"));
    assertEquals(new HostAddr.Any(true), HostAddr.parse("%any6"));
    assertEquals(new HostAddr.DefaultRoute(), HostAddr.parse("%defaultroute"));
    assertEquals(new HostAddr.Opportunistic(), HostAddr.parse("%opportunistic"));
    assertEquals(new HostAddr.OpportunisticGroup(), HostAddr.parse("%opportunisticgroup"));
    assertEquals(new HostAddr.Group(), HostAddr.parse("%group"));
    assertEquals(new HostAddr.Direct(), HostAddr.parse("%direct"));
    assertEquals(new HostAddr.Interface("eth0"), HostAddr.parse("%eth0"));
    assertEquals(new HostAddr.Hostname("vpn.example.org"), HostAddr.parse("vpn.example.org"));
    assertInstanceOf(HostAddr.Address.class, HostAddr.parse("2001:db8::1"));
    assertTrue(HostAddr.parse("2001:db8::1").isIpv6());
    assertThrows(ConfigException.class, () -> HostAddr.parse("192.0.2.256"));
    assertThrows(ConfigException.class, () -> HostAddr.parse("bad_host!"));
  }

  @Test
  void rsaSigKeys() throws Exception {
    RsaSigKey raw = RsaSigKey.parse("0x0103010001" + "c0ffee".repeat(10));
    assertInstanceOf(RsaSigKey.Raw.class, raw);
    assertEquals(5 + 30, ((RsaSigKey.Raw) raw).rfc3110().length);
    assertEquals(raw, RsaSigKey.parse("0s" + java.util.Base64.getEncoder().encodeToString(
        ((RsaSigKey.Raw) raw).rfc3110())));
    assertEquals(new RsaSigKey.Cert(), RsaSigKey.parse("%cert"));
    assertEquals(new RsaSigKey.Dns(), RsaSigKey.parse("%dns"));
    assertEquals(new RsaSigKey.DnsOnDemand(), RsaSigKey.parse("%dnsondemand"));
    assertEquals(new RsaSigKey.None(), RsaSigKey.parse("%none"));
    assertThrows(ConfigException.class, () -> RsaSigKey.parse("0x05010001"), "exponent longer than key");
    assertThrows(ConfigException.class, () -> RsaSigKey.parse("0sAQ@@"));
    assertFalse(raw.toString().contains("c0ffee"), "toString stays short");
  }

  @Test
  void protoPorts() throws Exception {
    assertEquals(new ProtoPort(17, 1701), ProtoPorts.parse("k", "17/1701"));
    assertEquals(new ProtoPort(17, 1701), ProtoPorts.parse("k", "udp/l2tp"));
    assertEquals(new ProtoPort(6, 0), ProtoPorts.parse("k", "tcp/%any"));
    assertEquals(new ProtoPort(47, 0), ProtoPorts.parse("k", "gre"));
    assertEquals(ProtoPort.ANY, ProtoPorts.parse("k", "%any"));
    assertThrows(ConfigException.class, () -> ProtoPorts.parse("k", "tcp/70000"));
  }

  @Test
  void virtualPrivate() throws Exception {
    VirtualPrivate vp = VirtualPrivate.parse("%v4:10.0.0.0/8,%v6:fd00::/8,%v4:!10.1.0.0/16");
    assertEquals("[10.0.0.0/8, fd00::/8]", vp.allowed().toString());
    assertEquals("[10.1.0.0/16]", vp.excluded().toString());
    assertThrows(ConfigException.class, () -> VirtualPrivate.parse("%v6:10.0.0.0/8"));
  }
}
