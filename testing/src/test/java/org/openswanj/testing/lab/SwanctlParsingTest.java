package org.openswanj.testing.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** swanctl --list-sas --pretty as charon 5.9.8 printed it in the lab (fixtures captured there). */
class SwanctlParsingTest {

  private static String fixture(String name) throws IOException {
    try (InputStream in = SwanctlParsingTest.class.getResourceAsStream("/lab/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void ikev2InitiatorSaWithOneChild() throws IOException {
    List<IkeSaInfo> sas = IkeSaInfo.parseList(fixture("list-sas-ikev2-west.txt"));
    assertEquals(1, sas.size());
    IkeSaInfo sa = sas.get(0);
    assertEquals("westnet-eastnet", sa.name());
    assertEquals("ESTABLISHED", sa.state());
    assertEquals(2, sa.version());
    assertEquals("192.1.2.45", sa.localHost());
    assertEquals("east", sa.remoteId());
    assertTrue(sa.initiator());
    assertEquals(sa.initiatorSpi(), sa.localSpi());
    assertEquals(sa.responderSpi(), sa.remoteSpi());
    assertTrue(sa.localSpi().matches("[0-9a-f]{16}"));
    assertEquals("CURVE_25519", sa.dhGroup());
    ChildSaInfo c = sa.child("net");
    assertEquals("INSTALLED", c.state());
    assertEquals("ESP", c.protocol());
    assertEquals("TUNNEL", c.mode());
    assertTrue(c.encap());
    assertEquals("AES_GCM_16", c.encrAlg());
    assertEquals(128, c.encrKeysize());
    assertEquals("", c.integAlg());
    assertEquals(List.of("192.0.1.0/24"), c.localTs());
    assertEquals(List.of("192.0.2.0/24"), c.remoteTs());
  }

  @Test
  void ikev1ResponderSaCountsTraffic() throws IOException {
    IkeSaInfo sa = IkeSaInfo.parseList(fixture("list-sas-ikev1-east.txt")).get(0);
    assertEquals(1, sa.version());
    assertFalse(sa.initiator());
    assertEquals(sa.responderSpi(), sa.localSpi());
    assertEquals("MODP_2048", sa.dhGroup());
    assertEquals("HMAC_SHA2_256_128", sa.integAlg());
    ChildSaInfo c = sa.child("net");
    assertEquals("HMAC_SHA2_256_128", c.integAlg());
    assertEquals(3, c.packetsIn());
    assertEquals(3, c.packetsOut());
    assertEquals(252, c.bytesIn());
    assertEquals(List.of("192.0.2.0/24"), c.localTs());
  }

  @Test
  void afterAChildRekeyTheInstalledChildIsChosen() throws IOException {
    IkeSaInfo sa = IkeSaInfo.parseList(fixture("list-sas-ikev2-west-rekeyed-child.txt")).get(0);
    assertEquals(2, sa.children().size());
    assertEquals(List.of("DELETED", "INSTALLED"), sa.children().stream().map(ChildSaInfo::state).toList());
    assertEquals("INSTALLED", sa.child("net").state());
    assertEquals(sa.children().get(1).spiIn(), sa.child("net").spiIn());
  }

  @Test
  void noSasIsAnEmptyList() {
    assertEquals(List.of(), IkeSaInfo.parseList("list-sas reply {\n}\n"));
  }

  @Test
  void truncatedOutputIsAClearError() throws IOException {
    String text = fixture("list-sas-ikev2-west.txt");
    String cut = text.substring(0, text.indexOf("child-sas"));
    LabException e = assertThrows(LabException.class, () -> IkeSaInfo.parseList(cut));
    assertTrue(e.getMessage().contains("ends inside a section"), e.getMessage());
  }

  @Test
  void missingChildNamesWhatThereIs() throws IOException {
    IkeSaInfo sa = IkeSaInfo.parseList(fixture("list-sas-ikev2-west.txt")).get(0);
    LabException e = assertThrows(LabException.class, () -> sa.child("other"));
    assertTrue(e.getMessage().contains("no child 'other'") && e.getMessage().contains("name=net"), e.getMessage());
  }

  @Test
  void pingStatisticsAreRead() {
    Result r = new Result(List.of("ping"), 1, "PING 192.0.2.254 (192.0.2.254) from 192.0.1.254 : 56(84) bytes of data.\n"
        + "64 bytes from 192.0.2.254: icmp_seq=1 ttl=64 time=1.09 ms\n\n--- 192.0.2.254 ping statistics ---\n"
        + "3 packets transmitted, 1 received, 66.6667% packet loss, time 2009ms\n"
        + "rtt min/avg/max/mdev = 0.544/0.841/1.092/0.226 ms\n", "");
    PingResult p = PingResult.parse(r);
    assertEquals(3, p.transmitted());
    assertEquals(1, p.received());
    assertEquals(0.841, p.avgRttMs(), 1e-9);
    assertFalse(p.allReplied());
    assertThrows(LabException.class, () -> PingResult.parse(new Result(List.of("ping"), 2, "", "connect: Network is unreachable")));
  }
}
