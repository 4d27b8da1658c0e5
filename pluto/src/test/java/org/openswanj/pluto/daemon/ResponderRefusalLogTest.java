package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.ikev2.TwoPlutos;
import org.openswanj.whack.proto.WhackRequest;

/**
 * A responder's refusal is thrown as its typed error and answered in one place: the peer gets the error notify,
 * and the responder's log has exactly one line saying what was refused and which notify answered it.
 */
class ResponderRefusalLogTest {
  private static final String PSK = "@west @east : PSK \"a-long-shared-secret\"\n";
  @TempDir Path dir;
  private Path log;

  @BeforeEach
  void logToFile() {
    log = dir.resolve("pluto.log");
    Logging.configure(new Logging.Target.File(log), List.of());
  }

  @AfterEach
  void quietLog() {
    Logging.configure(new Logging.Target.Stderr(false), List.of());
  }

  private TwoPlutos.Recorder initiate(TwoPlutos t, Map<String, String> west, Map<String, String> east) {
    t.add(t.west, "west-east", west);
    if (east != null) {
      t.add(t.east, "west-east", east);
    }
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    t.loop.runPending();
    return r;
  }

  private long lines(String text) throws Exception {
    return Files.readString(log).lines().filter(l -> l.contains(text)).count();
  }

  /** IKEv1 (RFC 2409 §5): an MI3 that the responder cannot read means the keys differ, and the line says so. */
  @Test
  void ikev1WrongPskIsNamedAsTheProbableCauseByTheResponder() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, "@west @east : PSK \"another-secret\"\n", IkeSettings.defaults());
    initiate(t, TwoPlutos.connFor("never", "keyingtries", "1"), TwoPlutos.connFor("never"));
    assertTrue(lines("\"west-east\" #1: STATE_MAIN_R2: probable authentication failure (mismatch of preshared"
        + " secrets?)") >= 1, Files.readString(log));
    assertEquals(0, lines("dropping malformed message"), Files.readString(log));
  }

  @Test
  void childSelectorsOutsideTheConnAreTsUnacceptableAndTheIkeSaStays() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    TwoPlutos.Recorder r = initiate(t, TwoPlutos.conn(), TwoPlutos.conn("leftsubnet", "192.0.9.0/24"));
    assertTrue(r.text().contains("TS_UNACCEPTABLE"), r.text());
    assertEquals(1, lines("traffic selectors 192.0.1.0/24 === 192.0.2.0/24 do not match this conn: IKE SA kept,"
        + " answering TS_UNACCEPTABLE"), Files.readString(log));
    assertEquals(1, t.east.pluto.engine().ikeSas().size(), "RFC 7296 §2.21.3: the IKE SA stands");
    assertTrue(t.east.backend.sas().isEmpty(), String.valueOf(t.east.backend.describe()));
  }

  @Test
  void noCommonEspProposalIsNoProposalChosen() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    TwoPlutos.Recorder r = initiate(t, TwoPlutos.conn("esp", "aes128-sha1"), TwoPlutos.conn("esp", "aes256gcm16"));
    assertTrue(r.text().contains("NO_PROPOSAL_CHOSEN"), r.text());
    assertEquals(1, lines("no acceptable ESP proposal from the peer: IKE SA kept, answering NO_PROPOSAL_CHOSEN"),
        Files.readString(log));
    assertTrue(t.east.backend.sas().isEmpty(), String.valueOf(t.east.backend.describe()));
  }

  @Test
  void anIkeSaInitWithoutAConnIsRefusedStatelessly() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    TwoPlutos.Recorder r = initiate(t, TwoPlutos.conn("keyingtries", "1"), null);
    assertTrue(r.text().contains("NO_PROPOSAL_CHOSEN"), r.text());
    assertTrue(lines("IKE_SA_INIT from 192.1.2.45 refused: no connection for IKEv2 to 192.1.2.23: answering"
        + " NO_PROPOSAL_CHOSEN") >= 1, Files.readString(log));
    assertTrue(t.east.pluto.engine().ikeSas().isEmpty(), "a refused IKE_SA_INIT leaves no state");
  }

  @Test
  void ikev1QuickModeRefusalsAreAnsweredWithTheirV1Notify() throws Exception {
    TwoPlutos t = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    initiate(t, TwoPlutos.connFor("never", "esp", "aes128-sha1"), TwoPlutos.connFor("never", "esp", "3des-md5"));
    assertEquals(1, lines("no acceptable Quick Mode proposal: answering NO_PROPOSAL_CHOSEN"), Files.readString(log));
    assertTrue(t.east.backend.sas().isEmpty(), String.valueOf(t.east.backend.describe()));
    TwoPlutos u = new TwoPlutos(PSK, PSK, IkeSettings.defaults());
    initiate(u, TwoPlutos.connFor("never"), TwoPlutos.connFor("never", "leftsubnet", "192.0.9.0/24"));
    // RFC 2409 §5.5: client IDs outside the conn; IKEv1's notify for them is INVALID_ID_INFORMATION
    assertEquals(1, lines("no connection is known for 192.0.1.0/24===192.0.2.0/24: answering INVALID_ID_INFORMATION"),
        Files.readString(log));
  }

  /**
   * RFC 4754 §3: an IKEv1 ECDSA method names the curve, so a P-384 initiator and a P-256 responder share none; the
   * responder's one line names both methods.
   */
  @Test
  void ikev1EcdsaOnAnotherCurveIsRefusedNamingBothMethods() throws Exception {
    org.openswanj.pluto.ikev2.TestCa ca = new org.openswanj.pluto.ikev2.TestCa("C=CA, O=Test, CN=Test CA",
        org.openswanj.pluto.ikev2.TestCa.rsa());
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
    java.security.KeyPair w = g.generateKeyPair();
    java.security.KeyPair e = org.openswanj.pluto.ikev2.TestCa.ec();
    var until = org.openswanj.pluto.ikev2.TestCa.UNTIL;
    var from = org.openswanj.pluto.ikev2.TestCa.FROM;
    var p = new org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.Pki(ca, ca, w, e,
        ca.issue(org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.WEST_DN, w, "west.example.com", from, until),
        ca.issue(org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.EAST_DN, e, "east.example.com", from, until));
    TwoPlutos t = org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.plutos(dir, p, ca.cert);
    Map<String, String> c = org.openswanj.pluto.ikev2.CertAuthTwoPeerTest.conn("ikev2", "never", "keyingtries", "1",
        "ike", "aes128-sha1-modp2048");
    initiate(t, c, c);
    assertEquals(1, lines("no acceptable Oakley Transform from 192.1.2.45 (it offers authentication"
        + " OAKLEY_ECDSA_P384; this conn uses OAKLEY_ECDSA_P256)"), Files.readString(log));
  }
}
