package org.openswanj.kernel.klips.net;

import java.io.IOException;

/**
 * An {@code ipsecN} device as the data path sees it (wireguard-go's {@code tun.Device}): one or more queues to
 * read what the kernel routes into the device, and a {@link PacketSink} to hand it decrypted packets. Every
 * packet read or written starts with a {@link TsoSegmenter#VNET_HDR}-byte virtio header. {@link TunDevice} is
 * the Linux device, {@link MemoryTun} the in-memory fake for tests.
 *
 * <p>Thread-safety: one reader per queue; writes from any thread.
 */
public interface TunQueues extends PacketSink, AutoCloseable {
  String name();

  int queues();

  /**
   * Reads one packet (virtio header first) from {@code queue} into the {@code capacity} bytes at native
   * {@code address}, waiting at most {@code timeoutMillis} (0: not at all).
   *
   * @return the length read, 0 if none came, -1 once closed
   */
  int read(int queue, long address, int capacity, int timeoutMillis) throws IOException;

  @Override
  void close();
}
