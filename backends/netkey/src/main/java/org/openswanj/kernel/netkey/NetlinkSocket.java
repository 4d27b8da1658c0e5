package org.openswanj.kernel.netkey;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink socket (here NETLINK_XFRM) over JNA: framing (struct nlmsghdr, 16 bytes, host order),
 * sequence numbers, acknowledgements, multipart dumps and NLMSG_ERROR with extended-ack text.
 *
 * <p>Not thread-safe: callers serialise requests (the backend holds a lock around each).
 */
final class NetlinkSocket implements XfrmRequests {
  static final int NETLINK_XFRM = 6;
  static final int HDRLEN = 16;
  static final int NLMSG_ERROR = 2;
  static final int NLMSG_DONE = 3;
  static final int NLM_F_REQUEST = 0x1;
  static final int NLM_F_MULTI = 0x2;
  static final int NLM_F_ACK = 0x4;
  static final int NLM_F_DUMP = 0x300;
  /** In a NEW request: replace what exists (XFRM_MSG_NEWAE demands it). */
  static final int NLM_F_REPLACE = 0x100;
  /** In an NLMSG_ERROR header: TLVs (NLMSGERR_ATTR_*) follow the echoed request. */
  static final int NLM_F_CAPPED = 0x100;
  static final int NLM_F_ACK_TLVS = 0x200;
  static final int NLMSGERR_ATTR_MSG = 1;

  /** A received message: header fields and the payload after the header (little-endian view). */
  record Message(int type, int flags, int seq, ByteBuffer payload) {}

  private final int fd;
  private final int timeoutMillis;
  private final byte[] rx = new byte[256 * 1024];
  private int seq = (int) (System.nanoTime() & 0x3fffffff);
  private volatile boolean closed;

  private NetlinkSocket(int fd, int timeoutMillis) {
    this.fd = fd;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Opens and binds a socket of {@code protocol} subscribed to the multicast {@code groups} bitmask.
   * Receives time out after {@code timeoutMillis} so no caller can hang on a silent kernel.
   */
  static NetlinkSocket open(int protocol, int groups, int timeoutMillis) throws NetlinkException {
    int fd;
    try {
      fd = LibC.INSTANCE.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
    } catch (LastErrorException e) {
      throw new NetlinkException("cannot open a NETLINK_XFRM socket: " + Errno.name(e.getErrorCode()) + ", "
          + Errno.meaning(e.getErrorCode()) + " (is the xfrm_user module loaded?)", e.getErrorCode(), null);
    }
    NetlinkSocket s = new NetlinkSocket(fd, timeoutMillis);
    try {
      s.setInt(LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, 1);
      s.setInt(LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, 1);
      s.setInt(LibC.SOL_SOCKET, LibC.SO_RCVBUF, 1 << 20);
      byte[] tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
          .putLong(timeoutMillis / 1000).putLong((timeoutMillis % 1000) * 1000L).array();
      LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, tv, tv.length);
      LibC.INSTANCE.bind(fd, sockaddrNl(0, groups), 12);
    } catch (LastErrorException e) {
      s.close();
      throw new NetlinkException("cannot bind a NETLINK_XFRM socket to groups 0x" + Integer.toHexString(groups)
          + ": " + Errno.name(e.getErrorCode()) + ", " + Errno.meaning(e.getErrorCode()), e.getErrorCode(), null);
    }
    return s;
  }

  private void setInt(int level, int name, int value) {
    byte[] v = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    try {
      LibC.INSTANCE.setsockopt(fd, level, name, v, 4);
    } catch (LastErrorException e) {
      // Extended acks and buffer sizes are comfort, not correctness: older kernels lack them.
    }
  }

  /** struct sockaddr_nl: family u16, pad u16, pid u32, groups u32. */
  static byte[] sockaddrNl(int pid, int groups) {
    return ByteBuffer.allocate(12).order(ByteOrder.nativeOrder())
        .putShort((short) LibC.AF_NETLINK).putShort((short) 0).putInt(pid).putInt(groups).array();
  }

  /** Frames {@code payload} (already attribute-padded) behind an nlmsghdr. */
  static byte[] frame(int type, int flags, int seq, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(HDRLEN + payload.length).order(ByteOrder.nativeOrder());
    b.putInt(HDRLEN + payload.length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
    return b.put(payload).array();
  }

  /**
   * Sends a request and collects its answers: for a dump, every message up to NLMSG_DONE; otherwise the
   * reply (if any) up to the acknowledgement. An NLMSG_ERROR with a non-zero code is thrown.
   */
  @Override
  public List<Message> request(int type, int flags, byte[] payload) throws NetlinkException {
    boolean dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
    int mySeq = ++seq;
    byte[] msg = frame(type, flags | NLM_F_REQUEST | (dump ? 0 : NLM_F_ACK), mySeq, payload);
    try {
      LibC.INSTANCE.sendto(fd, msg, msg.length, 0, sockaddrNl(0, 0), 12);
    } catch (LastErrorException e) {
      throw new NetlinkException("sending to the kernel failed: " + Errno.name(e.getErrorCode()) + ", "
          + Errno.meaning(e.getErrorCode()), e.getErrorCode(), null);
    }
    List<Message> replies = new ArrayList<>();
    while (true) {
      for (Message m : receive()) {
        if (m.seq() != mySeq) {
          continue; // a late answer to an earlier, timed-out request
        }
        if (m.type() == NLMSG_ERROR) {
          int error = m.payload().getInt(0);
          if (error == 0) {
            return replies;
          }
          throw new NetlinkException(Errno.name(-error), -error, extack(m));
        }
        if (m.type() == NLMSG_DONE) {
          return replies;
        }
        replies.add(m);
      }
    }
  }

  /** Waits for the next datagram; returns its messages, or an empty list when the receive timed out. */
  List<Message> receiveOrTimeout() throws NetlinkException {
    try {
      return receive();
    } catch (NetlinkException e) {
      if (e.errno() == Errno.EAGAIN) {
        return List.of();
      }
      throw e;
    }
  }

  private List<Message> receive() throws NetlinkException {
    long n;
    try {
      n = LibC.INSTANCE.recvfrom(fd, rx, rx.length, 0, null, null);
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      String what = errno == Errno.EAGAIN ? "no answer from the kernel within " + timeoutMillis + " ms"
          : "receiving from the kernel failed: " + Errno.name(errno) + ", " + Errno.meaning(errno);
      throw new NetlinkException(what, errno, null);
    }
    return parse(ByteBuffer.wrap(rx, 0, (int) n).slice().order(ByteOrder.nativeOrder()));
  }

  /** Splits a datagram into messages; a truncated or lying length ends the walk (never throws). */
  static List<Message> parse(ByteBuffer buf) {
    List<Message> out = new ArrayList<>();
    int off = 0;
    while (buf.limit() - off >= HDRLEN) {
      int len = buf.getInt(off);
      if (len < HDRLEN || len > buf.limit() - off) {
        break;
      }
      // a copy: the receive buffer is reused by the next recvfrom (a dump spans several)
      byte[] copy = new byte[len - HDRLEN];
      buf.get(off + HDRLEN, copy);
      ByteBuffer payload = ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder());
      out.add(new Message(buf.getShort(off + 4) & 0xffff, buf.getShort(off + 6) & 0xffff, buf.getInt(off + 8),
          payload));
      off += align4(len);
    }
    return out;
  }

  /** The NLMSGERR_ATTR_MSG text of an error message, or null. */
  static String extack(Message m) {
    if ((m.flags() & NLM_F_ACK_TLVS) == 0) {
      return null;
    }
    ByteBuffer p = m.payload();
    if (p.limit() < 4 + HDRLEN) {
      return null;
    }
    int echoed = (m.flags() & NLM_F_CAPPED) != 0 ? HDRLEN : p.getInt(4);
    // the echoed request's nlmsg_len comes from the message: one that is negative or past the end has no TLVs
    if (echoed < HDRLEN || echoed > p.limit() - 4) {
      return null;
    }
    int start = 4 + align4(echoed);
    for (Attr a : Attr.parse(p, start)) {
      if (a.type() == NLMSGERR_ATTR_MSG) {
        byte[] s = a.bytes();
        int end = 0;
        while (end < s.length && s[end] != 0) {
          end++;
        }
        return new String(s, 0, end, StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  static int align4(int n) {
    return (n + 3) & ~3;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        LibC.INSTANCE.close(fd);
      } catch (LastErrorException e) {
        // nothing to do: the descriptor is gone either way
      }
    }
  }
}
