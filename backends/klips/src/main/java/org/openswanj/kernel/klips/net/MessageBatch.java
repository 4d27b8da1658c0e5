package org.openswanj.kernel.klips.net;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An array of Linux {@code struct mmsghdr}, each with one {@code struct iovec}, for {@code sendmmsg(2)} and
 * {@code recvmmsg(2)}: one system call moves a whole batch of datagrams. Built once per data-path thread and
 * reused (fields are written through a native-order ByteBuffer view, no allocation per packet).
 *
 * <p>Layout (LP64 Linux, x86-64 and arm64): mmsghdr is 64 bytes: msghdr {name 0, namelen 8, iov 16,
 * iovlen 24, control 32, controllen 40, flags 48}, then msg_len at 56; iovec is {base 0, len 8}.
 *
 * <p>Not thread-safe: one owner thread.
 */
public final class MessageBatch {
  static final int MMSGHDR = 64;
  static final int IOVEC = 16;

  private final int capacity;
  private final Memory memory;
  private final ByteBuffer view;
  private final SockAddr[] to;
  final long base;

  public MessageBatch(int capacity) {
    this.capacity = capacity;
    this.memory = new Memory((long) capacity * (MMSGHDR + IOVEC));
    memory.clear();
    this.view = memory.getByteBuffer(0, memory.size()).order(ByteOrder.nativeOrder());
    this.to = new SockAddr[capacity];
    this.base = Pointer.nativeValue(memory);
    long iovs = base + (long) capacity * MMSGHDR;
    for (int i = 0; i < capacity; i++) {
      view.putLong(i * MMSGHDR + 16, iovs + (long) i * IOVEC);
      view.putLong(i * MMSGHDR + 24, 1);
    }
  }

  public int capacity() {
    return capacity;
  }

  /** Slot {@code i} points at {@code length} bytes at native {@code address}; {@code to} may be null. */
  public void set(int i, long address, int length, SockAddr to) {
    int iov = capacity * MMSGHDR + i * IOVEC;
    view.putLong(iov, address);
    view.putLong(iov + 8, length);
    int h = i * MMSGHDR;
    view.putLong(h, to == null ? 0 : Pointer.nativeValue(to.pointer()));
    view.putInt(h + 8, to == null ? 0 : to.length());
    this.to[i] = to;
  }

  /** Slot {@code i}'s buffer: its native address, its length (what to send, or room to receive into). */
  public long address(int i) {
    return view.getLong(capacity * MMSGHDR + i * IOVEC);
  }

  public int bufferLength(int i) {
    return (int) view.getLong(capacity * MMSGHDR + i * IOVEC + 8);
  }

  /** Where slot {@code i} is to be sent (null if none was set). */
  public SockAddr destination(int i) {
    return to[i];
  }

  /** As recvmmsg does: datagram {@code i} received is {@code length} bytes long. */
  public void received(int i, int length) {
    view.putInt(i * MMSGHDR + 56, length);
  }

  /** After a receive: the length of datagram {@code i}. */
  public int length(int i) {
    return view.getInt(i * MMSGHDR + 56);
  }
}
