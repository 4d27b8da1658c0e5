package org.openswanj.pluto.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretCensorTest {
  @Test
  void everySecretGoesAndSelectorsStay() {
    String in = """
        # a comment stays
        @west @east : PSK "very-secret-psk"
        192.1.2.45 %any : psk 0x0123456789abcdef
        @user : XAUTH "xauth-password"
        : CLUSTER 0x00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210
        : RSA {
        \t# RSA 2048 bits   west
        \tModulus: 0xc0ffee1234
        \tPrivateExponent: 0xdeadbeef99
        \t}
        : RSA west.pem "pem-passphrase"
        include /etc/ipsec.d/*.secrets""";
    String out = SecretCensor.secrets(in);
    for (String secret : new String[] {"very-secret-psk", "0123456789abcdef", "xauth-password", "c0ffee1234",
        "deadbeef99", "pem-passphrase", "00112233445566778899aabbccddeeff"}) {
      assertFalse(out.contains(secret), secret + " leaked:\n" + out);
    }
    assertTrue(out.contains("@west @east : PSK [sums to "), out);
    assertTrue(out.contains("\tModulus: [sums to "), out);
    assertTrue(out.contains(": RSA west.pem \"[sums to "), out);
    assertTrue(out.contains("# RSA 2048 bits   west") && out.contains("include /etc/ipsec.d/*.secrets"), out);
    assertEquals(in.lines().count(), out.lines().count(), "one line out per line in");
  }

  @Test
  void kernelKeysGo() {
    String in = "src 1.2.3.4 dst 5.6.7.8\n\tproto esp spi 0x0000abcd reqid 1 mode tunnel\n"
        + "\taead rfc4106(gcm(aes)) 0x00112233445566778899aabbccddeeff00112233 128\n"
        + "\tauth-trunc hmac(sha256) 0xfeedfacefeedface 128\n\tenc cbc(aes) 0xabad1dea";
    String out = SecretCensor.kernelState(in);
    assertFalse(out.contains("00112233445566") || out.contains("feedface") || out.contains("abad1dea"), out);
    assertTrue(out.contains("spi 0x0000abcd"), "SPIs are not secrets: " + out);
    assertTrue(out.contains("\taead rfc4106(gcm(aes)) [censored] 128"), out);
  }
}
