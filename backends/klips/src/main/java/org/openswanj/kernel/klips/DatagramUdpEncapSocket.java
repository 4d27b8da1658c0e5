package org.openswanj.kernel.klips;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.UdpEncapSocket;

/**
 * A stand-alone port-4500 socket for running the backend without pluto (tests, the lab): sends
 * ESP-in-UDP and hands every received datagram that is not IKE (RFC 3948 §2.2: IKE starts with a
 * 4-byte zero non-ESP marker) to the backend. pluto has its own socket and does the same split.
 */
public final class DatagramUdpEncapSocket implements UdpEncapSocket, AutoCloseable {
  private static final org.apache.logging.log4j.Logger LOG = org.apache.logging.log4j.LogManager.getLogger(DatagramUdpEncapSocket.class);
  private final DatagramChannel channel;
  private final InetSocketAddress local;
  private final Thread receiver;

  public DatagramUdpEncapSocket(InetSocketAddress local, KernelBackend backend) throws IOException {
    this.local = local;
    this.channel = DatagramChannel.open().bind(local);
    this.receiver = new Thread(() -> receive(backend), "klips-udp-" + local.getPort());
    receiver.setDaemon(true);
    receiver.start();
  }

  private void receive(KernelBackend backend) {
    ByteBuffer buf = ByteBuffer.allocateDirect(65536);
    while (channel.isOpen()) {
      try {
        buf.clear();
        InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
        buf.flip();
        boolean ike = buf.remaining() >= 4 && buf.getInt(0) == 0;
        if (!ike) {
          backend.receiveUdpEncapsulated(from, local, buf);
          backend.udpEncapsulatedBatchEnd();
        }
      } catch (IOException e) {
        return; // closed
      } catch (RuntimeException e) {
        LOG.warn("klips: ESP in UDP from the stand-alone socket dropped: {}", e.toString(), e);
      }
    }
  }

  @Override
  public void send(InetSocketAddress from, InetSocketAddress to, ByteBuffer datagram) throws IOException {
    channel.send(datagram, to);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
