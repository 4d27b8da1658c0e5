package org.openswanj.kernel.klips.net;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where decrypted packets go: a TUN device with virtio headers ({@link TunDevice}), or a test's fake. */
public interface PacketSink {
  /** Writes the IP packet at {@code buf[offset, offset+length)} with an empty virtio header put before it. */
  void write(ByteBuffer buf, long address, int offset, int length) throws IOException;

  /** Writes the virtio header at native {@code address} and the {@code length} bytes of IP packet after it. */
  void writeWithHeader(long address, int length) throws IOException;
}
