package org.openswanj.pluto.ikev1;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openswanj.pluto.ike.wire.NatDPayload;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.V1VendorIdPayload;

/**
 * NAT traversal for IKEv1 (RFC 3947): the vendor IDs that announce it (the RFC's and the drafts' that
 * strongSwan and Openswan send), NAT-D payloads (§3.2: HASH(CKY-I | CKY-R | IP | Port) with the negotiated
 * hash) and the decision that a NAT is present. Also the DPD vendor ID (RFC 3706 §4).
 */
final class NatTraversal {
  private NatTraversal() {}

  /** Which NAT-T the peer announced. */
  record Support(boolean rfc, boolean draft, boolean dpd) {}

  static byte[] md5(String s) {
    try {
      return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 missing from the JDK", e);
    }
  }

  static byte[] rfcVid() {
    return md5("RFC 3947");
  }

  static List<byte[]> draftVids() {
    return List.of(md5("draft-ietf-ipsec-nat-t-ike-02\n"), md5("draft-ietf-ipsec-nat-t-ike-02"),
        md5("draft-ietf-ipsec-nat-t-ike-03"));
  }

  /** RFC 3706 §4: the DPD vendor ID, afcad713 68a1f1c9 6b8696fc 77570100. */
  static byte[] dpdVid() {
    return new byte[] {(byte) 0xaf, (byte) 0xca, (byte) 0xd7, 0x13, 0x68, (byte) 0xa1, (byte) 0xf1, (byte) 0xc9,
        0x6b, (byte) 0x86, (byte) 0x96, (byte) 0xfc, 0x77, 0x57, 0x01, 0x00};
  }

  /** What we announce in the first message: RFC 3947, the drafts, DPD. */
  static List<Payload> ourVids() {
    List<Payload> out = new ArrayList<>();
    out.add(new V1VendorIdPayload(rfcVid()));
    for (byte[] d : draftVids()) {
      out.add(new V1VendorIdPayload(d));
    }
    out.add(new V1VendorIdPayload(dpdVid()));
    return out;
  }

  /** The answer's VIDs: only the flavour we chose (RFC 3947 §3.1), and DPD. */
  static List<Payload> answerVids(Support peer) {
    List<Payload> out = new ArrayList<>();
    if (peer.rfc()) {
      out.add(new V1VendorIdPayload(rfcVid()));
    } else if (peer.draft()) {
      out.add(new V1VendorIdPayload(draftVids().get(0)));
    }
    out.add(new V1VendorIdPayload(dpdVid()));
    return out;
  }

  static Support support(List<V1VendorIdPayload> vids) {
    boolean rfc = false;
    boolean draft = false;
    boolean dpd = false;
    for (V1VendorIdPayload v : vids) {
      rfc |= Arrays.equals(v.data(), rfcVid());
      draft |= draftVids().stream().anyMatch(d -> Arrays.equals(d, v.data()));
      dpd |= Arrays.equals(v.data(), dpdVid());
    }
    return new Support(rfc, draft, dpd);
  }

  static byte[] hash(V1Algs algs, long cookieI, long cookieR, InetSocketAddress a) {
    try {
      MessageDigest d = MessageDigest.getInstance(algs.digestName());
      d.update(ByteBuffer.allocate(16).putLong(cookieI).putLong(cookieR).array());
      d.update(a.getAddress().getAddress());
      d.update(ByteBuffer.allocate(2).putShort((short) a.getPort()).array());
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algs.digestName() + " missing from the JDK", e);
    }
  }

  /**
   * RFC 3947 §3.2: the first NAT-D hashes the peer's address, the second ours. With {@code forceEncaps} our
   * hash is deliberately wrong so that both ends see a NAT (Openswan's forceencaps).
   */
  static List<Payload> payloads(V1Algs algs, long cookieI, long cookieR, InetSocketAddress local,
      InetSocketAddress remote, boolean draft, boolean forceEncaps) {
    InetSocketAddress src = forceEncaps ? new InetSocketAddress(local.getAddress(), 1) : local;
    return List.of(new NatDPayload(hash(algs, cookieI, cookieR, remote), draft),
        new NatDPayload(hash(algs, cookieI, cookieR, src), draft));
  }

  /** [weAreBehindNat, peerIsBehindNat] from the peer's NAT-D payloads (none: no NAT known). */
  static boolean[] detect(List<NatDPayload> natd, V1Algs algs, long cookieI, long cookieR, InetSocketAddress us,
      InetSocketAddress peer) {
    if (natd.size() < 2) {
      return new boolean[] {false, false};
    }
    boolean weNat = !MessageDigest.isEqual(natd.get(0).hash(), hash(algs, cookieI, cookieR, us));
    byte[] peerHash = hash(algs, cookieI, cookieR, peer);
    boolean peerNat = natd.subList(1, natd.size()).stream().noneMatch(n -> MessageDigest.isEqual(n.hash(), peerHash));
    return new boolean[] {weNat, peerNat};
  }
}
