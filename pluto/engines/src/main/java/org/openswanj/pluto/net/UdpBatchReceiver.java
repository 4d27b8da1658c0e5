package org.openswanj.pluto.net;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Takes datagrams off a UDP socket in batches with {@code recvmmsg(2)}, with the kernel's UDP GRO on
 * ({@code UDP_GRO}, Linux 5.0): consecutive datagrams of one flow arrive as one buffer plus the segment size in a
 * control message, and {@link #receive} hands them out one datagram at a time again, as sent. This is how pluto's
 * port-4500 socket takes ESP in UDP for a backend that decapsulates it (klips): one system call and one trip
 * through the kernel's stack for many datagrams instead of one each.
 *
 * <p>Layout (LP64 Linux): {@code BATCH} mmsghdrs (64 bytes: msghdr {name 0, namelen 8, iov 16, iovlen 24,
 * control 32, controllen 40, flags 48}, msg_len 56), iovecs (16 bytes), sockaddr storage (28 bytes, room for
 * sockaddr_in6), control buffers ({@value #CONTROL} bytes), then the datagram buffers.
 *
 * <p>Not thread-safe: used by the one receive thread.
 */
final class UdpBatchReceiver {
  static {
    Native.register(UdpBatchReceiver.class, "c");
  }

  /** Receives one datagram (a segment of a coalesced buffer): {@code data} from position to limit, valid in the call. */
  interface Sink {
    void datagram(InetSocketAddress from, ByteBuffer data);
  }

  static final int SOL_UDP = 17;
  static final int UDP_GRO = 104;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVBUF = 8;
  private static final int MSG_DONTWAIT = 0x40;
  private static final int EINTR = 4;
  static final int BATCH = 8;
  /** recvmmsg calls per {@link #receive}: up to 64 buffers (each up to 64 datagrams when coalesced). */
  static final int ROUNDS = 8;
  /** A coalesced buffer holds up to 64 KiB of datagrams (the largest the kernel builds). */
  private static final int BUFFER = 65536;
  private static final int NAME = 28;
  private static final int CONTROL = 64;
  private static final int MMSGHDR = 64;
  private static final int IOVEC = 16;

  private static native int recvmmsg(int fd, long msgvec, int vlen, int flags, long timeout);

  private static native int setsockopt(int fd, int level, int name, Pointer value, int len);

  private final Memory memory;
  private final ByteBuffer view;
  private final ByteBuffer data;
  private final long base;
  private final int names;
  private final int controls;
  private final int buffers;
  private final byte[] address4 = new byte[4];
  private final byte[] address6 = new byte[16];
  private final byte[] lastAddress = new byte[16];
  private int lastPort = -1;
  private int lastFamily;
  private InetSocketAddress lastFrom;
  /** Buffers received and the datagrams split out of them (more datagrams than buffers: GRO at work). */
  long received;
  long datagrams;

  UdpBatchReceiver() {
    int headers = BATCH * (MMSGHDR + IOVEC + NAME + CONTROL);
    this.memory = new Memory(headers + (long) BATCH * BUFFER);
    memory.clear(headers);
    this.view = memory.getByteBuffer(0, headers).order(ByteOrder.nativeOrder());
    this.data = memory.getByteBuffer(headers, (long) BATCH * BUFFER).order(ByteOrder.BIG_ENDIAN);
    this.base = Pointer.nativeValue(memory);
    int iovs = BATCH * MMSGHDR;
    this.names = iovs + BATCH * IOVEC;
    this.controls = names + BATCH * NAME;
    this.buffers = headers;
    for (int i = 0; i < BATCH; i++) {
      int h = i * MMSGHDR;
      view.putLong(h, base + names + (long) i * NAME);
      view.putLong(h + 16, base + iovs + (long) i * IOVEC);
      view.putLong(h + 24, 1);
      view.putLong(h + 32, base + controls + (long) i * CONTROL);
      view.putLong(iovs + i * IOVEC, base + buffers + (long) i * BUFFER);
      view.putLong(iovs + i * IOVEC + 8, BUFFER);
    }
  }

  /**
   * Turns on UDP GRO for socket {@code fd} and raises its receive buffer to {@code rcvbuf} bytes (best effort, up
   * to the system's limit). False if the kernel has no UDP GRO: the socket is then left as it was.
   */
  static boolean enable(int fd, int rcvbuf) {
    Memory v = new Memory(4);
    v.setInt(0, 1);
    if (setsockopt(fd, SOL_UDP, UDP_GRO, v, 4) < 0) {
      return false;
    }
    v.setInt(0, rcvbuf);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, v, 4);
    return true;
  }

  /**
   * Hands the datagrams waiting on non-blocking socket {@code fd} to {@code sink}, in the order they came: at most
   * {@link #ROUNDS} system calls' worth, so that a flood on this socket does not keep the receive thread from the
   * others (the selector reports it again while more wait).
   *
   * @return how many datagrams; -1 if the socket failed (closed)
   */
  int receive(int fd, Sink sink) {
    int total = 0;
    for (int round = 0; round < ROUNDS; round++) {
      for (int i = 0; i < BATCH; i++) {
        view.putInt(i * MMSGHDR + 8, NAME);
        view.putLong(i * MMSGHDR + 40, CONTROL);
      }
      int n = recvmmsg(fd, base, BATCH, MSG_DONTWAIT, 0);
      if (n < 0) {
        int err = Native.getLastError();
        if (err == EINTR) {
          continue;
        }
        return total > 0 || err == 11 ? total : -1; // EAGAIN: drained
      }
      for (int i = 0; i < n; i++) {
        total += deliver(i, sink);
      }
      received += n;
      if (n < BATCH) {
        return total;
      }
    }
    return total;
  }

  /** Splits message {@code i} at its GRO segment size (the last segment may be shorter) and hands each out. */
  private int deliver(int i, Sink sink) {
    int h = i * MMSGHDR;
    int len = Math.min(view.getInt(h + 56), BUFFER);
    InetSocketAddress from = sender(names + i * NAME);
    if (from == null) {
      return 0;
    }
    int segment = segmentSize(controls + i * CONTROL, (int) Math.min(view.getLong(h + 40), CONTROL));
    if (segment <= 0 || segment >= len) {
      segment = len;
    }
    int start = i * BUFFER;
    int count = 0;
    for (int off = 0; off < len || (len == 0 && count == 0); off += Math.max(segment, 1)) {
      int end = Math.min(off + segment, len);
      data.limit(start + end).position(start + off);
      sink.datagram(from, data);
      count++;
    }
    datagrams += count;
    return count;
  }

  /** The UDP_GRO control message's segment size, or 0 if the buffer is a single datagram. */
  private int segmentSize(int control, int controlLength) {
    int at = 0;
    while (at + 16 <= controlLength) {
      long cmsgLen = view.getLong(control + at);
      if (cmsgLen < 16 || at + cmsgLen > controlLength) {
        return 0;
      }
      if (view.getInt(control + at + 8) == SOL_UDP && view.getInt(control + at + 12) == UDP_GRO
          && cmsgLen >= 20) {
        return view.getInt(control + at + 16);
      }
      at += (int) ((cmsgLen + 7) & ~7L);
    }
    return 0;
  }

  /** The sockaddr at {@code offset} as an address; the last one again when it is the same (no allocation). */
  private InetSocketAddress sender(int offset) {
    int family = view.getShort(offset) & 0xffff;
    int port = ((view.get(offset + 2) & 0xff) << 8) | (view.get(offset + 3) & 0xff);
    byte[] a;
    if (family == 2) {
      a = address4;
      view.get(offset + 4, a);
    } else if (family == 10) {
      a = address6;
      view.get(offset + 8, a);
    } else {
      return null;
    }
    if (lastFrom != null && lastPort == port && lastFamily == family
        && java.util.Arrays.equals(lastAddress, 0, a.length, a, 0, a.length)) {
      return lastFrom;
    }
    try {
      lastFrom = new InetSocketAddress(InetAddress.getByAddress(a), port);
      System.arraycopy(a, 0, lastAddress, 0, a.length);
      lastPort = port;
      lastFamily = family;
      return lastFrom;
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
