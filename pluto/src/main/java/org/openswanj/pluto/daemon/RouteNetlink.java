package org.openswanj.pluto.daemon;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Routes through rtnetlink (NETLINK_ROUTE, rtnetlink(7)) as {@code ip route replace DST dev IFACE [mtu M]
 * [metric N]} and {@code ip route del DST dev IFACE} build them (iproute2's iproute_modify: main table, protocol
 * boot, scope link for an add without a gateway, scope nowhere for a delete), so the default updown's klips routes
 * cost a system call instead of a shell and two processes. One request at a time, answered by the kernel's ack.
 *
 * <p>Not thread-safe: the updown thread owns it. The socket is opened in the calling thread's network namespace.
 */
final class RouteNetlink implements AutoCloseable {
  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 02000000;
  private static final int NETLINK_ROUTE = 0;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVTIMEO = 20;
  private static final int NLMSG_ERROR = 2;
  private static final int NLM_F_REQUEST = 0x1;
  private static final int NLM_F_ACK = 0x4;
  private static final int NLM_F_REPLACE = 0x100;
  private static final int NLM_F_CREATE = 0x400;
  private static final short RTM_NEWROUTE = 24;
  private static final short RTM_DELROUTE = 25;
  private static final int RT_TABLE_MAIN = 254;
  private static final int RTPROT_BOOT = 3;
  private static final int RT_SCOPE_LINK = 253;
  private static final int RT_SCOPE_NOWHERE = 255;
  private static final int RTN_UNICAST = 1;
  private static final short RTA_DST = 1;
  private static final short RTA_OIF = 4;
  private static final short RTA_PRIORITY = 6;
  private static final short RTA_METRICS = 8;
  private static final short RTAX_MTU = 2;

  static {
    Native.register("c");
  }

  private static native int socket(int domain, int type, int protocol) throws LastErrorException;

  private static native int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

  private static native long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

  private static native long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

  private static native int close(int fd);

  private static native int if_nametoindex(String name);

  private static native String strerror(int errnum);

  private final int fd;
  private final byte[] rx = new byte[8192];
  private int seq;

  RouteNetlink() throws IOException {
    try {
      fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    } catch (LastErrorException e) {
      throw new IOException("cannot open a NETLINK_ROUTE socket: " + strerror(e.getErrorCode()));
    }
    // an unanswered request must not hold the updown thread: the kernel answers at once, 2 s is generous
    byte[] tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(2).putLong(0).array();
    try {
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, tv.length);
    } catch (LastErrorException e) {
      close(fd);
      throw new IOException("cannot set a receive timeout on a NETLINK_ROUTE socket: " + strerror(e.getErrorCode()));
    }
  }

  /** The index of interface {@code name} in this thread's network namespace. */
  static int index(String name) throws IOException {
    int i = if_nametoindex(name);
    if (i == 0) {
      throw new IOException("no interface " + name);
    }
    return i;
  }

  /** {@code ip route replace DST/PREFIX dev IFACE [mtu MTU] [metric METRIC]} (0: not given). */
  void replace(InetAddress dst, int prefix, String iface, int mtu, int metric) throws IOException {
    request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, dst, prefix, index(iface), mtu, metric);
  }

  /** {@code ip route del DST/PREFIX dev IFACE}. */
  void delete(InetAddress dst, int prefix, String iface) throws IOException {
    request(RTM_DELROUTE, 0, dst, prefix, index(iface), 0, 0);
  }

  /** The message {@link #replace} or {@link #delete} sends, for tests (sequence number {@code seq}, port id 0). */
  static byte[] encode(short type, int flags, int seq, InetAddress dst, int prefix, int ifindex, int mtu,
      int metric) {
    byte[] addr = dst.getAddress();
    ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    b.putInt(0).putShort(type).putShort((short) (NLM_F_REQUEST | NLM_F_ACK | flags)).putInt(seq).putInt(0);
    boolean add = type == RTM_NEWROUTE;
    // struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags
    b.put((byte) (dst instanceof Inet6Address ? 10 : 2)).put((byte) prefix).put((byte) 0).put((byte) 0);
    b.put((byte) RT_TABLE_MAIN).put((byte) (add ? RTPROT_BOOT : 0));
    b.put((byte) (add ? RT_SCOPE_LINK : RT_SCOPE_NOWHERE)).put((byte) (add ? RTN_UNICAST : 0)).putInt(0);
    attr(b, RTA_DST, addr);
    attr(b, RTA_OIF, u32(ifindex));
    if (metric > 0) {
      attr(b, RTA_PRIORITY, u32(metric));
    }
    if (mtu > 0) {
      ByteBuffer nested = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
      attr(nested, RTAX_MTU, u32(mtu));
      attr(b, RTA_METRICS, nested.array());
    }
    b.putInt(0, b.position());
    byte[] out = new byte[b.position()];
    b.get(0, out);
    return out;
  }

  private void request(short type, int flags, InetAddress dst, int prefix, int ifindex, int mtu, int metric)
      throws IOException {
    int mySeq = ++seq;
    byte[] msg = encode(type, flags, mySeq, dst, prefix, ifindex, mtu, metric);
    try {
      send(fd, msg, msg.length, 0);
      while (true) {
        long n = recv(fd, rx, rx.length, 0);
        ByteBuffer r = ByteBuffer.wrap(rx, 0, (int) n).order(ByteOrder.nativeOrder());
        // the ack: NLMSG_ERROR with error 0, or -errno; anything else (another sequence number) is skipped
        if (n >= 20 && r.getShort(4) == NLMSG_ERROR && r.getInt(8) == mySeq) {
          int error = -r.getInt(16);
          if (error != 0) {
            throw new IOException(strerror(error));
          }
          return;
        }
      }
    } catch (LastErrorException e) {
      throw new IOException(strerror(e.getErrorCode()));
    }
  }

  private static void attr(ByteBuffer b, short type, byte[] data) {
    b.putShort((short) (4 + data.length)).putShort(type).put(data);
    while (b.position() % 4 != 0) {
      b.put((byte) 0);
    }
  }

  private static byte[] u32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
  }

  @Override
  public void close() {
    close(fd);
  }
}
