package org.openswanj.pluto.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultRoutesTest {
  @TempDir Path dir;

  @Test
  void lowestMetricDefaultRouteOnLoopbackIsFound() throws Exception {
    // lo exists everywhere and has 127.0.0.1, so the device address can be checked without a namespace
    Files.writeString(dir.resolve("route"), """
        Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
        lo\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
        lo\t00000000\t0202A8C0\t0003\t0\t0\t5\t00000000\t0\t0\t0
        lo\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        lo\t00000000\t0302A8C0\t0201\t0\t0\t0\t00000000\t0\t0\t0
        """);
    DefaultRoutes.Route r = new DefaultRoutes(dir).find(false).orElseThrow();
    assertEquals("lo", r.iface());
    assertEquals(InetAddress.getByName("127.0.0.1"), r.source());
    assertEquals(Optional.of(InetAddress.getByName("192.168.2.2")), r.gateway(), "metric 5 wins; reject routes skipped");
  }

  @Test
  void noDefaultRouteOrNoFileIsEmpty() throws Exception {
    Files.writeString(dir.resolve("route"), "Iface\tDestination\tGateway\n");
    assertTrue(new DefaultRoutes(dir).find(false).isEmpty());
    assertTrue(new DefaultRoutes(dir).find(true).isEmpty());
  }
}
