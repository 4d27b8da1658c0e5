package org.openswanj.pluto.daemon.log;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An AF_UNIX SOCK_DGRAM socket through JNA: {@code /dev/log} is a datagram socket, which Java 17's
 * {@code DatagramChannel} cannot open. Used connected (as glibc's syslog(3) does) or bound (tests).
 * Not thread-safe: its one user serialises calls.
 */
public final class UnixDatagram implements AutoCloseable {
  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM_CLOEXEC = 2 | 02000000;
  private static final int SUN_PATH_MAX = 108;
  private static final int MSG_DONTWAIT = 0x40;
  private static final int EAGAIN = 11;

  /** libc calls this class needs; errors come back as {@link LastErrorException}. */
  interface Libc extends Library {
    Libc INSTANCE = Native.load("c", Libc.class);

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int connect(int fd, byte[] addr, int len) throws LastErrorException;

    int bind(int fd, byte[] addr, int len) throws LastErrorException;

    long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private final int fd;

  private UnixDatagram(int fd) {
    this.fd = fd;
  }

  /** A socket connected to the datagram socket at {@code path}. */
  public static UnixDatagram connect(String path) throws IOException {
    UnixDatagram s = open();
    try {
      Libc.INSTANCE.connect(s.fd, address(path), 2 + SUN_PATH_MAX);
      return s;
    } catch (LastErrorException e) {
      s.close();
      throw new IOException("cannot connect to " + path + ": " + e.getMessage());
    }
  }

  /** A socket bound at {@code path} (a test's stand-in for syslogd's /dev/log). */
  public static UnixDatagram bind(String path) throws IOException {
    UnixDatagram s = open();
    try {
      Libc.INSTANCE.bind(s.fd, address(path), 2 + SUN_PATH_MAX);
      return s;
    } catch (LastErrorException e) {
      s.close();
      throw new IOException("cannot bind " + path + ": " + e.getMessage());
    }
  }

  private static UnixDatagram open() throws IOException {
    try {
      return new UnixDatagram(Libc.INSTANCE.socket(AF_UNIX, SOCK_DGRAM_CLOEXEC, 0));
    } catch (LastErrorException e) {
      throw new IOException("cannot open an AF_UNIX datagram socket: " + e.getMessage());
    }
  }

  /** struct sockaddr_un: sa_family (host order, little-endian on Linux' usual targets) and the path. */
  private static byte[] address(String path) throws IOException {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    if (p.length >= SUN_PATH_MAX) {
      throw new IOException("socket path too long (" + p.length + " bytes): " + path);
    }
    byte[] a = new byte[2 + SUN_PATH_MAX];
    boolean little = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
    a[little ? 0 : 1] = AF_UNIX;
    System.arraycopy(p, 0, a, 2, p.length);
    return a;
  }

  /** Sends one datagram. */
  public void send(byte[] message) throws IOException {
    try {
      Libc.INSTANCE.send(fd, message, message.length, 0);
    } catch (LastErrorException e) {
      throw new IOException("send: " + e.getMessage());
    }
  }

  /** One waiting datagram (at most {@code max} bytes), or empty when none is queued; never blocks. */
  public java.util.Optional<byte[]> poll(int max) throws IOException {
    byte[] buf = new byte[max];
    try {
      int n = (int) Libc.INSTANCE.recv(fd, buf, max, MSG_DONTWAIT);
      return java.util.Optional.of(java.util.Arrays.copyOf(buf, n));
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EAGAIN) {
        return java.util.Optional.empty();
      }
      throw new IOException("recv: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      Libc.INSTANCE.close(fd);
    } catch (LastErrorException e) {
      // nothing left to do with a socket that does not close
    }
  }
}
