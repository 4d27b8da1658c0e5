package org.openswanj.kernel.klips.net;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few libc calls the data path needs, direct-mapped (JNA {@code Native.register}) so a call costs no
 * allocation. Buffers are passed as raw addresses ({@code long}) of direct ByteBuffers: a pointer and a
 * 64-bit integer travel alike on the 64-bit Linux ABIs this backend supports. errno is read with
 * {@link Native#getLastError()} right after a failing call, on the same thread.
 */
public final class Libc {
  static {
    Native.register("c");
  }

  public static final int O_RDWR = 2;
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;
  public static final int SOCK_DGRAM = 2;
  public static final int SOCK_RAW = 3;
  public static final int IPPROTO_RAW = 255;
  public static final int SOL_SOCKET = 1;
  public static final int SO_BINDTODEVICE = 25;
  public static final int SO_RCVBUF = 8;
  public static final int SO_SNDBUF = 7;
  public static final int SO_ATTACH_FILTER = 26;
  public static final short POLLIN = 1;
  public static final short POLLOUT = 4;
  public static final int F_GETFL = 3;
  public static final int F_SETFL = 4;
  public static final int O_NONBLOCK = 04000;
  public static final int MSG_DONTWAIT = 0x40;
  public static final int EINTR = 4;
  public static final int EAGAIN = 11;

  private Libc() {}

  public static native int open(String path, int flags);

  public static native int close(int fd);

  public static native int ioctl(int fd, long request, Pointer arg);

  public static native long read(int fd, long buf, long count);

  public static native long write(int fd, long buf, long count);

  public static native int socket(int domain, int type, int protocol);

  public static native int bind(int fd, Pointer addr, int len);

  public static native int setsockopt(int fd, int level, int name, Pointer value, int len);

  public static native long sendto(int fd, long buf, long len, int flags, Pointer addr, int addrLen);

  public static native long recvfrom(int fd, long buf, long len, int flags, long addr, long addrLen);

  public static native int poll(long fds, long nfds, int timeoutMillis);

  public static native int fcntl(int fd, int cmd, int arg);

  /** {@code msgvec} is an array of {@code struct mmsghdr} (see {@link MessageBatch}). */
  public static native int sendmmsg(int fd, long msgvec, int vlen, int flags);

  public static native int recvmmsg(int fd, long msgvec, int vlen, int flags, long timeout);

  /** Sets O_NONBLOCK on {@code fd}; false if fcntl failed. */
  public static boolean setNonBlocking(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) >= 0;
  }

  /** Waits until {@code fd} is readable; false on timeout. {@code pollFd} is 8 bytes of scratch. */
  static boolean awaitReadable(com.sun.jna.Memory pollFd, int fd, int timeoutMillis) {
    pollFd.setInt(0, fd);
    pollFd.setShort(4, POLLIN);
    pollFd.setShort(6, (short) 0);
    return poll(Pointer.nativeValue(pollFd), 1, timeoutMillis) > 0;
  }

  /** Waits until {@code fd} can be written to; false on timeout. {@code pollFd} is 8 bytes of scratch. */
  static boolean awaitWritable(com.sun.jna.Memory pollFd, int fd, int timeoutMillis) {
    pollFd.setInt(0, fd);
    pollFd.setShort(4, POLLOUT);
    pollFd.setShort(6, (short) 0);
    return poll(Pointer.nativeValue(pollFd), 1, timeoutMillis) > 0;
  }

  public static native String strerror(int errnum);

  /** "errno N (text)" for the last failed call on this thread. */
  public static String lastError() {
    int e = Native.getLastError();
    return strerror(e) + " (errno " + e + ")";
  }

  /** The native address of a direct buffer's first byte. */
  public static long address(java.nio.ByteBuffer direct) {
    if (!direct.isDirect()) {
      throw new IllegalArgumentException("the data path needs direct buffers");
    }
    return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
  }
}
