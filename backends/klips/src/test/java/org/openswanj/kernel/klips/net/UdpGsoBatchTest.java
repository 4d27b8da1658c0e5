package org.openswanj.kernel.klips.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs of ESP-in-UDP datagrams as UDP GSO sends: how they are grouped, and that every datagram arrives as sent. */
class UdpGsoBatchTest {
  private static final SockAddr ANY = SockAddr.of(InetAddress.getLoopbackAddress(), 9);

  /** Plans a batch of datagrams of these sizes and returns the datagrams per message. */
  private static List<Integer> plan(boolean gso, int... sizes) {
    UdpGsoBatch b = new UdpGsoBatch(Math.max(1, sizes.length));
    for (int s : sizes) {
      b.add(0, s);
    }
    int messages = b.plan(ANY, gso);
    List<Integer> out = new ArrayList<>();
    for (int m = 0; m < messages; m++) {
      out.add(b.datagrams(m));
    }
    return out;
  }

  private static int[] repeat(int size, int n) {
    int[] a = new int[n];
    java.util.Arrays.fill(a, size);
    return a;
  }

  @Test
  void aRunEndsAtAShorterDatagramWhichStillJoinsIt() {
    assertEquals(List.of(6, 4), plan(true, 1400, 1400, 1400, 1400, 1400, 900, 1400, 1400, 1400, 100));
  }

  @Test
  void aLongerDatagramStartsANewRun() {
    assertEquals(List.of(1, 2), plan(true, 100, 1400, 1400));
  }

  @Test
  void aRunHoldsAtMost64DatagramsAnd65000Bytes() {
    assertEquals(List.of(64, 6), plan(true, repeat(100, 70)));
    assertEquals(List.of(46, 4), plan(true, repeat(1400, 50))); // 46 x 1,400 = 64,400; 47 would pass 65,000
  }

  /**
   * The ESP of a datagram reassembled for transport mode is longer than the MTU: as a GSO segment the kernel would
   * refuse the run (EINVAL, and GSO would be off for good); alone it goes as a plain datagram the kernel fragments.
   */
  @Test
  void aDatagramAddedAloneIsAMessageOfItsOwn() {
    UdpGsoBatch b = new UdpGsoBatch(5);
    b.add(0, 1488, true);
    b.add(0, 1400);
    b.add(0, 1400);
    b.add(0, 1488, true);
    b.add(0, 1488, true);
    int messages = b.plan(ANY, true);
    List<Integer> out = new ArrayList<>();
    for (int m = 0; m < messages; m++) {
      out.add(b.datagrams(m));
    }
    assertEquals(List.of(1, 2, 1, 1), out);
  }

  @Test
  void withoutGsoEveryDatagramIsItsOwnMessage() {
    assertEquals(List.of(1, 1, 1), plan(false, 1400, 1400, 1400));
  }

  @Test
  void everyDatagramArrivesWithItsOwnBytesOverIpv4AndIpv6() throws Exception {
    int[] sizes = {1400, 1400, 1400, 1400, 1400, 900, 1400, 1400, 1400, 100, 60};
    for (InetAddress lo : List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))) {
      for (boolean gso : new boolean[] {true, false}) {
        sendAndReceive(lo, gso, sizes);
      }
    }
  }

  private static void sendAndReceive(InetAddress lo, boolean gso, int[] sizes) throws Exception {
    boolean v6 = lo.getAddress().length == 16;
    try (DatagramChannel rx = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
      rx.bind(new InetSocketAddress(lo, 0));
      int port = ((InetSocketAddress) rx.getLocalAddress()).getPort();
      int fd = Libc.socket(v6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_DGRAM, 0);
      assertTrue(fd >= 0, "socket: " + Libc.lastError());
      try {
        ByteBuffer data = ByteBuffer.allocateDirect(32768);
        long base = Libc.address(data);
        UdpGsoBatch b = new UdpGsoBatch(16);
        int off = 0;
        for (int i = 0; i < sizes.length; i++) {
          for (int j = 0; j < sizes[i]; j++) {
            data.put(off + j, (byte) (i * 31 + j));
          }
          b.add(base + off, sizes[i]);
          off += sizes[i];
        }
        assertEquals(0, b.send(fd, SockAddr.of(lo, port), gso), lo + " gso=" + gso + ": refused datagrams");
        assertFalse(b.gsoRefused(), "the kernel took the GSO sends");
        assertEquals(0, b.size(), "the batch is empty after sending");
        ByteBuffer got = ByteBuffer.allocate(65536);
        for (int i = 0; i < sizes.length; i++) {
          got.clear();
          assertNotNull(receive(rx, got), lo + " gso=" + gso + ": datagram " + i + " of " + sizes.length + " missing");
          got.flip();
          assertEquals(sizes[i], got.remaining(), lo + " gso=" + gso + ": datagram " + i + "'s length");
          for (int j = 0; j < sizes[i]; j++) {
            if (got.get(j) != (byte) (i * 31 + j)) {
              throw new AssertionError(lo + " gso=" + gso + ": datagram " + i + " differs at byte " + j);
            }
          }
        }
      } finally {
        Libc.close(fd);
      }
    }
  }

  /** One datagram within 2 s (the channel is blocking only through a selector here). */
  private static Object receive(DatagramChannel rx, ByteBuffer into) throws Exception {
    rx.configureBlocking(false);
    try (java.nio.channels.Selector sel = java.nio.channels.Selector.open()) {
      rx.register(sel, java.nio.channels.SelectionKey.OP_READ);
      long until = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < until) {
        Object from = rx.receive(into);
        if (from != null) {
          return from;
        }
        sel.select(200);
        sel.selectedKeys().clear();
      }
      return null;
    }
  }
}
