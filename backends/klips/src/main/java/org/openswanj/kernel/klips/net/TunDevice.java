package org.openswanj.kernel.klips.net;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An {@code ipsecN} TUN device (Linux {@code /dev/net/tun}, IFF_TUN | IFF_NO_PI: packets are bare IP) with
 * one or more queues (IFF_MULTI_QUEUE): the kernel spreads the packets routed into the device over the
 * queues by flow hash, so each queue's reader sees whole flows in order. Configured with ioctls on a datagram
 * socket (SIOCSIFMTU, SIOCSIFTXQLEN, SIOCSIFFLAGS), no {@code ip} command. The queue fds are non-blocking.
 *
 * <p>Offloads (IFF_VNET_HDR, TUNSETOFFLOAD CSUM|TSO4|TSO6), as wireguard-go uses them: every packet read or
 * written starts with a 10-byte {@code struct virtio_net_hdr}; the kernel hands over TCP super-packets of up to
 * 64 KB with a partial checksum instead of MTU-sized segments, which saves it most of its per-packet work on
 * the sending side (one read, one pass through TCP and the qdisc per 64 KB). {@link TsoSegmenter} cuts them.
 *
 * <p>Thread-safety: one reader thread per queue ({@link #read}) and any number of writers ({@link #write}:
 * each write(2) on a TUN fd is one packet).
 */
public final class TunDevice implements TunQueues {
  private static final long TUNSETIFF = 0x400454caL;
  private static final long SIOCGIFFLAGS = 0x8913;
  private static final long SIOCSIFFLAGS = 0x8914;
  private static final long SIOCGIFMTU = 0x8921;
  private static final long SIOCSIFMTU = 0x8922;
  private static final long SIOCSIFTXQLEN = 0x8943;
  /**
   * TUN drops (does not queue) what the kernel routes into the device once its ring of txqueuelen packets is
   * full; the default 500 overflows under one TCP flow at our rate and every drop is a TCP retransmit.
   */
  static final int TX_QUEUE_LEN = 4096;
  private static final short IFF_TUN = 0x0001;
  private static final short IFF_NO_PI = 0x1000;
  private static final short IFF_MULTI_QUEUE = 0x0100;
  private static final short IFF_VNET_HDR = 0x4000;
  private static final long TUNSETOFFLOAD = 0x400454d0L;
  private static final int TUN_F_CSUM = 0x01;
  private static final int TUN_F_TSO4 = 0x02;
  private static final int TUN_F_TSO6 = 0x04;
  private static final int TUN_F_TSO_ECN = 0x08;
  private static final short IFF_UP = 0x1;
  private static final int IFREQ = 40;

  private final String name;
  private final int[] fds;
  private final Memory[] pollFds;
  private volatile boolean closed;

  private TunDevice(String name, int[] fds) {
    this.name = name;
    this.fds = fds;
    this.pollFds = new Memory[fds.length];
    for (int i = 0; i < fds.length; i++) {
      pollFds[i] = new Memory(8);
    }
  }

  /** As {@link #open(String, int, int)} with one queue. */
  public static TunDevice open(String name, int mtu) throws IOException {
    return open(name, mtu, 1);
  }

  /** Creates the TUN device {@code name} with {@code queues} queues, sets its MTU and brings it up. */
  public static TunDevice open(String name, int mtu, int queues) throws IOException {
    if (name.isEmpty() || name.length() > 15) {
      throw new IOException("interface name \"" + name + "\" must have 1..15 characters");
    }
    if (queues < 1 || queues > 16) {
      throw new IOException(name + ": " + queues + " queues; 1..16 supported");
    }
    int[] fds = new int[queues];
    for (int q = 0; q < queues; q++) {
      try {
        fds[q] = openQueue(name, queues > 1);
      } catch (IOException e) {
        for (int i = 0; i < q; i++) {
          Libc.close(fds[i]);
        }
        throw e;
      }
    }
    TunDevice tun = new TunDevice(name, fds);
    try {
      setMtu(name, mtu);
      setTxQueueLen(name, TX_QUEUE_LEN);
      setUp(name);
    } catch (IOException e) {
      tun.close();
      throw e;
    }
    return tun;
  }

  private static int openQueue(String name, boolean multi) throws IOException {
    int fd = Libc.open("/dev/net/tun", Libc.O_RDWR);
    if (fd < 0) {
      throw new IOException("cannot open /dev/net/tun for " + name + ": " + Libc.lastError());
    }
    Memory ifr = ifreq(name);
    ifr.setShort(16, (short) (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR | (multi ? IFF_MULTI_QUEUE : 0)));
    com.sun.jna.Pointer offloads = com.sun.jna.Pointer.createConstant(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN);
    if (Libc.ioctl(fd, TUNSETIFF, ifr) < 0 || Libc.ioctl(fd, TUNSETOFFLOAD, offloads) < 0 || !Libc.setNonBlocking(fd)) {
      String err = Libc.lastError();
      Libc.close(fd);
      throw new IOException("TUNSETIFF " + name + (multi ? " (multi-queue)" : "") + ": " + err);
    }
    return fd;
  }

  private static Memory ifreq(String name) {
    Memory ifr = new Memory(IFREQ);
    ifr.clear();
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    ifr.write(0, n, 0, n.length);
    return ifr;
  }

  private static int ctlSocket() throws IOException {
    int s = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
    if (s < 0) {
      throw new IOException("socket(AF_INET, SOCK_DGRAM): " + Libc.lastError());
    }
    return s;
  }

  /** The MTU of interface {@code name} (SIOCGIFMTU). */
  public static int mtu(String name) throws IOException {
    int s = ctlSocket();
    try {
      Memory ifr = ifreq(name);
      if (Libc.ioctl(s, SIOCGIFMTU, ifr) < 0) {
        throw new IOException("cannot read the MTU of " + name + ": " + Libc.lastError());
      }
      return ifr.getInt(16);
    } finally {
      Libc.close(s);
    }
  }

  private static void setMtu(String name, int mtu) throws IOException {
    int s = ctlSocket();
    try {
      Memory ifr = ifreq(name);
      ifr.setInt(16, mtu);
      if (Libc.ioctl(s, SIOCSIFMTU, ifr) < 0) {
        throw new IOException("cannot set the MTU of " + name + " to " + mtu + ": " + Libc.lastError());
      }
    } finally {
      Libc.close(s);
    }
  }

  private static void setTxQueueLen(String name, int len) throws IOException {
    int s = ctlSocket();
    try {
      Memory ifr = ifreq(name);
      ifr.setInt(16, len);
      if (Libc.ioctl(s, SIOCSIFTXQLEN, ifr) < 0) {
        throw new IOException("cannot set the txqueuelen of " + name + " to " + len + ": " + Libc.lastError());
      }
    } finally {
      Libc.close(s);
    }
  }

  private static void setUp(String name) throws IOException {
    int s = ctlSocket();
    try {
      Memory ifr = ifreq(name);
      if (Libc.ioctl(s, SIOCGIFFLAGS, ifr) < 0) {
        throw new IOException("cannot read the flags of " + name + ": " + Libc.lastError());
      }
      ifr.setShort(16, (short) (ifr.getShort(16) | IFF_UP));
      if (Libc.ioctl(s, SIOCSIFFLAGS, ifr) < 0) {
        throw new IOException("cannot bring " + name + " up: " + Libc.lastError());
      }
    } finally {
      Libc.close(s);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int queues() {
    return fds.length;
  }

  /**
   * Reads one packet from queue {@code queue} into the {@code capacity} bytes at native {@code address}; if
   * none is waiting, waits at most {@code timeoutMillis} (0: do not wait). The packet starts with the
   * virtio header ({@link TsoSegmenter#VNET_HDR} bytes) and may be a TCP super-packet of up to 64 KB.
   *
   * @return the length read (header included), 0 if there was none, -1 once closed
   */
  @Override
  public int read(int queue, long address, int capacity, int timeoutMillis) throws IOException {
    int fd = fds[queue];
    for (int attempt = 0; attempt < 2 && !closed; attempt++) {
      long n = Libc.read(fd, address, capacity);
      if (n > 0) {
        return (int) n;
      }
      int err = com.sun.jna.Native.getLastError();
      if (n < 0 && err != Libc.EAGAIN && err != Libc.EINTR) {
        if (closed) {
          return -1;
        }
        throw new IOException("read from " + name + ": " + Libc.strerror(err) + " (errno " + err + ")");
      }
      if (timeoutMillis == 0 || attempt == 1 || !Libc.awaitReadable(pollFds[queue], fd, timeoutMillis)) {
        break;
      }
    }
    return closed ? -1 : 0;
  }

  /**
   * Writes one IP packet (bytes {@code offset .. offset+length} of {@code buf}, a direct buffer at native
   * {@code address}); the {@link TsoSegmenter#VNET_HDR} bytes before {@code offset} are overwritten with an
   * empty virtio header (no offload), so {@code offset} must be at least that.
   */
  @Override
  public void write(ByteBuffer buf, long address, int offset, int length) throws IOException {
    int h = offset - TsoSegmenter.VNET_HDR;
    if (h < 0) {
      throw new IOException("write to " + name + ": no room for the virtio header before offset " + offset);
    }
    buf.putLong(h, 0).putShort(h + 8, (short) 0);
    if (Libc.write(fds[0], address + h, length + TsoSegmenter.VNET_HDR) < 0) {
      throw new IOException("write to " + name + ": " + Libc.lastError());
    }
  }

  /** Writes {@code length} bytes of IP packet that follow the virtio header the caller put at {@code address}. */
  @Override
  public void writeWithHeader(long address, int length) throws IOException {
    if (Libc.write(fds[0], address, length + TsoSegmenter.VNET_HDR) < 0) {
      throw new IOException("write to " + name + ": " + Libc.lastError());
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      for (int fd : fds) {
        Libc.close(fd); // a non-persistent TUN device disappears with its last queue
      }
    }
  }
}
