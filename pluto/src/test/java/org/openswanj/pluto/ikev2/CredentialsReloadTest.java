package org.openswanj.pluto.ikev2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.whack.proto.WhackRequest;

/**
 * {@code ipsec auto --rereadcrls} (and --rereadcacerts, --rereadall) reads ipsec.d again without a new HTTP client
 * each time: the JDK's client keeps a selector thread and an epoll descriptor until it is garbage-collected, so
 * one per reload piled up (the responder fuzz target ran out of descriptors after some 5,000 plutos; an hourly
 * --rereadcrls would do the same to a daemon that seldom collects). A pluto that fetches nothing has none.
 */
class CredentialsReloadTest {
  private static long httpSelectorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")).count();
  }

  @Test
  void rereadingCrlsAndCaCertsMakesNoHttpClient() throws Exception {
    long before = httpSelectorThreads();
    for (int i = 0; i < 10; i++) {
      TwoPlutos t = new TwoPlutos(Ikev2TwoPeerTest.PSK, Ikev2TwoPeerTest.PSK, IkeSettings.defaults());
      t.add(t.west, "west-east", TwoPlutos.conn());
      for (int j = 0; j < 5; j++) {
        t.whack(t.west, new WhackRequest.RereadCrls());
        t.whack(t.west, new WhackRequest.RereadCaCerts());
      }
    }
    assertEquals(before, httpSelectorThreads(), "20 plutos and 100 reloads, no fetch: no HTTP client");
  }
}
