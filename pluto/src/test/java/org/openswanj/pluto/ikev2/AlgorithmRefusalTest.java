package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.whack.proto.WhackRequest;

/**
 * What Openswan 2.6 parsed but nothing here implements is refused with a message naming it: an unimplemented
 * cipher or integrity when the conn is added, AH (phase2=ah) when it is to be negotiated. Golden replies.
 */
class AlgorithmRefusalTest {
  private final TwoPlutos t;

  AlgorithmRefusalTest() throws Exception {
    t = new TwoPlutos(Ikev2TwoPeerTest.PSK, Ikev2TwoPeerTest.PSK, IkeSettings.defaults());
  }

  @Test
  void anUnimplementedCipherIsRefusedWhenAdded() {
    assertEquals(List.of("034 \"tf\": twofish is not implemented (ike=twofish256-sha1-modp2048)"),
        t.add(t.west, "tf", TwoPlutos.connFor("never", "ike", "twofish256-sha1-modp2048")).lines);
    assertEquals(List.of("034 \"bf\": blowfish is not implemented (phase2alg=aes-sha1, blowfish-md5)"),
        t.add(t.west, "bf", TwoPlutos.conn("esp", "aes-sha1, blowfish-md5")).lines);
    assertEquals(List.of("034 \"rm\": ripemd is not implemented (phase2alg=aes-ripemd)"),
        t.add(t.west, "rm", TwoPlutos.conn("phase2alg", "aes-ripemd")).lines);
    TwoPlutos.Recorder status = t.whack(t.west, new WhackRequest.Status(false));
    assertTrue(!status.text().contains("\"tf\"") && !status.text().contains("\"bf\""), status.text());
  }

  @Test
  void ahIsAddedButRefusedWhenNegotiated() {
    assertTrue(t.add(t.west, "ah", TwoPlutos.conn("phase2", "ah", "phase2alg", "sha1")).text()
        .contains("added connection description \"ah\""));
    TwoPlutos.Recorder up = t.whack(t.west, new WhackRequest.Initiate("ah", false));
    assertEquals(List.of("034 \"ah\": phase2=ah is not implemented (AH with sha1): openswanj negotiates ESP only"),
        up.lines);
    assertTrue(up.closed);
    assertEquals(List.of("034 \"ah\": phase2=ah is not implemented (AH with sha1): openswanj negotiates ESP only"),
        t.whack(t.west, new WhackRequest.Route("ah")).lines);
    assertTrue(t.west.backend.policies().isEmpty() && t.net.log().isEmpty(), "nothing routed, nothing sent");
    t.add(t.west, "ah1", TwoPlutos.connFor("never", "auth", "ah"));
    assertEquals(List.of("034 \"ah1\": phase2=ah is not implemented: openswanj negotiates ESP only"),
        t.whack(t.west, new WhackRequest.Initiate("ah1", true)).lines, "IKEv1 alike, without phase2alg");
  }
}
