package org.openswanj.kernel.klips.net;

import java.io.IOException;

/**
 * A socket for whole IP datagrams as the data path sees it (wireguard-go's {@code conn.Bind}): raw ESP
 * (protocol 50) in and out, or IPPROTO_RAW for %pass. Received IPv4 datagrams start with their IP header, as
 * Linux raw sockets deliver them. {@link RawSocket} is the Linux socket, {@link MemoryNet} the fake network.
 *
 * <p>Thread-safety: one receiving thread; sends from the thread that owns the batch.
 */
public interface PacketSocket extends AutoCloseable {
  boolean ipv6();

  /** Sends {@code length} bytes at native {@code address + offset} to {@code to}. */
  void send(long address, int offset, int length, SockAddr to) throws IOException;

  /**
   * Receives up to {@code count} datagrams into the batch's slots; waits at most {@code timeoutMillis} for
   * the first. Returns how many, 0 on timeout, -1 once closed.
   */
  int receiveBatch(MessageBatch batch, int count, int timeoutMillis) throws IOException;

  /**
   * Sends the batch's first {@code count} slots; returns how many were refused (the others went). This one sends
   * them one at a time (the fakes); {@link RawSocket} sends them in one {@code sendmmsg}.
   */
  default int sendBatch(MessageBatch batch, int count) {
    int refused = 0;
    for (int i = 0; i < count; i++) {
      try {
        send(batch.address(i), 0, batch.bufferLength(i), batch.destination(i));
      } catch (IOException e) {
        refused++;
      }
    }
    return refused;
  }

  @Override
  void close();
}
