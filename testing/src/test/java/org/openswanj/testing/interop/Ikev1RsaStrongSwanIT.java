package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.crypto.RsaAuth;
import org.openswanj.testing.lab.ChildSaInfo;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.SwanctlConn;

/**
 * Openswan's default, authby=rsasig with raw keys (leftrsasigkey=/rightrsasigkey=, the private key a PEM file named
 * in ipsec.secrets), over IKEv1 Main Mode against charon ({@code version = 1}, {@code auth = pubkey}), both
 * directions, with traffic through klips.
 */
class Ikev1RsaStrongSwanIT extends CharonLabTest {

  Ikev1RsaStrongSwanIT() {
    super("ojr");
  }

  private static String sigkey(KeyPair k) {
    return "0s" + Base64.getEncoder().encodeToString(RsaAuth.toRfc3110((RSAPublicKey) k.getPublic()));
  }

  private void start() throws Exception {
    KeyPair w = LabCa.rsa();
    KeyPair e = LabCa.rsa();
    LabCa.write(west.ipsecDir().resolve("private/west.pem"), w);
    String conf = PlutoPeers.ipsecConf(west, lab.east(), "klips", "leftrsasigkey=" + sigkey(w),
        "rightrsasigkey=" + sigkey(e), "ike=aes128-sha1-modp2048", "esp=aes128-sha1")
        .replace("\tikev2=insist\n", "\tikev2=never\n").replace("\tauthby=secret\n", "\tauthby=rsasig\n");
    west.startPluto(conf, ": RSA west.pem\n");
    east.installKeyPair("east", e);
    east.installPublicKey("west", w.getPublic());
    east.load(SwanctlConn.rsa(CONN, lab.east(), west, "east.pub.pem", "west.pub.pem").ikeVersion(1)
        .proposals("aes128-sha1-modp2048").espProposals("aes128-sha1-modp2048").build());
    west.ipsec("auto", "--add", CONN).requireOk();
  }

  private void assertTunnel(boolean plutoInitiated) {
    IkeSaInfo e = east.established(CONN);
    assertEquals(1, e.version());
    assertEquals(plutoInitiated, !e.initiator(), "who initiated");
    ChildSaInfo ec = e.child("net");
    List<String[]> spis = PlutoPeers.childSpis(west);
    assertEquals(1, spis.size());
    assertEquals(spis.get(0)[1], ec.spiIn(), "pluto's outbound SPI is charon's inbound");
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 4).allReplied(), "pings cross the tunnel");
  }

  @Test
  void plutoInitiatesMainModeWithRawRsaKeys() throws Exception {
    start();
    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), up + "\n" + west.plutoLog() + "\n" + east.log());
    assertTrue(up.stdout().contains("STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_RSA_SIG"), up.stdout());
    assertTunnel(true);
  }

  @Test
  void charonInitiatesMainModeWithRawRsaKeys() throws Exception {
    start();
    east.initiate("net");
    assertTunnel(false);
  }
}
