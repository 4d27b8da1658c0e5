package org.openswanj.cluster;

import com.google.common.net.InetAddresses;
import java.util.List;
import org.openswanj.alg.DhGroup;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;
import org.openswanj.cluster.state.ChildAlgorithms;
import org.openswanj.cluster.state.ChildKeys;
import org.openswanj.cluster.state.ChildSaRecord;
import org.openswanj.cluster.state.ChildSaRef;
import org.openswanj.cluster.state.ChildSpis;
import org.openswanj.cluster.state.Endpoint;
import org.openswanj.cluster.state.IkeAlgorithms;
import org.openswanj.cluster.state.IkeKeys;
import org.openswanj.cluster.state.IkeMessageIds;
import org.openswanj.cluster.state.IkePeers;
import org.openswanj.cluster.state.IkeRole;
import org.openswanj.cluster.state.IkeSaRecord;
import org.openswanj.cluster.state.IkeSaRef;
import org.openswanj.cluster.state.IkeSpis;
import org.openswanj.cluster.state.MessageIdSync;
import org.openswanj.cluster.state.NatState;
import org.openswanj.cluster.state.SaTimes;
import org.openswanj.cluster.state.TrafficSelectors;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;

/** Records as an engine would publish them: distinct, recognisable key bytes per key. */
public final class Samples {
  public static final IkeSpis SPIS = new IkeSpis(0x0123456789abcdefL, 0xfedcba9876543210L);

  private Samples() {}

  /** {@code n} bytes counting up from {@code first}: each key is different and easy to find in a dump. */
  public static byte[] keyBytes(int first, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (first + i * 7);
    }
    return b;
  }

  static SecretKey key(int first, int n) {
    return new SecretKey(keyBytes(first, n));
  }

  public static IkeSaRecord ike(long nextSend, MessageIdSync sync) {
    IkePeers peers = new IkePeers(new Endpoint(InetAddresses.forString("192.0.2.10"), 4500),
        new Endpoint(InetAddresses.forString("198.51.100.7"), 31337), "@gw.example", "CN=road, O=Example",
        NatState.REMOTE_BEHIND_NAT, org.openswanj.cluster.state.FragmentState.BOTH);
    IkeAlgorithms algs = new IkeAlgorithms(Encryption.AES_CBC, 256, Integrity.HMAC_SHA2_256_128,
        Prf.HMAC_SHA2_256, DhGroup.fromId(14).orElseThrow());
    IkeKeys keys = new IkeKeys(key(1, 32), key(2, 32), key(3, 32), key(4, 32), key(5, 32));
    return new IkeSaRecord(new IkeSaRef("road-vip", SPIS, IkeRole.ORIGINAL_RESPONDER), peers, algs, keys,
        new SaTimes(1_800_000_000L, 1_800_003_000L, 1_800_003_600L), new IkeMessageIds(nextSend, 7, sync));
  }

  public static ChildSaRecord child(int inboundSpi, long highWater, boolean esn) {
    Selector local = Selector.of(InetAddresses.forString("10.1.0.0"), 16, InetAddresses.forString("10.2.0.0"), 16);
    Selector remote = new Selector(InetAddresses.forString("2001:db8::"), 32, InetAddresses.forString("2001:db8:1::"),
        48, 6, 0, 443);
    ChildAlgorithms algs = new ChildAlgorithms(Encryption.AES_CBC, 128, Integrity.HMAC_SHA2_256_128,
        IpsecMode.TUNNEL, new Replay(64, esn), new UdpEncap(4500, 31337));
    ChildKeys keys = new ChildKeys(key(11, 16), key(12, 32), key(13, 16), key(14, 32));
    ChildSaRef ref = new ChildSaRef("road-vip", SPIS, 16393, new ChildSpis(inboundSpi, 0xc0ffee01, IpsecProto.ESP));
    return new ChildSaRecord(ref, new TrafficSelectors(List.of(local), List.of(remote)), algs, keys,
        new SaTimes(1_800_000_000L, 1_800_027_000L, 1_800_028_800L), highWater);
  }

  /** An ISAKMP SA from Main Mode behind a NAT (floated to 4500, RFC 3947), keys 21..25; IPsec SAs: {@link #child}. */
  public static org.openswanj.cluster.state.IsakmpSaRecord isakmp(long dpdSeq) {
    IkePeers peers = new IkePeers(new Endpoint(InetAddresses.forString("192.0.2.10"), 4500),
        new Endpoint(InetAddresses.forString("198.51.100.7"), 31337), "@gw.example", "@road.example",
        NatState.REMOTE_BEHIND_NAT, org.openswanj.cluster.state.FragmentState.NONE);
    var algs = new org.openswanj.cluster.state.IsakmpAlgorithms(Encryption.AES_CBC, 128, Integrity.HMAC_SHA1_96,
        DhGroup.fromId(14).orElseThrow(), 1);
    var keys = new org.openswanj.cluster.state.IsakmpKeys(key(21, 20), key(22, 20), key(23, 20), key(24, 16),
        key(25, 16));
    return new org.openswanj.cluster.state.IsakmpSaRecord(new IkeSaRef("road-v1", SPIS, IkeRole.ORIGINAL_RESPONDER),
        peers, algs, keys, new SaTimes(1_800_000_000L, 0, 1_800_003_600L),
        new org.openswanj.cluster.state.IsakmpFeatures(
            org.openswanj.cluster.state.IsakmpFeatures.NattFlavour.RFC3947, true, dpdSeq));
  }

  /** The key bytes of {@link #isakmp}. */
  public static List<byte[]> isakmpKeys() {
    return List.of(keyBytes(21, 20), keyBytes(22, 20), keyBytes(23, 20), keyBytes(24, 16), keyBytes(25, 16));
  }

  /** Every key byte array of a sample record pair, for "etcd holds no key bytes" checks. */
  public static List<byte[]> allKeys() {
    return List.of(keyBytes(1, 32), keyBytes(2, 32), keyBytes(3, 32), keyBytes(4, 32), keyBytes(5, 32),
        keyBytes(11, 16), keyBytes(12, 32), keyBytes(13, 16), keyBytes(14, 32));
  }

  public static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
