package org.openswanj.kernel.klips.net;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ESP-in-UDP datagrams (RFC 3948) to one peer from one UDP socket, sent with {@code sendmmsg(2)} where each
 * message carries a run of equal-sized datagrams as one UDP GSO send: a {@code UDP_SEGMENT} control message
 * (Linux 4.18) gives the size, and the kernel takes the run through its stack once and cuts it into datagrams of
 * that size at the device (or in software just before it). A run ends at a datagram shorter than the ones
 * before it (which still joins the run, as the kernel's last segment may be short), at 64 datagrams or at
 * {@link #MAX_BYTES}. With GSO off every datagram is its own message, still one system call per batch. A datagram
 * added {@code alone} (longer than the path MTU: the ESP of a datagram reassembled for transport mode) is a message
 * of its own, without UDP_SEGMENT, so the kernel fragments it (RFC 4303 §3.3.5, RFC 3948 §3: the ESP-in-UDP packet
 * is fragmented after encapsulation); as a GSO segment larger than the MTU the kernel refuses it (EINVAL).
 *
 * <p>Layout (LP64 Linux): {@code capacity} mmsghdrs (64 bytes, see {@link MessageBatch}), then {@code capacity}
 * iovecs (16 bytes, one per datagram: a run's iovecs are consecutive), then one 24-byte cmsg per message
 * ({@code CMSG_SPACE(sizeof(uint16_t))}: {len 8, level 4, type 4, data 2, padding}).
 *
 * <p>Not thread-safe: one owner thread.
 */
public final class UdpGsoBatch {
  static final int SOL_UDP = 17;
  static final int UDP_SEGMENT = 103;
  /** The kernel's UDP_MAX_SEGMENTS was 64 until Linux 5.7 (128 since): the smaller works on both. */
  static final int MAX_SEGMENTS = 64;
  /** The payload of one send: 65,535 bytes of IP datagram less the IPv6 (40) and UDP (8) headers, rounded down. */
  static final int MAX_BYTES = 65_000;
  private static final int CMSG_SPACE = 24;
  private static final int CMSG_LEN = 18;
  private static final int EIO = 5;
  private static final int EINVAL = 22;
  private static final int EMSGSIZE = 90;
  private static final int ENOPROTOOPT = 92;
  /** How long a full socket send buffer is waited for before the rest of the batch is dropped. */
  private static final int FULL_WAIT_MILLIS = 20;

  private final int capacity;
  private final Memory memory;
  private final ByteBuffer view;
  private final long base;
  private final long iovs;
  private final long cmsgs;
  private final Memory pollFd = new Memory(8);
  private final int[] lengths;
  private final boolean[] alone;
  /** Per message: its first datagram and how many it carries. */
  private final int[] first;
  private final int[] count;
  private int packets;
  private boolean gsoRefused;

  public UdpGsoBatch(int capacity) {
    this.capacity = capacity;
    this.memory = new Memory((long) capacity * (MessageBatch.MMSGHDR + MessageBatch.IOVEC + CMSG_SPACE));
    memory.clear();
    this.view = memory.getByteBuffer(0, memory.size()).order(ByteOrder.nativeOrder());
    this.base = Pointer.nativeValue(memory);
    this.iovs = base + (long) capacity * MessageBatch.MMSGHDR;
    this.cmsgs = iovs + (long) capacity * MessageBatch.IOVEC;
    for (int m = 0; m < capacity; m++) {
      int c = cmsgOffset(m);
      view.putLong(c, CMSG_LEN);
      view.putInt(c + 8, SOL_UDP);
      view.putInt(c + 12, UDP_SEGMENT);
    }
    this.lengths = new int[capacity];
    this.alone = new boolean[capacity];
    this.first = new int[capacity];
    this.count = new int[capacity];
  }

  public int capacity() {
    return capacity;
  }

  public int size() {
    return packets;
  }

  /** Queues the {@code length} bytes at native {@code address} (they must stay put until {@link #send}). */
  public void add(long address, int length) {
    add(address, length, false);
  }

  /** As {@link #add(long, int)}; {@code alone}: never part of a GSO run (longer than the path MTU). */
  public void add(long address, int length, boolean alone) {
    this.alone[packets] = alone;
    int iov = capacity * MessageBatch.MMSGHDR + packets * MessageBatch.IOVEC;
    view.putLong(iov, address);
    view.putLong(iov + 8, length);
    lengths[packets++] = length;
  }

  public void clear() {
    packets = 0;
  }

  /** After {@link #send}: the kernel refused GSO itself (EIO, EINVAL), and the batch went without it. */
  public boolean gsoRefused() {
    return gsoRefused;
  }

  /**
   * Groups the queued datagrams into messages (runs when {@code gso}) for {@code to}.
   *
   * @return how many messages
   */
  int plan(SockAddr to, boolean gso) {
    int messages = 0;
    for (int i = 0; i < packets; ) {
      int size = lengths[i];
      int n = 1;
      int total = size;
      while (gso && !alone[i] && i + n < packets && !alone[i + n] && n < MAX_SEGMENTS && total + lengths[i + n] <= MAX_BYTES
          && lengths[i + n] <= size) {
        total += lengths[i + n];
        n++;
        if (lengths[i + n - 1] < size) {
          break; // a shorter datagram ends the run (only the last segment may be short)
        }
      }
      int h = messages * MessageBatch.MMSGHDR;
      view.putLong(h, Pointer.nativeValue(to.pointer()));
      view.putInt(h + 8, to.length());
      view.putLong(h + 16, iovs + (long) i * MessageBatch.IOVEC);
      view.putLong(h + 24, n);
      if (n > 1) {
        view.putShort(cmsgOffset(messages) + 16, (short) size);
        view.putLong(h + 32, cmsgs + (long) messages * CMSG_SPACE);
        view.putLong(h + 40, CMSG_SPACE);
      } else {
        view.putLong(h + 32, 0);
        view.putLong(h + 40, 0);
      }
      first[messages] = i;
      count[messages] = n;
      messages++;
      i += n;
    }
    return messages;
  }

  /** Message {@code m} of the last plan: how many datagrams it carries. */
  int datagrams(int m) {
    return count[m];
  }

  /**
   * Sends what is queued to {@code to} on socket {@code fd} and empties the batch. A message the kernel refuses
   * as GSO (EIO: the route's device cannot checksum it; EINVAL: an older kernel's limits) is sent again one
   * datagram per message, and {@link #gsoRefused} says so; other refusals (no route) drop that message and the
   * others still go. A full send buffer (the socket is non-blocking) is waited for up to 20 ms.
   *
   * @return how many datagrams were not sent
   */
  public int send(int fd, SockAddr to, boolean gso) {
    gsoRefused = false;
    int refused = 0;
    int messages = plan(to, gso);
    int done = 0;
    while (done < messages) {
      int n = Libc.sendmmsg(fd, base + (long) done * MessageBatch.MMSGHDR, messages - done, 0);
      if (n > 0) {
        done += n;
        continue;
      }
      int err = Native.getLastError();
      if (n < 0 && err == Libc.EINTR) {
        continue;
      }
      if (n < 0 && err == Libc.EAGAIN && Libc.awaitWritable(pollFd, fd, FULL_WAIT_MILLIS)) {
        continue;
      }
      if (n < 0 && count[done] > 1 && (err == EIO || err == EINVAL || err == ENOPROTOOPT || err == EMSGSIZE)) {
        gsoRefused = true;
        refused += sendOneByOne(fd, to, done);
      } else {
        refused += count[done]; // no route, or the buffer stayed full: this message is lost, the rest goes
      }
      done++;
    }
    packets = 0;
    return refused;
  }

  /** Sends message {@code m}'s datagrams without GSO, one sendto each. */
  private int sendOneByOne(int fd, SockAddr to, int m) {
    int refused = 0;
    for (int i = first[m]; i < first[m] + count[m]; i++) {
      long address = view.getLong(capacity * MessageBatch.MMSGHDR + i * MessageBatch.IOVEC);
      if (Libc.sendto(fd, address, lengths[i], 0, to.pointer(), to.length()) < 0) {
        refused++;
      }
    }
    return refused;
  }

  private int cmsgOffset(int m) {
    return (int) (cmsgs - base) + m * CMSG_SPACE;
  }
}
