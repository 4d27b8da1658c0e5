package org.openswanj.pluto.ikev2;

import org.openswanj.pluto.engine.IkeSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.openswanj.whack.proto.WhackRequest;

/** RFC 7296 §2.6 under a flood: cookies with a rotating secret, a cap per source address and a hard cap. */
class FloodLimitsTest {
  /** East with the given limits; west's first IKE_SA_INIT is kept as the flood's template. */
  private static final class Lab {
    final TwoPlutos t;
    final byte[] template;
    final InetSocketAddress east = new InetSocketAddress(TwoPlutos.EAST, 500);

    Lab(IkeSettings.FloodLimits limits) throws Exception {
      t = new TwoPlutos(Ikev2TwoPeerTest.PSK, Ikev2TwoPeerTest.PSK, IkeSettings.defaults().withFlood(limits));
      t.add(t.west, "west-east", TwoPlutos.conn());
      t.add(t.east, "west-east", TwoPlutos.conn());
      // a road-warrior conn answers any address, as on a gateway that takes floods
      java.util.Map<String, String> rw = new java.util.LinkedHashMap<>(TwoPlutos.conn());
      rw.put("left", "%any");
      rw.put("leftid", "%any");
      rw.remove("leftsubnet");
      t.add(t.east, "rw", rw);
      assertTrue(t.whack(t.west, new WhackRequest.Initiate("west-east", false)).text().contains("IPsec SA established"));
      assertEquals(0, t.east.pluto.engine().halfOpen(), "an established SA is no longer half-open");
      template = t.net.log().get(0).bytes();
    }

    /** Replays west's IKE_SA_INIT from {@code from} with initiator SPI {@code spi}. */
    void flood(String from, long spi) throws Exception {
      byte[] m = template.clone();
      ByteBuffer.wrap(m).putLong(0, spi);
      t.net.inject(new InetSocketAddress(InetAddress.getByName(from), 500), east, m);
      t.loop.runPending();
    }

    int halfOpen() {
      return t.east.pluto.engine().halfOpen();
    }
  }

  @Test
  void oneAddressHoldsAtMostItsShare() throws Exception {
    Lab lab = new Lab(new IkeSettings.FloodLimits(1000, 1000, 3, Duration.ofMinutes(2)));
    for (int i = 1; i <= 10; i++) {
      lab.flood("192.1.2.99", 0x5000L + i);
    }
    assertEquals(3, lab.halfOpen(), "the per-address cap");
    lab.flood("192.1.2.98", 0x6000L);
    assertEquals(4, lab.halfOpen(), "another address is still answered");
  }

  private static java.util.List<byte[]> sentTo(Lab lab, String to) throws Exception {
    InetAddress a = InetAddress.getByName(to);
    return lab.t.net.log().stream().filter(d -> d.to().getAddress().equals(a)).map(d -> d.bytes()).toList();
  }

  @Test
  void aRetransmittedFirstMessageIsAnsweredFromItsSaAndTheSameSpiElsewhereIsAnotherInitiator() throws Exception {
    Lab lab = new Lab(new IkeSettings.FloodLimits(1000, 1000, 100, Duration.ofMinutes(2)));
    lab.flood("192.1.2.99", 0x9000L);
    assertEquals(1, lab.halfOpen());
    lab.flood("192.1.2.99", 0x9000L);
    assertEquals(1, lab.halfOpen(), "the retransmission made no second SA");
    java.util.List<byte[]> answers = sentTo(lab, "192.1.2.99");
    assertEquals(2, answers.size());
    // RFC 7296 §2.1: the same response again, byte for byte
    assertTrue(java.util.Arrays.equals(answers.get(0), answers.get(1)));
    lab.flood("192.1.2.98", 0x9000L);
    assertEquals(2, lab.halfOpen(), "the same initiator SPI from another address is another SA");
  }

  @Test
  void theHardCapHoldsAcrossAddresses() throws Exception {
    Lab lab = new Lab(new IkeSettings.FloodLimits(1000, 5, 100, Duration.ofMinutes(2)));
    for (int i = 1; i <= 20; i++) {
      lab.flood("10.0.0." + i, 0x7000L + i);
    }
    assertEquals(5, lab.halfOpen());
    // the half-open SAs time out (30 s): room again
    lab.t.loop.advance(Duration.ofSeconds(31));
    assertEquals(0, lab.halfOpen());
    lab.flood("10.0.1.1", 0x8000L);
    assertEquals(1, lab.halfOpen());
  }

  @Test
  void aCookieOutlivesOneSecretChangeButNotTwo() throws Exception {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Cookies c = new Cookies(new SecureRandom(), Duration.ofMinutes(2), t0);
    byte[] ni = new byte[32];
    InetAddress ip = InetAddress.getByName("192.1.2.45");
    byte[] cookie = c.make(ni, ip, 42, t0);
    assertTrue(c.valid(cookie, ni, ip, 42, t0.plusSeconds(60)));
    assertFalse(c.valid(cookie, ni, ip, 43, t0.plusSeconds(60)), "bound to the SPI");
    assertFalse(c.valid(cookie, ni, InetAddress.getByName("192.1.2.46"), 42, t0.plusSeconds(60)), "and the address");
    assertTrue(c.valid(cookie, ni, ip, 42, t0.plusSeconds(150)), "the previous secret is still accepted");
    byte[] fresh = c.make(ni, ip, 42, t0.plusSeconds(150));
    assertFalse(java.util.Arrays.equals(cookie, fresh), "a new secret makes new cookies");
    assertFalse(c.valid(cookie, ni, ip, 42, t0.plusSeconds(300)), "two changes later it is refused");
    assertFalse(c.valid(new byte[5], ni, ip, 42, t0.plusSeconds(300)));
  }
}
