package org.openswanj.conf.secrets;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.secrets.XauthPasswd.Verdict;

/** ipsec.d/passwd with hashes made by openssl passwd -1/-5/-6 and perl crypt() (not by the library under test). */
class XauthPasswdTest {
  private static final String FILE = String.join("\n",
      "# Openswan XAUTH users",
      "alice:$1$abcdefgh$/rjHnY0UaDSC5WvrpEXr21:roadwarrior",
      "bob:$5$saltsalt$/Xojv.IGS2jCMLLqHYqwXZdfHPh0f4xClvPerk7lOh4",
      "carol:$6$0123456789$JJHhyYi8Ik223XGRezwVKw5GJTAGCFq6diCebqVx.z.b8F2sU0rGXsqeuKwOARzZ3Va0hiTjHp4yT.TbYKCyf.:",
      "dave:abUI4.gJ6gFLA",
      "erin:$2b$10$abcdefghijklmnopqrstuuAbCdEfGhIjKlMnOpQrStUvWxYz01234",
      "frank:!locked",
      "no colon here",
      "");
  private static final XauthPasswd P = XauthPasswd.parse(FILE, "/etc/ipsec.d/passwd");

  private static byte[] pw(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void md5Sha256Sha512AndDesHashesVerify() {
    assertEquals(Verdict.OK, P.check("roadwarrior", "alice", pw("alice-pw")));
    assertEquals(Verdict.OK, P.check("any", "bob", pw("bob-pw")));
    assertEquals(Verdict.OK, P.check("any", "carol", pw("carol-pw")));
    assertEquals(Verdict.OK, P.check("any", "dave", pw("dave-pw")));
  }

  @Test
  void wrongPasswordsAndUsersAreRefused() {
    assertEquals(Verdict.WRONG_PASSWORD, P.check("roadwarrior", "alice", pw("alice-pw ")));
    assertEquals(Verdict.WRONG_PASSWORD, P.check("any", "carol", pw("")));
    assertEquals(Verdict.WRONG_PASSWORD, P.check("any", "dave", pw("dave-pX")));
    assertEquals(Verdict.NO_SUCH_USER, P.check("any", "mallory", pw("x")));
    assertEquals(Verdict.NO_SUCH_USER, P.check("roadwarrior", "Alice", pw("alice-pw")));
  }

  @Test
  void aLineNamingAConnIsGoodForThatConnOnly() {
    assertEquals(Verdict.NO_SUCH_USER, P.check("other", "alice", pw("alice-pw")));
  }

  @Test
  void unsupportedHashesNeverMatchAndAreReportedWithTheirLine() {
    assertEquals(Verdict.UNSUPPORTED_HASH, P.check("any", "erin", pw("x")));
    assertEquals(Verdict.UNSUPPORTED_HASH, P.check("any", "frank", pw("locked")));
    assertTrue(P.problems().stream().anyMatch(p -> p.startsWith("/etc/ipsec.d/passwd:6: user erin:")), P.problems()
        .toString());
    assertTrue(P.problems().stream().anyMatch(p -> p.startsWith("/etc/ipsec.d/passwd:7: user frank:")));
    assertTrue(P.problems().contains("/etc/ipsec.d/passwd:8: not user:crypt-hash[:conn]; line ignored"));
    assertFalse(String.join("\n", P.problems()).contains("$2b$"), "hashes stay out of messages");
  }
}
