package org.openswanj.kernel.klips.net;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A raw IP socket: protocol 50 for ESP (RFC 4303 §2: ESP directly over IP), or IPPROTO_RAW for %pass
 * packets that already carry their IP header. Optionally bound to one device (SO_BINDTODEVICE), which is
 * how outer packets leave through the physical interface and never re-enter {@code ipsecN}, whatever
 * routes the updown script points at {@code ipsecN}.
 */
public final class RawSocket implements PacketSocket {
  private final int fd;
  private final boolean ipv6;
  private final Memory pollFd = new Memory(8);
  private final Memory from = new Memory(28);
  private final Memory fromLen = new Memory(4);
  private volatile boolean closed;

  private RawSocket(int fd, boolean ipv6) {
    this.fd = fd;
    this.ipv6 = ipv6;
  }

  /** @param device the interface to bind to, or null for none */
  public static RawSocket open(boolean ipv6, int protocol, String device) throws IOException {
    int fd = Libc.socket(ipv6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_RAW, protocol);
    if (fd < 0) {
      throw new IOException("socket(" + (ipv6 ? "AF_INET6" : "AF_INET") + ", SOCK_RAW, " + protocol + "): "
          + Libc.lastError());
    }
    RawSocket s = new RawSocket(fd, ipv6);
    Memory buf = new Memory(4);
    buf.setInt(0, 4 << 20);
    Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, buf, 4); // best effort: absorb bursts
    Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, buf, 4);
    if (device != null) {
      byte[] n = (device + "\0").getBytes(StandardCharsets.US_ASCII);
      Memory dev = new Memory(n.length);
      dev.write(0, n, 0, n.length);
      if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, dev, n.length) < 0) {
        String err = Libc.lastError();
        s.close();
        throw new IOException("SO_BINDTODEVICE " + device + ": " + err);
      }
    }
    return s;
  }

  /**
   * Makes this a send-only socket: a raw protocol-50 socket otherwise gets a copy of every ESP packet the host
   * receives, which nobody reads (it costs a clone per packet and fills the receive buffer). A classic BPF
   * program of one instruction, {@code ret #0}, drops them all before they are queued (SO_ATTACH_FILTER).
   */
  public void dropAllReceived() throws IOException {
    Memory insn = new Memory(8);
    insn.clear();
    insn.setShort(0, (short) 0x06); // BPF_RET | BPF_K, k = 0: accept 0 bytes
    Memory prog = new Memory(16); // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
    prog.clear();
    prog.setShort(0, (short) 1);
    prog.setPointer(8, insn);
    if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_FILTER, prog, 16) < 0) {
      throw new IOException("SO_ATTACH_FILTER: " + Libc.lastError());
    }
    Memory small = new Memory(4);
    small.setInt(0, 0); // the kernel rounds up to its minimum
    Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, small, 4);
  }

  /** Binds the source address of what this socket sends (the SA's outer source). */
  public void bind(SockAddr local) throws IOException {
    if (Libc.bind(fd, local.pointer(), local.length()) < 0) {
      throw new IOException("bind raw socket: " + Libc.lastError());
    }
  }

  @Override
  public boolean ipv6() {
    return ipv6;
  }

  @Override
  public void send(long address, int offset, int length, SockAddr to) throws IOException {
    if (Libc.sendto(fd, address + offset, length, 0, to.pointer(), to.length()) < 0) {
      throw new IOException("sendto: " + Libc.lastError());
    }
  }

  /**
   * Receives one datagram (for IPv4 raw sockets it starts with the IP header); waits at most
   * {@code timeoutMillis}. Returns its length, 0 on timeout, -1 once closed.
   */
  public int receive(long address, int offset, int capacity, int timeoutMillis) throws IOException {
    if (closed) {
      return -1;
    }
    pollFd.setInt(0, fd);
    pollFd.setShort(4, Libc.POLLIN);
    pollFd.setShort(6, (short) 0);
    if (Libc.poll(com.sun.jna.Pointer.nativeValue(pollFd), 1, timeoutMillis) <= 0 || closed) {
      return closed ? -1 : 0;
    }
    fromLen.setInt(0, 28);
    long n = Libc.recvfrom(fd, address + offset, capacity, 0, com.sun.jna.Pointer.nativeValue(from),
        com.sun.jna.Pointer.nativeValue(fromLen));
    if (n < 0) {
      if (closed) {
        return -1;
      }
      throw new IOException("recvfrom: " + Libc.lastError());
    }
    return (int) n;
  }

  /**
   * Receives up to {@code count} datagrams into the batch's slots with one recvmmsg(2); waits at most
   * {@code timeoutMillis} for the first. Returns how many, 0 on timeout, -1 once closed.
   */
  @Override
  public int receiveBatch(MessageBatch batch, int count, int timeoutMillis) throws IOException {
    for (int attempt = 0; attempt < 2 && !closed; attempt++) {
      int n = Libc.recvmmsg(fd, batch.base, Math.min(count, batch.capacity()), Libc.MSG_DONTWAIT, 0);
      if (n > 0) {
        return n;
      }
      int err = com.sun.jna.Native.getLastError();
      if (n < 0 && err != Libc.EAGAIN && err != Libc.EINTR) {
        if (closed) {
          return -1;
        }
        throw new IOException("recvmmsg: " + Libc.strerror(err) + " (errno " + err + ")");
      }
      if (attempt == 0 && !Libc.awaitReadable(pollFd, fd, timeoutMillis)) {
        break;
      }
    }
    return closed ? -1 : 0;
  }

  /**
   * Sends the batch's first {@code count} slots with sendmmsg(2) (as few calls as the kernel allows). A
   * datagram the kernel refuses is skipped and counted, the rest still go.
   *
   * @return how many were refused
   */
  @Override
  public int sendBatch(MessageBatch batch, int count) {
    int done = 0;
    int failed = 0;
    while (done < count && !closed) {
      int n = Libc.sendmmsg(fd, batch.base + (long) done * MessageBatch.MMSGHDR, count - done, 0);
      if (n > 0) {
        done += n;
      } else if (n < 0 && com.sun.jna.Native.getLastError() == Libc.EINTR) {
        continue;
      } else {
        done++; // the first of the rest was refused (e.g. no route): drop it, send the others
        failed++;
      }
    }
    return failed + (count - done);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Libc.close(fd);
    }
  }
}
