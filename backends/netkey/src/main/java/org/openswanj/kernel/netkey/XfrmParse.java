package org.openswanj.kernel.netkey;

import static org.openswanj.kernel.netkey.XfrmCodec.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.Selector;

/**
 * Decoders for what the kernel sends: SAs (GETSA replies, dumps, expires), policies, ACQUIRE, EXPIRE and
 * MAPPING. A message too short for its struct yields {@link Optional#empty()}, never an exception.
 */
final class XfrmParse {
  private XfrmParse() {}

  /** An SA as the kernel reports it. */
  record State(SaId id, int reqid, int mode, Selector sel, long bytes, long packets, long addTime, long useTime,
      long replayFailures, long integrityFailures, List<Attr> attrs) {}

  /** A template of a policy. */
  record Tmpl(InetAddress src, InetAddress dst, int proto, int reqid, int mode) {}

  /** A policy as the kernel reports it. */
  record Policy(Selector sel, int dir, int action, int priority, int index, List<Tmpl> tmpls) {}

  static InetAddress address(ByteBuffer b, int off, int family) {
    byte[] a = new byte[family == LibC.AF_INET6 ? 16 : 4];
    b.get(off, a);
    try {
      return InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }

  static int be16(ByteBuffer b, int off) {
    return Short.reverseBytes(b.getShort(off)) & 0xffff;
  }

  static int be32(ByteBuffer b, int off) {
    return Integer.reverseBytes(b.getInt(off));
  }

  static Selector selector(ByteBuffer b, int off) {
    int family = b.getShort(off + SEL_FAMILY) & 0xffff;
    if (family != LibC.AF_INET && family != LibC.AF_INET6) {
      family = LibC.AF_INET; // an unset selector (family 0) reads as 0.0.0.0/0
    }
    int max = family == LibC.AF_INET ? 32 : 128;
    return new Selector(address(b, off + SEL_SADDR, family), Math.min(max, b.get(off + SEL_PREFIXLEN_S) & 0xff),
        address(b, off + SEL_DADDR, family), Math.min(max, b.get(off + SEL_PREFIXLEN_D) & 0xff),
        b.get(off + SEL_PROTO) & 0xff, be16(b, off + SEL_SPORT), be16(b, off + SEL_DPORT));
  }

  static IpsecProto proto(int ipProtocol) {
    for (IpsecProto p : IpsecProto.values()) {
      if (p.ipProtocol() == ipProtocol) {
        return p;
      }
    }
    return IpsecProto.ESP;
  }

  /** struct xfrm_usersa_info at {@code off}, followed by attributes when {@code attrsFrom} ≥ 0. */
  static Optional<State> state(ByteBuffer b, int off, int attrsFrom) {
    if (b.limit() < off + Xfrm.SIZEOF_USERSA_INFO) {
      return Optional.empty();
    }
    int family = b.getShort(off + SA_FAMILY) & 0xffff;
    SaId id = new SaId(address(b, off + SA_SADDR, family), address(b, off + SA_ID_DADDR, family),
        be32(b, off + SA_ID_SPI), proto(b.get(off + SA_ID_PROTO) & 0xff));
    List<Attr> attrs = attrsFrom >= 0 ? Attr.parse(b, attrsFrom) : List.of();
    return Optional.of(new State(id, b.getInt(off + SA_REQID), b.get(off + SA_MODE), selector(b, off + SA_SEL),
        b.getLong(off + SA_CURLFT), b.getLong(off + SA_CURLFT + 8), b.getLong(off + SA_CURLFT + 16),
        b.getLong(off + SA_CURLFT + 24), b.getInt(off + SA_STATS + 4) & 0xffffffffL,
        b.getInt(off + SA_STATS + 8) & 0xffffffffL, attrs));
  }

  /** struct xfrm_userpolicy_info at {@code off}; templates from XFRMA_TMPL after {@code attrsFrom}. */
  static Optional<Policy> policy(ByteBuffer b, int off, int attrsFrom) {
    if (b.limit() < off + Xfrm.SIZEOF_USERPOLICY_INFO) {
      return Optional.empty();
    }
    List<Tmpl> tmpls = new ArrayList<>();
    if (attrsFrom >= 0) {
      Attr t = Attr.find(Attr.parse(b, attrsFrom), Xfrm.XFRMA_TMPL);
      if (t != null) {
        tmpls = tmpls(t.buffer());
      }
    }
    return Optional.of(new Policy(selector(b, off + POL_SEL), b.get(off + POL_DIR) & 0xff,
        b.get(off + POL_ACTION) & 0xff, b.getInt(off + POL_PRIORITY), b.getInt(off + POL_INDEX), tmpls));
  }

  /** The array of struct xfrm_user_tmpl in an XFRMA_TMPL attribute. */
  static List<Tmpl> tmpls(ByteBuffer b) {
    List<Tmpl> out = new ArrayList<>();
    for (int off = 0; off + Xfrm.SIZEOF_USER_TMPL <= b.limit(); off += Xfrm.SIZEOF_USER_TMPL) {
      int family = b.getShort(off + TMPL_FAMILY) & 0xffff;
      out.add(new Tmpl(address(b, off + TMPL_SADDR, family), address(b, off + TMPL_ID_DADDR, family),
          b.get(off + TMPL_ID_PROTO) & 0xff, b.getInt(off + TMPL_REQID), b.get(off + TMPL_MODE)));
    }
    return out;
  }

  static PolicyDirection direction(int dir) {
    return switch (dir) {
      case Xfrm.POLICY_IN -> PolicyDirection.IN;
      case Xfrm.POLICY_FWD -> PolicyDirection.FWD;
      default -> PolicyDirection.OUT;
    };
  }

  /**
   * XFRM_MSG_ACQUIRE: struct xfrm_user_acquire (id@0, saddr@24, sel@40 = the packet, policy@96), then
   * XFRMA_TMPL whose first template carries the reqid, returned as the kernel has it (the caller
   * untags it).
   */
  static Optional<KernelEvent.Acquire> acquire(ByteBuffer b) {
    if (b.limit() < Xfrm.SIZEOF_USER_ACQUIRE) {
      return Optional.empty();
    }
    Selector packet = selector(b, 40);
    Optional<Policy> pol = policy(b, 96, -1);
    Attr t = Attr.find(Attr.parse(b, Xfrm.SIZEOF_USER_ACQUIRE), Xfrm.XFRMA_TMPL);
    List<Tmpl> tmpls = t == null ? List.of() : tmpls(t.buffer());
    int reqid = tmpls.isEmpty() ? 0 : tmpls.get(0).reqid();
    Policy p = pol.orElseThrow();
    return Optional.of(new KernelEvent.Acquire(packet, new PolicyId(p.sel(), direction(p.dir())), reqid));
  }

  /** XFRM_MSG_EXPIRE: struct xfrm_user_expire (state@0, hard@224). */
  static Optional<KernelEvent.Expire> expire(ByteBuffer b) {
    if (b.limit() < Xfrm.SIZEOF_USER_EXPIRE - 7) {
      return Optional.empty();
    }
    return state(b, 0, -1).map(s -> new KernelEvent.Expire(s.id(), b.get(224) != 0));
  }

  /** The expired state's add time (curlft.add_time, wall-clock seconds), 0 if the message is short. */
  static long expireAddTime(ByteBuffer b) {
    return b.limit() < Xfrm.SIZEOF_USER_EXPIRE - 7 ? 0 : state(b, 0, -1).map(State::addTime).orElse(0L);
  }

  /**
   * XFRM_MSG_MAPPING: struct xfrm_user_mapping (id@0 as xfrm_usersa_id, reqid@24, old_saddr@28,
   * new_saddr@44, old_sport@60, new_sport@62): the peer's NAT moved (RFC 3948 §5).
   */
  static Optional<KernelEvent.Mapping> mapping(ByteBuffer b) {
    if (b.limit() < Xfrm.SIZEOF_USER_MAPPING) {
      return Optional.empty();
    }
    int family = b.getShort(SAID_FAMILY) & 0xffff;
    SaId id = new SaId(address(b, 28, family), address(b, SAID_DADDR, family), be32(b, SAID_SPI),
        proto(b.get(SAID_PROTO) & 0xff));
    return Optional.of(new KernelEvent.Mapping(id, new InetSocketAddress(address(b, 44, family), be16(b, 62))));
  }
}
