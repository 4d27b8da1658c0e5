package org.openswanj.kernel.klips.lab;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.openswanj.alg.Encryption;
import org.openswanj.kernel.klips.esp.EspCodec;
import org.openswanj.kernel.klips.esp.EspTransform;
import org.openswanj.kernel.klips.net.IpPacket;
import org.openswanj.kernel.klips.net.Libc;
import org.openswanj.kernel.klips.net.RawSocket;
import org.openswanj.kernel.klips.net.SockAddr;

/** Sends hostile ESP to the peer: a replay of sequence 1, a packet with one flipped bit, an unknown SPI. */
final class Injector {
  private Injector() {}

  static void inject(InetAddress me, InetAddress peer, int spi, byte[] key, InetAddress src, InetAddress dst)
      throws Exception {
    EspTransform t = EspTransform.create(Encryption.AES_GCM_16, key, null, null);
    try (RawSocket s = RawSocket.open(false, 50, null)) {
      s.bind(SockAddr.of(me, 0));
      SockAddr to = SockAddr.of(peer, 0);
      send(s, to, t, spi, 1, src, dst, false); // seq 1 was used by the first ping: a replay
      send(s, to, t, spi, 1_000_000, src, dst, true); // fresh sequence number, one bit flipped
      send(s, to, t, 0x0badf00d, 1_000_001, src, dst, false); // nobody has this SPI
    }
  }

  private static void send(RawSocket s, SockAddr to, EspTransform t, int spi, long seq, InetAddress src,
      InetAddress dst, boolean flip) throws Exception {
    ByteBuffer clear = ByteBuffer.allocateDirect(256);
    // An ICMP echo request from src to dst: it would be counted on ipsec0 if it got through.
    IpPacket.writeIpv4Header(clear, 0, 28, IpPacket.PROTO_ICMP, ByteBuffer.wrap(concat(src, dst)), 0, 4);
    clear.put(20, (byte) 8).putShort(22, (short) 0).putInt(24, 0x12340001);
    clear.putShort(22, (short) IpPacket.checksum(clear, 20, 8, 0));
    clear.position(0).limit(28);
    ByteBuffer wire = ByteBuffer.allocateDirect(256);
    int n = EspCodec.encode(t, spi, seq, false, IpPacket.PROTO_IPIP, clear, wire);
    if (flip) {
      wire.put(20, (byte) (wire.get(20) ^ 0x04));
    }
    s.send(Libc.address(wire), 0, n, to);
  }

  private static byte[] concat(InetAddress a, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    byte[] r = new byte[x.length + y.length];
    System.arraycopy(x, 0, r, 0, x.length);
    System.arraycopy(y, 0, r, x.length, y.length);
    return r;
  }
}
