package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.whack.proto.WhackRequest;

/** IKE_AUTH with every ID type Openswan writes (RFC 7296 §3.5), found in ipsec.secrets by the same IDs. */
class IdTypesTest {
  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource(delimiter = '|', value = {
      "(default: the IP address) | (default) | 192.1.2.45 192.1.2.23",
      "@west.example.com | @east.example.com | @west.example.com @east.example.com",
      "west@example.com | east@example.com | west@example.com east@example.com",
      "192.1.2.45 | 192.1.2.23 | 192.1.2.45 192.1.2.23",
      "C=CA, O=Example, CN=west | C=CA, O=Example, CN=east | \"C=CA, O=Example, CN=west\" \"C=CA, O=Example, CN=east\"",
      "@#0a0b0c0d | @#01020304 | @#0a0b0c0d @#01020304"})
  void authenticatesWithEveryIdType(String left, String right, String selectors) throws Exception {
    String psk = selectors + " : PSK \"a-long-shared-secret\"\n";
    Map<String, String> c = TwoPlutos.conn();
    if (left.startsWith("(")) {
      c.remove("leftid");
      c.remove("rightid");
    } else {
      c.put("leftid", left);
      c.put("rightid", right);
    }
    TwoPlutos t = new TwoPlutos(psk, psk, IkeSettings.defaults());
    assertTrue(t.add(t.west, "west-east", c).text().contains("added"));
    assertTrue(t.add(t.east, "west-east", c).text().contains("added"));
    TwoPlutos.Recorder r = t.whack(t.west, new WhackRequest.Initiate("west-east", false));
    assertTrue(r.text().contains("IPsec SA established"), r.text());
    assertEquals(Ikev2State.STATE_PARENT_R2, t.east.pluto.engine().ikeSas().get(0).state);
  }
}
