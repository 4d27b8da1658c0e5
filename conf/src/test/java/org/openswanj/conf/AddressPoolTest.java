package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressPoolTest {
  @Test
  void rangeParsesAndIndexes() throws Exception {
    AddressPool p = AddressPool.parse("rightaddresspool", "10.9.255.254-10.10.0.1");
    assertEquals(4, p.size());
    assertEquals("10.9.255.254", p.get(0).getHostAddress());
    assertEquals("10.10.0.1", p.get(3).getHostAddress());
  }

  @Test
  void badRangesNameTheKeyword() {
    for (String bad : new String[] {"10.0.0.1", "10.0.0.5-10.0.0.1", "10.0.0.1-", "fe80::1-fe80::2", "x-y",
        "10.0.0.0-10.1.0.1"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> AddressPool.parse("rightaddresspool", bad), bad);
      assertTrue(e.getMessage().startsWith("rightaddresspool="), e.getMessage());
    }
  }

  @Test
  void bareModecfgKeywordsAndThePoolLandOnTheRightEnd() throws Exception {
    ConnConfig c = ConnConfig.fromKeywords("rw", Map.of("left", "192.0.2.1", "right", "%any",
        "leftxauthserver", "yes", "rightxauthclient", "yes", "modecfgdns1", "192.0.2.53", "modecfgdns2", "192.0.2.54",
        "modecfgwins1", "192.0.2.137", "rightaddresspool", "10.9.1.10-10.9.1.20"));
    assertEquals(2, c.right().modecfg().dns().size());
    assertEquals("192.0.2.54", c.right().modecfg().dns().get(1).getHostAddress());
    assertEquals(1, c.right().modecfg().wins().size());
    assertEquals(11, c.right().modecfg().pool().orElseThrow().size());
    assertTrue(c.left().modecfg().pool().isEmpty());
    assertTrue(c.flipped().left().modecfg().pool().isPresent());
  }

  @Test
  void xauthbyPamIsRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConnConfig.fromKeywords("rw", Map.of("left",
        "192.0.2.1", "right", "%any", "xauthby", "pam")));
    assertTrue(e.getMessage().contains("xauthby=pam"), e.getMessage());
  }
}
