package org.openswanj.kernel.netkey;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.Encapsulation;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.KernelFeature;
import org.openswanj.kernel.Lifetime;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaBinding;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;

/**
 * Moving an SA to a NAT's new mapping (RFC 7296 §2.23) on netkey: the UPDSA built from a GETSA reply, byte by byte,
 * and the backend's GETSA → UPDSA exchange against a fake kernel that answers as Linux does (xfrm_user's GETSA reply:
 * xfrm_usersa_info, then the algorithms — HMACs as both ALG_AUTH and ALG_AUTH_TRUNC —, encap, lifetime and replay
 * values).
 */
class XfrmEncapUpdateTest {
  static final SaId OUT;
  static final SaId IN;

  static {
    try {
      OUT = new SaId(InetAddress.getByName("192.1.2.23"), InetAddress.getByName("192.1.2.45"), 0xc1a55e01,
          IpsecProto.ESP);
      IN = new SaId(OUT.dst(), OUT.src(), 0xc1a55e02, IpsecProto.ESP);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static String hex(byte[] b, int from, int to) {
    return HexFormat.of().formatHex(b, from, to);
  }

  static SaSpec cbcSpec(UdpEncap encap, Replay replay) {
    byte[] ek = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    byte[] ik = new byte[32];
    java.util.Arrays.fill(ik, (byte) 0x5a);
    return new SaSpec(Direction.OUTBOUND, new SaTransform(Encryption.AES_CBC, new SecretKey(ek),
        Integrity.HMAC_SHA2_256_128, new SecretKey(ik)), new Encapsulation(IpsecMode.TUNNEL, encap), replay,
        new SaBinding("natmove", 7, Selector.of(OUT.src(), 32, OUT.dst(), 32)), new Lifetime(0, 0, 3000, 3630));
  }

  /**
   * What the kernel answers to GETSA for an SA added with {@code spec}: our NEWSA's struct with counters filled in,
   * our attributes, and the ones the kernel adds (ALG_AUTH beside ALG_AUTH_TRUNC, REPLAY_VAL, LASTUSED; the usage is
   * in the struct's curlft, not in an XFRMA_LTIME_VAL as in AE messages).
   */
  static byte[] getsaReply(SaId id, SaSpec spec) {
    byte[] ours = XfrmMessages.sa(id, spec, Ownership.REQID_TAG | 7);
    ByteBuffer b = ByteBuffer.wrap(ours).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(XfrmCodec.SA_CURLFT, 84_000); // bytes
    b.putLong(XfrmCodec.SA_CURLFT + 8, 1000); // packets
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(java.util.Arrays.copyOf(ours, Xfrm.SIZEOF_USERSA_INFO));
    for (Attr a : Attr.parse(b, Xfrm.SIZEOF_USERSA_INFO)) {
      if (a.type() == Xfrm.XFRMA_ALG_AUTH_TRUNC) {
        byte[] plain = new byte[68 + 32]; // struct xfrm_algo: no truncation field
        System.arraycopy(a.bytes(), 0, plain, 0, 68);
        System.arraycopy(a.bytes(), 72, plain, 68, 32);
        new Attr(Xfrm.XFRMA_ALG_AUTH, plain).writeTo(out);
      }
      a.writeTo(out);
    }
    new Attr(Xfrm.XFRMA_REPLAY_VAL, new byte[12]).writeTo(out);
    new Attr(Xfrm.XFRMA_LASTUSED, new byte[8]).writeTo(out);
    return out.toByteArray();
  }

  /** {@code reply} (a GETSA reply) with {@code replay} as its only replay state attribute. */
  static byte[] withReplay(byte[] reply, Attr replay) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(java.util.Arrays.copyOf(reply, Xfrm.SIZEOF_USERSA_INFO));
    for (Attr a : Attr.parse(le(reply), Xfrm.SIZEOF_USERSA_INFO)) {
      if (a.type() != Xfrm.XFRMA_REPLAY_VAL && a.type() != Xfrm.XFRMA_REPLAY_ESN_VAL) {
        a.writeTo(out);
      }
    }
    replay.writeTo(out);
    return out.toByteArray();
  }

  static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void updsaKeepsTheStateAndItsKeysAndCarriesTheNewPorts() {
    byte[] reply = getsaReply(OUT, cbcSpec(new UdpEncap(4500, 40000), new Replay(32, false)));
    byte[] m = XfrmMessages.encapUpdate(le(reply), new UdpEncap(4500, 40001)).orElseThrow();
    assertArrayEquals(java.util.Arrays.copyOf(reply, 224), java.util.Arrays.copyOf(m, 224),
        "xfrm_usersa_info as the kernel gave it: id, lifetime limits (xfrm_state_update copies lft) unchanged");
    assertEquals(32, m[XfrmCodec.SA_REPLAY_WINDOW], "no ESN attribute: the window stays in the struct");
    // XFRMA_ALG_CRYPT: 4 + 64 + 4 + 16 = 88 bytes, type 2
    assertEquals("58000200", hex(m, 224, 228));
    assertEquals("00112233445566778899aabbccddeeff", hex(m, 224 + 72, 224 + 88), "the SA's own key");
    // XFRMA_ALG_AUTH_TRUNC: 4 + 64 + 8 + 32 = 108 bytes, type 20; the plain ALG_AUTH is left out
    int auth = 224 + 88;
    assertEquals("6c001400", hex(m, auth, auth + 4));
    assertEquals(128, le(m).getInt(auth + 4 + 68), "ICV bits");
    // XFRMA_ENCAP: 4 + 24 = 28 bytes, type 4: ESPINUDP, sport 4500, dport 40001 (big-endian), oa zero
    int encap = auth + 108;
    assertEquals("1c000400" + "0200" + "1194" + "9c41" + "0000" + "00".repeat(16), hex(m, encap, encap + 28));
    assertEquals(encap + 28, m.length, "nothing else: no LTIME_VAL, REPLAY_VAL, LASTUSED");
  }

  @Test
  void anEsnSaSendsItsReplayStateBackWithTheWindowOnlyThere() {
    byte[] reply = getsaReply(OUT, cbcSpec(new UdpEncap(4500, 40000), new Replay(128, true)));
    le(reply).put(XfrmCodec.SA_REPLAY_WINDOW, (byte) 128); // some kernels report it in the struct too
    byte[] m = XfrmMessages.encapUpdate(le(reply), new UdpEncap(4500, 40001)).orElseThrow();
    assertEquals(0, m[XfrmCodec.SA_REPLAY_WINDOW], "verify_replay refuses a window in both places");
    assertEquals(128, m[XfrmCodec.SA_FLAGS] & 0xff, "XFRM_STATE_ESN kept");
    List<Attr> attrs = Attr.parse(le(m), 224);
    assertEquals(List.of(Xfrm.XFRMA_ALG_CRYPT, Xfrm.XFRMA_ALG_AUTH_TRUNC, Xfrm.XFRMA_REPLAY_ESN_VAL,
        Xfrm.XFRMA_ENCAP), attrs.stream().map(Attr::type).toList());
    assertEquals(24 + 16, attrs.get(2).bytes().length, "xfrm_replay_state_esn with its 4-word bitmap");
    assertEquals(0, m.length % 4, "attributes stay 4-byte aligned");
  }

  @Test
  void anSaWithoutEncapOrAShortReplyGivesNothing() {
    byte[] plain = getsaReply(OUT, cbcSpec(null, new Replay(32, false)));
    assertTrue(XfrmMessages.encapUpdate(le(plain), new UdpEncap(4500, 4501)).isEmpty());
    assertTrue(XfrmMessages.encapUpdate(le(new byte[100]), new UdpEncap(4500, 4501)).isEmpty());
  }

  /**
   * A kernel that holds SAs as GETSA replies, keyed as XFRM keys them (destination, SPI), and answers GETSA, UPDSA,
   * DELSA, NEWSA and policy requests as xfrm_user does; {@code refuseNewsa} makes the next NEWSA fail with EINVAL.
   */
  static final class FakeKernel implements XfrmRequests {
    final java.util.Map<String, byte[]> sas = new java.util.HashMap<>();
    final List<String> asked = new ArrayList<>();
    final List<byte[]> updates = new ArrayList<>();
    final List<byte[]> added = new ArrayList<>();
    final List<byte[]> policies = new ArrayList<>();
    final List<byte[]> aevents = new ArrayList<>();
    boolean refuseNewsa;

    static String key(ByteBuffer b, int daddr, int spi) {
      return hex(java.util.Arrays.copyOfRange(b.array(), daddr, daddr + 4), 0, 4) + "/" + hex(
          java.util.Arrays.copyOfRange(b.array(), spi, spi + 4), 0, 4);
    }

    void put(SaId id, byte[] reply) {
      sas.put(key(le(XfrmCodec.usersaId(id.dst(), id.spi(), 50)), XfrmCodec.SAID_DADDR, XfrmCodec.SAID_SPI), reply);
    }

    @Override
    public List<NetlinkSocket.Message> request(int type, int flags, byte[] payload) throws NetlinkException {
      ByteBuffer p = le(payload);
      boolean byId = type == Xfrm.MSG_GETSA || type == Xfrm.MSG_DELSA || type == Xfrm.MSG_NEWAE;
      String name = switch (type) {
        case Xfrm.MSG_GETSA -> "GETSA";
        case Xfrm.MSG_UPDSA -> "UPDSA";
        case Xfrm.MSG_DELSA -> "DELSA";
        case Xfrm.MSG_NEWSA -> "NEWSA";
        case Xfrm.MSG_NEWAE -> "NEWAE";
        case Xfrm.MSG_UPDPOLICY -> "UPDPOLICY";
        default -> Integer.toString(type);
      };
      if (type == Xfrm.MSG_UPDPOLICY) {
        asked.add(name);
        policies.add(payload.clone());
        return List.of();
      }
      String key = byId ? key(p, XfrmCodec.SAID_DADDR, XfrmCodec.SAID_SPI) : key(p, XfrmCodec.SA_ID_DADDR,
          XfrmCodec.SA_ID_SPI);
      asked.add(name + " " + key);
      byte[] sa = sas.get(key);
      if (type == Xfrm.MSG_NEWSA) {
        if (refuseNewsa) {
          refuseNewsa = false;
          throw new NetlinkException("EINVAL", Errno.EINVAL, null);
        }
        if (sa != null) {
          throw new NetlinkException("EEXIST", Errno.EEXIST, null);
        }
        added.add(payload.clone());
        sas.put(key, payload.clone());
        return List.of();
      }
      if (sa == null) {
        throw new NetlinkException("ESRCH", Errno.ESRCH, null);
      }
      switch (type) {
        case Xfrm.MSG_GETSA -> {
          return List.of(new NetlinkSocket.Message(Xfrm.MSG_NEWSA, 0, 1, le(sa.clone())));
        }
        case Xfrm.MSG_UPDSA -> updates.add(payload.clone());
        case Xfrm.MSG_DELSA -> sas.remove(key);
        case Xfrm.MSG_NEWAE -> { // xfrm_new_ae: NLM_F_REPLACE or EINVAL; the replay state is replaced whole
          if ((flags & NetlinkSocket.NLM_F_REPLACE) == 0) {
            throw new NetlinkException("EINVAL", Errno.EINVAL, null);
          }
          aevents.add(payload.clone());
          Attr set = Attr.parse(p, Xfrm.SIZEOF_AEVENT_ID).get(0);
          sas.put(key, withReplay(sa, set));
        }
        default -> throw new NetlinkException("EOPNOTSUPP", 95, null);
      }
      return List.of();
    }

    @Override
    public void close() {}
  }

  @Test
  void theBackendMovesBothSasOfAChildAndAdvertisesIt() throws Exception {
    FakeKernel k = new FakeKernel();
    k.put(OUT, getsaReply(OUT, cbcSpec(new UdpEncap(4500, 40000), new Replay(32, false))));
    k.put(IN, getsaReply(IN, cbcSpec(new UdpEncap(40000, 4500), new Replay(32, false))));
    NetkeyBackend backend = new NetkeyBackend(k);
    assertTrue(backend.features().contains(KernelFeature.ENCAP_UPDATE));
    backend.updateSaEncap(OUT, new UdpEncap(4500, 40001));
    backend.updateSaEncap(IN, new UdpEncap(40001, 4500));
    assertEquals(List.of("GETSA c001022d/c1a55e01", "UPDSA c001022d/c1a55e01", "GETSA c0010217/c1a55e02",
        "UPDSA c0010217/c1a55e02"), k.asked);
    Attr out = Attr.find(Attr.parse(le(k.updates.get(0)), 224), Xfrm.XFRMA_ENCAP);
    Attr in = Attr.find(Attr.parse(le(k.updates.get(1)), 224), Xfrm.XFRMA_ENCAP);
    assertEquals("0200" + "1194" + "9c41", hex(out.bytes(), 0, 6), "outbound: to the new port");
    assertEquals("0200" + "9c41" + "1194", hex(in.bytes(), 0, 6), "inbound: expects the new port");
  }

  @Test
  void failuresNameTheSaAndTheReasonAndSendNoUpdate() {
    FakeKernel k = new FakeKernel();
    k.put(OUT, getsaReply(OUT, cbcSpec(null, new Replay(32, false))));
    NetkeyBackend backend = new NetkeyBackend(k);
    KernelException plain = assertThrows(KernelException.class,
        () -> backend.updateSaEncap(OUT, new UdpEncap(4500, 40001)));
    assertEquals("cannot move SA esp:0xc1a55e01 192.1.2.23→192.1.2.45 to UDP ports 4500→40001: the SA is not "
        + "UDP-encapsulated", plain.getMessage());
    assertEquals(Errno.EINVAL, plain.errno());
    KernelException gone = assertThrows(KernelException.class,
        () -> backend.updateSaEncap(IN, new UdpEncap(40001, 4500)));
    assertEquals("cannot move SA esp:0xc1a55e02 192.1.2.45→192.1.2.23 to UDP ports 40001→4500: no such SA (ESRCH)",
        gone.getMessage());
    assertEquals(Errno.ESRCH, gone.errno());
    assertTrue(k.updates.isEmpty());
  }
}
