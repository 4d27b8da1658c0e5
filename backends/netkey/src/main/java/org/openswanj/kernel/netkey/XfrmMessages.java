package org.openswanj.kernel.netkey;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTemplate;
import org.openswanj.kernel.SaTransform;

/** Payloads (fixed struct + attributes) of the SA and policy requests. Pure: no sockets. */
final class XfrmMessages {
  private XfrmMessages() {}

  static int mode(IpsecMode m) {
    return m == IpsecMode.TUNNEL ? Xfrm.MODE_TUNNEL : Xfrm.MODE_TRANSPORT;
  }

  static int dir(PolicyDirection d) {
    return switch (d) {
      case IN -> Xfrm.POLICY_IN;
      case OUT -> Xfrm.POLICY_OUT;
      case FWD -> Xfrm.POLICY_FWD;
    };
  }

  /**
   * NEWSA/UPDSA: xfrm_usersa_info, then the algorithms (AEAD key includes its 4-byte salt, RFC 4106 §8.1),
   * UDP encapsulation and, for ESN (RFC 4304) or a window over 255 packets, XFRMA_REPLAY_ESN_VAL.
   */
  static byte[] sa(SaId id, SaSpec spec, int kernelReqid) {
    Replay replay = spec.replay();
    boolean esnAttr = replay.esn() || replay.window() > 255;
    XfrmCodec.SaInfo info = new XfrmCodec.SaInfo(spec.binding().selector(), id.src(), id.dst(), id.spi(),
        id.proto().ipProtocol(), kernelReqid, mode(spec.encapsulation().mode()), esnAttr ? 0 : replay.window(),
        replay.esn() ? Xfrm.STATE_ESN : 0, spec.lifetime());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(XfrmCodec.usersaInfo(info));
    SaTransform t = spec.transform();
    Encryption c = t.cipher();
    byte[] ek = t.encKey().bytes();
    if (c.aead()) {
      new Attr(Xfrm.XFRMA_ALG_AEAD, XfrmCodec.algoWithLength(c.xfrmName(), ek, c.icvSize() * 8)).writeTo(out);
    } else {
      new Attr(Xfrm.XFRMA_ALG_CRYPT, XfrmCodec.algo(c.xfrmName(), ek)).writeTo(out);
      Integrity i = t.integrity();
      if (i != null) {
        byte[] ik = t.integKey().bytes();
        new Attr(Xfrm.XFRMA_ALG_AUTH_TRUNC, XfrmCodec.algoWithLength(i.xfrmName(), ik, i.icvSize() * 8))
            .writeTo(out);
        java.util.Arrays.fill(ik, (byte) 0);
      }
    }
    java.util.Arrays.fill(ek, (byte) 0);
    if (spec.encapsulation().udp() != null) {
      new Attr(Xfrm.XFRMA_ENCAP, XfrmCodec.encapTmpl(spec.encapsulation().udp())).writeTo(out);
    }
    // a cluster takeover starts past the old node's numbers (RFC 4303 §3.3.3): the kernel's oseq is the last used;
    // and, where the peer jumped its counter (RFC 6311 §5.2), counts every number below the floor as seen
    long oseq = Math.max(0, replay.firstOutboundSeq() - 1);
    long seq = Math.max(0, replay.inboundFloor() - 1);
    if (esnAttr) {
      new Attr(Xfrm.XFRMA_REPLAY_ESN_VAL, XfrmCodec.replayEsn(replay.window(), oseq, seq)).writeTo(out);
    } else if (oseq > 0 || seq > 0) {
      new Attr(Xfrm.XFRMA_REPLAY_VAL, XfrmCodec.replayState(oseq, seq)).writeTo(out);
    }
    return out.toByteArray();
  }

  /**
   * NEWAE moving an SA's outbound counter {@code delta} on (RFC 6311 §5.2), from the SA as GETSA returned it: its
   * replay state goes back whole (xfrm_new_ae replaces it, and xfrm_replay_verify_len wants the ESN bitmap's size
   * unchanged) with oseq + delta. A 64-bit counter only with XFRM_STATE_ESN; a 32-bit one stops at 2^32 - 1, where
   * the kernel refuses to send (EOVERFLOW) rather than wrap (RFC 4303 §3.3.3) until the SA is rekeyed. Empty when
   * the reply carries no replay state.
   */
  static java.util.Optional<byte[]> seqAdvance(java.nio.ByteBuffer current, long delta) {
    java.util.Optional<XfrmParse.State> st = XfrmParse.state(current, 0, Xfrm.SIZEOF_USERSA_INFO);
    if (st.isEmpty()) {
      return java.util.Optional.empty();
    }
    SaId id = st.get().id();
    boolean esn = (current.get(XfrmCodec.SA_FLAGS) & Xfrm.STATE_ESN) != 0;
    Attr esnState = Attr.find(st.get().attrs(), Xfrm.XFRMA_REPLAY_ESN_VAL);
    Attr state = esnState != null ? esnState : Attr.find(st.get().attrs(), Xfrm.XFRMA_REPLAY_VAL);
    if (state == null || state.bytes().length < (esnState != null ? Xfrm.SIZEOF_REPLAY_ESN : Xfrm.SIZEOF_REPLAY_STATE)) {
      return java.util.Optional.empty();
    }
    java.nio.ByteBuffer r = state.buffer();
    int lo = esnState != null ? 4 : 0;
    long oseq = (r.getInt(lo) & 0xffffffffL) | (esnState != null && esn ? (r.getInt(12) & 0xffffffffL) << 32 : 0);
    long max = esn ? -1L : 0xffffffffL;
    long next = Long.compareUnsigned(oseq, max - delta) > 0 ? max : oseq + delta;
    r.putInt(lo, (int) next);
    if (esnState != null && esn) {
      r.putInt(12, (int) (next >>> 32));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(XfrmCodec.aeventId(id.src(), id.dst(), id.spi(), id.proto().ipProtocol(), Xfrm.AE_RVAL));
    new Attr(state.type(), r.array()).writeTo(out);
    return java.util.Optional.of(out.toByteArray());
  }

  /** Attributes of a GETSA reply that a request must carry again: the kernel builds a whole state from it. */
  private static final java.util.Set<Integer> KEYS = java.util.Set.of(Xfrm.XFRMA_ALG_AEAD, Xfrm.XFRMA_ALG_CRYPT,
      Xfrm.XFRMA_ALG_AUTH_TRUNC, Xfrm.XFRMA_REPLAY_ESN_VAL, Xfrm.XFRMA_MARK);
  /** What a re-added SA carries on: the replay state (oseq, so the peer's window accepts us). */

  /**
   * UPDSA moving a VALID SA to new UDP ports, from the SA as GETSA returned it ({@code current}: xfrm_usersa_info
   * and attributes). Linux's xfrm_state_update (net/xfrm/xfrm_state.c) copies into the existing state only its
   * encap (when both have one of the same encap_type, else EINVAL), its lifetime limits, and mark/if_id when set;
   * keys, sequence numbers, replay window and counters stay. It still builds a complete temporary state from the
   * request first (xfrm_state_construct), so the algorithms and, for ESN, XFRMA_REPLAY_ESN_VAL (verify_replay
   * demands it with XFRM_STATE_ESN) go back as the kernel gave them, and the limits unchanged so none restarts.
   * The original-address field of the encap template is kept. Empty when {@code current} is no encapsulated SA.
   */
  static java.util.Optional<byte[]> encapUpdate(java.nio.ByteBuffer current, org.openswanj.kernel.UdpEncap encap) {
    if (current.limit() < Xfrm.SIZEOF_USERSA_INFO
        || Attr.find(Attr.parse(current, Xfrm.SIZEOF_USERSA_INFO), Xfrm.XFRMA_ENCAP) == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(fromCurrent(current, encap));
  }

  private static byte[] fromCurrent(java.nio.ByteBuffer current, org.openswanj.kernel.UdpEncap encap) {
    java.util.List<Attr> attrs = Attr.parse(current, Xfrm.SIZEOF_USERSA_INFO);
    java.nio.ByteBuffer info = XfrmCodec.le(Xfrm.SIZEOF_USERSA_INFO);
    current.get(0, info.array());
    if (Attr.find(attrs, Xfrm.XFRMA_REPLAY_ESN_VAL) != null) {
      info.put(XfrmCodec.SA_REPLAY_WINDOW, (byte) 0); // verify_replay: the window is in the ESN attribute only
    }
    boolean truncated = Attr.find(attrs, Xfrm.XFRMA_ALG_AUTH_TRUNC) != null;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(info.array());
    for (Attr a : attrs) {
      // the kernel reports HMACs twice, as ALG_AUTH and ALG_AUTH_TRUNC: the latter carries the ICV length
      if (KEYS.contains(a.type()) || a.type() == Xfrm.XFRMA_ALG_AUTH && !truncated) {
        a.writeTo(out);
      }
    }
    Attr old = Attr.find(attrs, Xfrm.XFRMA_ENCAP);
    if (old != null && old.bytes().length >= Xfrm.SIZEOF_ENCAP_TMPL) {
      java.nio.ByteBuffer e = java.nio.ByteBuffer.wrap(old.bytes().clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      if (encap != null) {
        XfrmCodec.putBe16(e, 2, encap.srcPort());
        XfrmCodec.putBe16(e, 4, encap.dstPort());
      }
      new Attr(Xfrm.XFRMA_ENCAP, e.array()).writeTo(out);
    } else if (encap != null) {
      new Attr(Xfrm.XFRMA_ENCAP, XfrmCodec.encapTmpl(encap)).writeTo(out);
    }
    java.util.Arrays.fill(info.array(), (byte) 0);
    for (Attr a : attrs) {
      java.util.Arrays.fill(a.bytes(), (byte) 0);
    }
    return out.toByteArray();
  }

  /**
   * NEWPOLICY/UPDPOLICY. IPSEC, TRAP and HOLD are "allow, if protected by the template's SA": with no
   * such SA the kernel raises ACQUIRE and holds the packet, which is what %trap and %hold need. PASS is
   * allow without a template; DROP and REJECT are block. XFRM generates no ICMP on block, so %reject
   * behaves as %drop here (Openswan's netkey did the same).
   */
  static byte[] policy(PolicyId id, PolicySpec spec, int kernelPriority, int kernelReqid) {
    PolicyAction a = spec.action();
    int action = a == PolicyAction.DROP || a == PolicyAction.REJECT ? Xfrm.POLICY_BLOCK : Xfrm.POLICY_ALLOW;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(XfrmCodec.userpolicyInfo(id.selector(), dir(id.direction()), action, kernelPriority));
    if (a == PolicyAction.IPSEC || a == PolicyAction.TRAP || a == PolicyAction.HOLD) {
      new Attr(Xfrm.XFRMA_TMPL, tmpl(id, spec, kernelReqid)).writeTo(out);
    }
    return out.toByteArray();
  }

  /** Tunnel endpoints default to the selector's own addresses (host-to-host, as for %trap on OE). */
  private static byte[] tmpl(PolicyId id, PolicySpec spec, int kernelReqid) {
    SaTemplate t = spec.template();
    InetAddress src = t.tunnelSrc();
    InetAddress dst = t.tunnelDst();
    if (t.mode() == IpsecMode.TUNNEL) {
      src = src != null ? src : id.selector().src();
      dst = dst != null ? dst : id.selector().dst();
    }
    InetAddress any = dst != null ? dst : src != null ? src : id.selector().dst();
    return XfrmCodec.userTmpl(src, dst, XfrmCodec.family(any), t.proto().ipProtocol(), kernelReqid, mode(t.mode()));
  }
}
