package org.openswanj.testing.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The lab itself, proven charon to charon (no pluto needed): two namespaces, a charon with kernel-libipsec
 * in each, tunnels negotiated with IKEv2 and IKEv1, traffic across them, and a teardown that leaves nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StrongSwanLabIT {
  private static final String PREFIX = "ojsslab";
  private static final String CONN = "westnet-eastnet";
  private static final String PSK = "the-lab-shared-secret-0123456789";

  private static Lab lab;
  private static StrongSwan west;
  private static StrongSwan east;
  private static final List<Long> charonPids = new ArrayList<>();

  @BeforeAll
  static void up() throws Exception {
    long t0 = System.nanoTime();
    lab = Lab.up(PREFIX);
    System.out.printf("lab up: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    west = lab.west().strongSwan();
    east = lab.east().strongSwan();
    west.start();
    east.start();
    for (String h : List.of("west", "east")) {
      charonPids.add(Long.parseLong(Files.readString(lab.host(h).dir().resolve("charon.pid")).trim()));
    }
  }

  @AfterEach
  void terminate() {
    // west initiated; deleting its IKE SA deletes east's too
    for (IkeSaInfo sa : west.listSas()) {
      west.terminateIke(sa.name());
    }
  }

  @Test
  @Order(1)
  void ikev2PskAesGcmX25519CarriesPings() {
    load(SwanctlConn.psk(CONN, lab.west(), lab.east(), PSK), SwanctlConn.psk(CONN, lab.east(), lab.west(), PSK));
    IkeSaInfo w = bringUp(2);
    assertEquals("AES_GCM_16", w.encrAlg());
    assertEquals(128, w.encrKeysize());
    assertEquals("CURVE_25519", w.dhGroup());
    assertEquals("AES_GCM_16", w.child("net").encrAlg());
    assertPingsCross();
  }

  @Test
  @Order(2)
  void ikev2ChildRekeyGivesNewSpisOnBothSides() throws InterruptedException {
    load(SwanctlConn.psk(CONN, lab.west(), lab.east(), PSK), SwanctlConn.psk(CONN, lab.east(), lab.west(), PSK));
    String oldSpi = bringUp(2).child("net").spiOut();
    west.rekeyChild("net");
    long deadline = System.nanoTime() + 5_000_000_000L;
    ChildSaInfo wc = west.established(CONN).child("net");
    while (wc.spiOut().equals(oldSpi) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      wc = west.established(CONN).child("net");
    }
    assertTrue(!wc.spiOut().equals(oldSpi) && wc.state().equals("INSTALLED"), "rekeyed child installed: " + wc);
    assertEquals(wc.spiOut(), east.established(CONN).child("net").spiIn(), "the new SPIs agree");
  }

  @Test
  @Order(3)
  void ikev1MainModePskCarriesPings() {
    String ike = "aes128-sha256-modp2048";
    String esp = "aes128-sha256";
    load(SwanctlConn.psk(CONN, lab.west(), lab.east(), PSK).ikeVersion(1).proposals(ike).espProposals(esp),
        SwanctlConn.psk(CONN, lab.east(), lab.west(), PSK).ikeVersion(1).proposals(ike).espProposals(esp));
    IkeSaInfo w = bringUp(1);
    assertEquals("MODP_2048", w.dhGroup());
    assertEquals("HMAC_SHA2_256_128", w.child("net").integAlg());
    assertTrue(west.log().contains("Main Mode"), "charon logs the IKEv1 exchange as Main Mode");
    assertPingsCross();
  }

  @Test
  @Order(4)
  void ikev2RawRsaCarriesPings() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair wk = g.generateKeyPair();
    KeyPair ek = g.generateKeyPair();
    west.installKeyPair("west", wk);
    west.installPublicKey("east", ek.getPublic());
    east.installKeyPair("east", ek);
    east.installPublicKey("west", wk.getPublic());
    load(SwanctlConn.rsa(CONN, lab.west(), lab.east(), "west.pub.pem", "east.pub.pem"),
        SwanctlConn.rsa(CONN, lab.east(), lab.west(), "east.pub.pem", "west.pub.pem"));
    bringUp(2);
    assertPingsCross();
  }

  @AfterAll
  static void down() throws Exception {
    long t0 = System.nanoTime();
    lab.close();
    System.out.printf("lab down: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertFalse(lab.namespaceExists(), "the lab's namespaces are gone");
    assertFalse(Files.exists(lab.dir()), "the lab's directory is gone");
    for (long pid : charonPids) {
      assertFalse(Lab.isRunning(pid), "charon " + pid + " ended");
    }
    lab.close(); // idempotent
  }

  private static void load(SwanctlConn.Builder w, SwanctlConn.Builder e) {
    west.load(w.build());
    east.load(e.build());
  }

  /** Initiates from west; both sides must list the SA ESTABLISHED and the child INSTALLED, SPIs crossed. */
  private static IkeSaInfo bringUp(int version) {
    long t0 = System.nanoTime();
    west.initiate("net");
    System.out.printf("IKEv%d SA + child: %d ms%n", version, (System.nanoTime() - t0) / 1_000_000);
    IkeSaInfo w = west.established(CONN);
    IkeSaInfo e = east.established(CONN);
    assertEquals(version, w.version());
    assertEquals(version, e.version());
    assertTrue(w.initiator() && !e.initiator(), "west initiated");
    assertEquals(w.localSpi(), e.remoteSpi(), "IKE SPIs agree");
    assertEquals(w.remoteSpi(), e.localSpi(), "IKE SPIs agree");
    assertTrue(w.localSpi().matches("[0-9a-f]{16}"), "IKE SPI " + w.localSpi());
    ChildSaInfo wc = w.child("net");
    ChildSaInfo ec = e.child("net");
    assertEquals("INSTALLED", wc.state());
    assertEquals("INSTALLED", ec.state());
    assertEquals("ESP", wc.protocol());
    assertTrue(wc.encap(), "ESP in UDP (kernel-libipsec)");
    assertTrue(wc.spiOut().matches("[0-9a-f]{8}"), "child SPI " + wc.spiOut());
    assertEquals(wc.spiOut(), ec.spiIn(), "west's outbound SPI is east's inbound");
    assertEquals(wc.spiIn(), ec.spiOut(), "east's outbound SPI is west's inbound");
    assertEquals(List.of("192.0.1.0/24"), wc.localTs());
    assertEquals(List.of("192.0.2.0/24"), wc.remoteTs());
    return w;
  }

  /** Five pings from west's subnet to east's, every one answered, and counted by both children. */
  private static void assertPingsCross() {
    PingResult p = lab.west().ping("192.0.2.254", "192.0.1.254", 5);
    System.out.printf("ping rtt avg: %.3f ms%n", p.avgRttMs());
    assertTrue(p.allReplied(), "every ping answered:\n" + p.output());
    ChildSaInfo wc = west.established(CONN).child("net");
    ChildSaInfo ec = east.established(CONN).child("net");
    assertEquals(5, wc.packetsOut(), "west sent the 5 requests through the tunnel");
    assertEquals(5, ec.packetsIn(), "east received them through the tunnel");
    assertEquals(5, ec.packetsOut(), "east's replies went through the tunnel");
    assertEquals(wc.bytesOut(), ec.bytesIn());
    assertTrue(wc.bytesOut() >= 5 * 84, "bytes counted: " + wc.bytesOut());
  }

}
