package org.openswanj.pluto.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.HostAddr;

class EndResolverTest {
  private static final InetAddress SRC = ip("192.1.2.45");
  private static final InetAddress GW = ip("192.1.2.254");

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static final EndResolver RESOLVER = new EndResolver((name, v6) -> {
    if (name.equals("east.example")) {
      return ip("192.1.2.23");
    }
    throw new UnknownHostException(name);
  }, v6 -> v6 ? Optional.empty() : Optional.of(new EndResolver.Route(SRC, Optional.of(GW))));

  private static ConnConfig conn(String left, String right, String... more) throws Exception {
    Map<String, String> kw = new java.util.LinkedHashMap<>(Map.of("left", left, "right", right, "authby", "secret"));
    for (int i = 0; i < more.length; i += 2) {
      kw.put(more[i], more[i + 1]);
    }
    return ConnConfig.fromKeywords("c", kw);
  }

  @Test
  void defaultRouteGivesTheDeviceAddressAndTheGatewayAsNexthop() throws Exception {
    ConnConfig c = conn("%defaultroute", "192.1.2.23");
    assertTrue(EndResolver.needed(c));
    List<String> log = new ArrayList<>();
    ConnConfig r = RESOLVER.resolve(c, log);
    assertEquals(new HostAddr.Address(SRC), r.left().host());
    assertEquals(Optional.of(GW), r.left().nexthop(), "confread.c: a %defaultroute end's nexthop is %defaultroute");
    assertEquals(List.of("left=%defaultroute is 192.1.2.45"), log);
  }

  @Test
  void nexthopDefaultRouteAloneIsTheGateway() throws Exception {
    ConnConfig r = RESOLVER.resolve(conn("192.1.2.45", "192.1.2.23", "leftnexthop", "%defaultroute"), new ArrayList<>());
    assertEquals(Optional.of(GW), r.left().nexthop());
    assertEquals(new HostAddr.Address(SRC), r.left().host());
  }

  @Test
  void hostNameBecomesItsAddressNeverAny() throws Exception {
    ConnConfig r = RESOLVER.resolve(conn("192.1.2.45", "east.example"), new ArrayList<>());
    assertEquals(new HostAddr.Address(ip("192.1.2.23")), r.right().host());
  }

  @Test
  void unresolvableNameFailsWithOpenswansWording() throws Exception {
    EndResolver.ResolveException e = assertThrows(EndResolver.ResolveException.class,
        () -> RESOLVER.resolve(conn("192.1.2.45", "nowhere.invalid"), new ArrayList<>()));
    assertEquals("failed to convert 'nowhere.invalid' at load time: does not look numeric and name lookup failed",
        e.getMessage());
  }

  @Test
  void noDefaultRouteIsAClearError() throws Exception {
    EndResolver.ResolveException e = assertThrows(EndResolver.ResolveException.class,
        () -> RESOLVER.resolve(conn("%defaultroute", "2001:db8::1"), new ArrayList<>()));
    assertEquals("left=%defaultroute but there is no IPv6 default route", e.getMessage());
  }

  @Test
  void addressesNeedNothing() throws Exception {
    assertFalse(EndResolver.needed(conn("192.1.2.45", "%any")));
  }
}
