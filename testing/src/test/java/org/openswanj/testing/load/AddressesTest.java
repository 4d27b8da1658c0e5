package org.openswanj.testing.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressesTest {
  @Test
  void rangesAndSinglesExpandInOrder() throws Exception {
    List<InetAddress> a = Addresses.parseList("10.0.0.254-10.0.1.1, 192.0.2.7", "--sources");
    assertEquals(List.of("10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1", "192.0.2.7"),
        a.stream().map(InetAddress::getHostAddress).toList());
  }

  @Test
  void badItemsNameTheOptionAndTheItem() {
    LoadException e = assertThrows(LoadException.class, () -> Addresses.parseList("10.0.0.1,10.0.0.x", "--sources"));
    assertEquals("--sources: '10.0.0.x' is not an IP address", e.getMessage());
    e = assertThrows(LoadException.class, () -> Addresses.parseList("10.0.0.9-10.0.0.1", "--sources"));
    assertEquals("--sources: range '10.0.0.9-10.0.0.1' is empty or longer than 65536", e.getMessage());
  }

  @Test
  void targetTakesAnOptionalPort() throws Exception {
    assertEquals(500, Addresses.parseTarget("192.1.2.23").getPort());
    assertEquals(4500, Addresses.parseTarget("192.1.2.23:4500").getPort());
    assertEquals(501, Addresses.parseTarget("[2001:db8::1]:501").getPort());
    assertEquals(500, Addresses.parseTarget("2001:db8::1").getPort());
    assertThrows(LoadException.class, () -> Addresses.parseTarget("192.1.2.23:0"));
  }
}
