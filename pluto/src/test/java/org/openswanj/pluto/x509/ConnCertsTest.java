package org.openswanj.pluto.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.id.Identity;
import org.openswanj.pluto.ikev2.TestCa;

/** leftid= against leftcert= at add time: an ID the certificate does not carry is named (RFC 4945 §3.1). */
class ConnCertsTest {
  @Test
  void anIdThatOurCertificateDoesNotCarryIsNamedAtAddTime() throws Exception {
    TestCa ca = new TestCa("C=CA, O=Lab, CN=Lab Root CA", TestCa.rsa());
    X509Certificate west = ca.issue("C=CA, O=Lab, CN=west", TestCa.rsa(), "west.example.com", TestCa.FROM,
        TestCa.UNTIL);
    Optional<String> w = ConnCerts.idNotInCert(Optional.of(Identity.parse("@mallory.example.com")), west, "left");
    assertTrue(w.isPresent());
    assertTrue(w.get().startsWith("leftid=@mallory.example.com is not in leftcert= (subject 'C=CA, O=Lab, CN=west', "
        + "subjectAltName DNS:west.example.com)"), w.get());
    for (String fine : new String[] {"@west.example.com", "C=CA, O=Lab, CN=west", "%fromcert", "%any"}) {
      assertEquals(Optional.empty(), ConnCerts.idNotInCert(Optional.of(Identity.parse(fine)), west, "left"), fine);
    }
    assertEquals(Optional.empty(), ConnCerts.idNotInCert(Optional.empty(), west, "left"), "no leftid=: the subject");
  }
}
