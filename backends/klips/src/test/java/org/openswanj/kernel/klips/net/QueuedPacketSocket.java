package org.openswanj.kernel.klips.net;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * A receive-only raw socket whose reads are exactly what a test queued, header and all (MemoryNet's receivers
 * build a right IPv4 header themselves): a read longer than its slot is cut, as recvmmsg cuts it. One thread.
 */
public final class QueuedPacketSocket implements PacketSocket {
  private final boolean ipv6;
  private final ArrayDeque<byte[]> reads = new ArrayDeque<>();

  public QueuedPacketSocket(boolean ipv6) {
    this.ipv6 = ipv6;
  }

  /** Queues one read. */
  public void add(byte[] read) {
    reads.add(read);
  }

  @Override
  public boolean ipv6() {
    return ipv6;
  }

  @Override
  public void send(long address, int offset, int length, SockAddr to) throws IOException {
    throw new IOException("receive-only socket"); // as MemoryNet's receivers: a send is refused, never a crash
  }

  @Override
  public int receiveBatch(MessageBatch batch, int count, int timeoutMillis) {
    int n = 0;
    for (byte[] d = reads.poll(); d != null; d = n < count ? reads.poll() : null) {
      int len = Math.min(d.length, batch.bufferLength(n));
      new Pointer(batch.address(n)).write(0, d, 0, len);
      batch.received(n++, len);
    }
    return n;
  }

  @Override
  public void close() {
    reads.clear();
  }
}
