package org.openswanj.pluto.ikev1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.ikev2.Ikev2Settings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/** IKEv1 Main Mode with authby=rsasig and raw keys (RFC 2409 §5.1), Openswan's default, pluto to pluto. */
class Ikev1RsaSigTwoPeerTest {
  private static KeyPair gen() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static Map<String, String> conn(KeyPair west, KeyPair east) {
    return TwoPlutos.connFor("never", "authby", "rsasig", "leftrsasigkey", RsaKeys.sigkey(west),
        "rightrsasigkey", RsaKeys.sigkey(east), "ike", "aes128-sha1-modp2048", "esp", "aes128-sha1");
  }

  @Test
  void mainModeWithRawRsaKeysEstablishesBothPhases() throws Exception {
    KeyPair w = gen();
    KeyPair e = gen();
    TwoPlutos t = new TwoPlutos(RsaKeys.block(w), RsaKeys.block(e), Ikev2Settings.defaults());
    assertTrue(t.add(t.west, "west-east", conn(w, e)).text().contains("added"));
    assertTrue(t.add(t.east, "west-east", conn(w, e)).text().contains("added"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("\"west-east\" #1: STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_RSA_SIG"),
        r.text());
    assertTrue(r.text().contains("STATE_QUICK_I2: sent QI2, IPsec SA established"), r.text());
    assertEquals(Ikev1State.STATE_MAIN_R3, t.east.pluto.ikev1().isakmpSas().get(0).state);
  }

  @Test
  void aWrongKeyIsRefusedAndNothingIsEstablished() throws Exception {
    KeyPair w = gen();
    KeyPair e = gen();
    KeyPair impostor = gen();
    TwoPlutos t = new TwoPlutos(RsaKeys.block(impostor), RsaKeys.block(e), Ikev2Settings.defaults());
    t.add(t.west, "west-east", conn(impostor, e));
    t.add(t.east, "west-east", conn(w, e)); // east expects west's real key
    t.whack(t.west, new WhackRequest.Initiate("west-east", true));
    t.loop.advance(java.time.Duration.ofSeconds(5));
    assertTrue(t.east.pluto.ikev1().isakmpSas().stream().noneMatch(sa -> sa.state.isakmpEstablished()));
    assertTrue(t.west.pluto.ikev1().isakmpSas().stream().noneMatch(sa -> sa.state.isakmpEstablished()));
  }
}
