package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.openswanj.conf.ConfTestSupport.conn;
import static org.openswanj.conf.ConfTestSupport.ok;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** leftsubnets=/rightsubnets= become one conn per pair, named and ordered as Openswan's starter does. */
class SubnetPermutationTest {
  private static List<String> names(List<ConnConfig> cs) {
    return cs.stream().map(ConnConfig::name).toList();
  }

  private static String pair(ConnConfig c) {
    return c.left().subnets() + " " + c.right().subnets();
  }

  @Test
  void twoByTwoAdvancesRightFirstAndCountsFromOne() throws Exception {
    IpsecConf c = ok(conn("net", "leftsubnets={10.1.0.0/24 10.1.1.0/24}", "rightsubnets=10.2.0.0/24,10.2.1.0/24"));
    List<ConnConfig> all = SubnetPermutation.expand(c.conns());
    assertEquals(List.of("net/1x1", "net/1x2", "net/2x1", "net/2x2"), names(all));
    assertEquals("[10.1.0.0/24] [10.2.0.0/24]", pair(all.get(0)));
    assertEquals("[10.1.0.0/24] [10.2.1.0/24]", pair(all.get(1)));
    assertEquals("[10.1.1.0/24] [10.2.0.0/24]", pair(all.get(2)));
    assertEquals("[10.1.1.0/24] [10.2.1.0/24]", pair(all.get(3)));
    for (ConnConfig i : all) {
      assertEquals("net", i.keywords().get("connalias"));
      assertFalse(i.keywords().containsKey("leftsubnets") || i.keywords().containsKey("rightsubnets"));
    }
  }

  @Test
  void plainSubnetBesideSubnetsComesFirstAsZero() throws Exception {
    IpsecConf c = ok(conn("n", "leftsubnet=10.1.9.0/24", "leftsubnets={10.1.0.0/24}", "rightsubnet=10.2.0.0/24",
        "connalias=other"));
    List<ConnConfig> all = SubnetPermutation.expand(c.conns());
    assertEquals(List.of("n/0x0", "n/1x0"), names(all));
    assertEquals("[10.1.9.0/24] [10.2.0.0/24]", pair(all.get(0)));
    assertEquals("[10.1.0.0/24] [10.2.0.0/24]", pair(all.get(1)));
    assertEquals("other n", all.get(1).keywords().get("connalias"), "connalias=NAME appended to the conn's own");
  }

  @Test
  void anEndWithoutAnySubnetStaysTheHost() throws Exception {
    IpsecConf c = ok(conn("h", "rightsubnets={10.2.0.0/24 10.2.1.0/24}"));
    List<ConnConfig> all = SubnetPermutation.expand(c.conns());
    assertEquals(List.of("h/1x1", "h/1x2"), names(all));
    assertEquals("[] [10.2.1.0/24]", pair(all.get(1)));
  }

  @Test
  void anIkev2ConnIsPermutedAsAnIkev1One() throws Exception {
    // Openswan 2.6 permutes whatever the IKE version; IKEv2 instances share one IKE SA by CREATE_CHILD_SA
    IpsecConf c = ok(conn("v2", "ikev2=insist", "leftsubnets={10.1.0.0/24 10.1.1.0/24}", "rightsubnet=10.2.0.0/24")
        + conn("v1", "ikev2=never", "leftsubnets={10.1.0.0/24 10.1.1.0/24}"));
    List<ConnConfig> all = SubnetPermutation.expand(c.conns());
    assertEquals(List.of("v2/1x0", "v2/2x0", "v1/1x1", "v1/2x1"), names(all));
    assertEquals("[10.1.1.0/24] [10.2.0.0/24]", pair(all.get(1)));
    assertEquals("v2", all.get(1).keywords().get("connalias"));
  }

  @Test
  void aConnWithoutSubnetsIsAddedAsItIs() throws Exception {
    IpsecConf c = ok(conn("a", "leftsubnet=10.1.0.0/24") + conn("b", "rightsubnets={10.2.0.0/24}"));
    List<ConnConfig> all = SubnetPermutation.expand(c.conns());
    assertEquals(List.of("a", "b/1x1"), names(all));
    assertEquals(c.conns().get(0), all.get(0));
    assertEquals(List.of(new SubnetPermutation.Instance("x", Map.of("left", "1.2.3.4"))),
        SubnetPermutation.instances("x", Map.of("left", "1.2.3.4")));
  }
}
