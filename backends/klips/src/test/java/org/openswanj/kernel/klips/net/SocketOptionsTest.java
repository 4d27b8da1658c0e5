package org.openswanj.kernel.klips.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The socket and device settings the data path's speed depends on (root: raw sockets, TUN). */
class SocketOptionsTest {

  private static void needsRoot() {
    assumeTrue("root".equals(System.getProperty("user.name")), "raw sockets and TUN need root");
  }

  @Test
  void aSendOnlyRawEspSocketReceivesNothingWhileAnOrdinaryOneDoes() throws Exception {
    needsRoot();
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    ByteBuffer buf = ByteBuffer.allocateDirect(2048);
    long addr = Libc.address(buf);
    try (RawSocket sendOnly = RawSocket.open(false, 50, null); RawSocket ordinary = RawSocket.open(false, 50, null)) {
      sendOnly.dropAllReceived();
      buf.putInt(0, 0x7e57_0001).putInt(4, 1);
      sendOnly.send(addr, 0, 64, SockAddr.of(lo, 0)); // the filter does not stop it from sending
      int got = ordinary.receive(addr, 0, 2048, 2000);
      assertEquals(20 + 64, got, "the ordinary socket gets the ESP packet with its IPv4 header");
      assertEquals(0x7e57_0001, buf.getInt(20), "its SPI");
      assertEquals(0, sendOnly.receive(addr, 0, 2048, 300), "the send-only socket times out with nothing");
    }
  }

  @Test
  void tunDevicesGetALongTransmitQueue() throws Exception {
    needsRoot();
    String name = "ojtq" + ProcessHandle.current().pid() % 100000;
    try (TunDevice tun = TunDevice.open(name, 1400)) {
      Path q = Path.of("/sys/class/net", name, "tx_queue_len");
      assertEquals(Integer.toString(TunDevice.TX_QUEUE_LEN), Files.readString(q).trim());
      assertEquals(1400, TunDevice.mtu(name));
    }
  }
}
