package org.openswanj.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.openswanj.conf.ConfTestSupport.messages;
import static org.openswanj.conf.ConfTestSupport.parse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** metrics= in config setup (ours): one literal address and a port, its errors at file:line naming the keyword. */
class ListenAddressTest {
  @Test
  void addressesAndPortsAsWritten() throws Exception {
    assertEquals("192.0.2.1:9090", ListenAddress.parse("metrics", "192.0.2.1:9090").toString());
    assertEquals("[2001:db8::1]:9090", ListenAddress.parse("metrics", "[2001:db8::1]:9090").toString());
    assertEquals("127.0.0.1:1", ListenAddress.parse("metrics", " 127.0.0.1:1 ").toString());
    // a wildcard only because the admin wrote one
    assertEquals("0.0.0.0:9090", ListenAddress.parse("metrics", "0.0.0.0:9090").toString());
  }

  @Test
  void aValidValueReachesTheSetupAsWritten() {
    LoadResult r = parse("config setup\n\tmetrics=192.1.2.45:9090\n");
    assertFalse(r.hasErrors(), messages(r).toString());
    assertEquals("192.1.2.45:9090", r.config().setup().raw().get("metrics"));
  }

  @Test
  void badValuesAreErrorsNamingTheKeywordAndLine() {
    assertEquals(List.of("t.conf:2: metrics=9090: expected ADDRESS:PORT (an IPv6 address in brackets, [::1]:9090)"),
        messages(parse("config setup\n\tmetrics=9090\n")));
    assertEquals(List.of("t.conf:2: metrics=localhost:9090: \"localhost\" is not an IPv4 or IPv6 address (no names)"),
        messages(parse("config setup\n\tmetrics=localhost:9090\n")));
    assertEquals(List.of("t.conf:2: metrics=192.0.2.1:70000: port 70000 is not 1..65535"),
        messages(parse("config setup\n\tmetrics=192.0.2.1:70000\n")));
    assertEquals(List.of("t.conf:2: metrics=:9090: \"\" is not an IPv4 or IPv6 address (no names)"),
        messages(parse("config setup\n\tmetrics=:9090\n")));
    assertEquals(List.of("t.conf:2: keyword 'metrics' is not valid in a conn (it belongs in config setup)"),
        messages(parse("conn a\n\tmetrics=192.0.2.1:9090\n\tleft=192.0.2.1\n\tright=192.0.2.2\n")));
  }
}
