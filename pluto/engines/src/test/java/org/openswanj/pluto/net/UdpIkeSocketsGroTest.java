package org.openswanj.pluto.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The port-4500 socket with UDP GRO (for a backend that decapsulates ESP in UDP): datagrams the kernel coalesced
 * are handed out one by one as sent, IKE (non-ESP marker, RFC 3948 §2.2) split from ESP per datagram.
 */
class UdpIkeSocketsGroTest {
  static {
    Native.register(UdpIkeSocketsGroTest.class, "c");
  }

  private static native int setsockopt(int fd, int level, int name, Pointer value, int len);

  private static final int SEGMENT = 1400;

  @Test
  void coalescedDatagramsAreSplitAsSentAndIkeIsTakenOutOfThem() throws Exception {
    for (boolean gro : new boolean[] {true, false}) {
      List<byte[]> esp = new CopyOnWriteArrayList<>();
      List<byte[]> ike = new CopyOnWriteArrayList<>();
      AtomicInteger batches = new AtomicInteger();
      UdpIkeSockets.EspSink sink = new UdpIkeSockets.EspSink() {
        @Override
        public void onEsp(InetSocketAddress from, InetSocketAddress to, ByteBuffer b) {
          byte[] copy = new byte[b.remaining()];
          b.duplicate().get(copy);
          esp.add(copy);
        }

        @Override
        public void endOfBatch() {
          batches.incrementAndGet();
        }

        @Override
        public boolean coalesced() {
          return gro;
        }
      };
      int base = 30000 + (int) (ProcessHandle.current().pid() % 10000) * 2;
      InetAddress lo = InetAddress.getByName("127.0.0.1");
      UdpIkeSockets sockets = new UdpIkeSockets(base, base + 1, Runnable::run, (l, r, m) -> ike.add(m), sink);
      try (DatagramChannel tx = DatagramChannel.open()) {
        sockets.listen(lo, "lo");
        sockets.start();
        // UDP_SEGMENT as a socket option: every send of more than SEGMENT bytes leaves as a GSO run
        Memory v = new Memory(4);
        v.setInt(0, SEGMENT);
        assertEquals(0, setsockopt(SocketFds.fd(tx), 17, 103, v, 4), "UDP_SEGMENT");
        byte[][] sent = new byte[3][SEGMENT];
        ByteBuffer run = ByteBuffer.allocate(3 * SEGMENT + 300);
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < SEGMENT; j++) {
            sent[i][j] = (byte) (i * 7 + j);
          }
          sent[i][0] = (byte) (0x10 + i); // an SPI, never zero (RFC 3948 §2.1)
          run.put(sent[i]);
        }
        byte[] ikeMessage = new byte[296];
        ikeMessage[0] = 0x42;
        run.putInt(0).put(ikeMessage).flip(); // the last, shorter segment: IKE behind its non-ESP marker
        tx.send(run, new InetSocketAddress(lo, base + 1));
        long until = System.nanoTime() + 3_000_000_000L;
        while ((esp.size() < 3 || ike.isEmpty()) && System.nanoTime() < until) {
          Thread.sleep(10);
        }
        assertEquals(3, esp.size(), "gro=" + gro + ": the ESP datagrams");
        for (int i = 0; i < 3; i++) {
          assertArrayEquals(sent[i], esp.get(i), "gro=" + gro + ": ESP datagram " + i);
        }
        assertEquals(1, ike.size(), "gro=" + gro + ": the IKE message");
        assertArrayEquals(ikeMessage, ike.get(0), "gro=" + gro + ": the IKE message without its marker");
        assertTrue(batches.get() >= 1, "the sink heard the end of the batch");
        long[] counts = sockets.groCounts();
        if (gro) {
          assertEquals(1, counts[0], "one coalesced buffer");
          assertEquals(4, counts[1], "split into four datagrams");
        } else {
          assertEquals(0, counts[0], "without GRO nothing is read natively");
        }
      } finally {
        sockets.close();
      }
    }
  }
}
