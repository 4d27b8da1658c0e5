package org.openswanj.pluto.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The native batch receive of the port-4500 socket: datagrams in order, and a bounded share per call. */
class UdpBatchReceiverTest {
  @Test
  void oneCallTakesAtMostItsRoundsAndTheNextGoesOnInOrder() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    try (DatagramChannel rx = DatagramChannel.open(); DatagramChannel tx = DatagramChannel.open()) {
      rx.bind(new InetSocketAddress(lo, 0)).configureBlocking(false);
      int fd = SocketFds.fd(rx);
      assertTrue(fd >= 0 && UdpBatchReceiver.enable(fd, 1 << 20), "UDP GRO on the receiving socket");
      int sent = 100;
      for (int i = 0; i < sent; i++) {
        tx.send(ByteBuffer.allocate(4).putInt(0, i), rx.getLocalAddress()); // separate sends: never coalesced
      }
      UdpBatchReceiver r = new UdpBatchReceiver();
      List<Integer> got = new ArrayList<>();
      int first = r.receive(fd, (from, d) -> got.add(d.getInt(d.position())));
      int cap = UdpBatchReceiver.BATCH * UdpBatchReceiver.ROUNDS;
      assertEquals(cap, first, "a flood of separate datagrams: one call takes " + cap + " and leaves the rest");
      long until = System.nanoTime() + 2_000_000_000L;
      while (got.size() < sent && System.nanoTime() < until) {
        r.receive(fd, (from, d) -> got.add(d.getInt(d.position())));
      }
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < sent; i++) {
        expected.add(i);
      }
      assertEquals(expected, got, "every datagram, in the order sent");
    }
  }
}
