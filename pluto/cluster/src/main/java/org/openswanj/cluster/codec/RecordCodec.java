package org.openswanj.cluster.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.openswanj.cluster.codec.RecordException.Reason;
import org.openswanj.cluster.state.ChildSaRecord;
import org.openswanj.cluster.state.IkeSaRecord;
import org.openswanj.cluster.state.IsakmpSaRecord;
import org.openswanj.cluster.state.SaRecord;

/**
 * The replicated record format, version 4 (docs/HA.md; version 1, still read, had no inbound high-water in a Child
 * SA record; version 2 had no ISAKMP SA records; version 3 no XAUTH user and ModeConfig address in them): {@code version(1) type(1) public-fields
 * sealed-len(4) sealed}, where sealed = nonce(12) + AES-256-GCM(key fields) + tag(16). The associated data
 * is the record's etcd key, a zero byte, and every byte before the sealed part (version, type, public
 * fields), so a record moved to another key, downgraded or edited in etcd fails authentication. A record is
 * written in the oldest version that holds it (IKE and Child SAs in 2, ISAKMP SAs in 3, those of an XAUTH or
 * ModeConfig client in 4), so a node not yet
 * upgraded still takes over the IKEv2 SAs of an upgraded one and names what it cannot read.
 */
public final class RecordCodec {
  public static final int VERSION = 4;
  /** The first version with ISAKMP SA records. */
  static final int ISAKMP_SINCE = 3;
  /** The first version with an ISAKMP SA's XAUTH user and ModeConfig address. */
  static final int XAUTH_SINCE = 4;
  /** The oldest version still read: a node upgraded first resumes what an older active node published. */
  static final int OLDEST = 1;
  static final int TYPE_IKE = 1;
  static final int TYPE_CHILD = 2;
  static final int TYPE_ISAKMP = 3;

  private final ClusterKey key;

  public RecordCodec(ClusterKey key) {
    this.key = key;
  }

  public byte[] encode(SaRecord record, String etcdKey) {
    int version = !(record instanceof IsakmpSaRecord i) ? ISAKMP_SINCE - 1
        : i.features().hasClientState() ? XAUTH_SINCE : ISAKMP_SINCE;
    return encode(record, etcdKey, version);
  }

  /** In an older format {@code version} (tests: what a node not yet upgraded publishes). */
  byte[] encode(SaRecord record, String etcdKey, int version) {
    WireWriter pub = new WireWriter().u8(version);
    WireWriter secret = new WireWriter();
    if (record instanceof IkeSaRecord ike) {
      pub.u8(TYPE_IKE);
      IkeBody.writePublic(ike, pub);
      IkeBody.writeKeys(ike.keys(), secret);
    } else if (record instanceof ChildSaRecord child) {
      pub.u8(TYPE_CHILD);
      ChildBody.writePublic(child, pub, version);
      ChildBody.writeKeys(child.keys(), secret);
    } else if (record instanceof IsakmpSaRecord isakmp) {
      pub.u8(TYPE_ISAKMP);
      IsakmpBody.writePublic(isakmp, pub, version);
      IsakmpBody.writeKeys(isakmp.keys(), secret);
    }
    byte[] head = pub.toByteArray();
    byte[] plain = secret.toByteArray();
    byte[] sealed = key.seal(plain, aad(etcdKey, head, head.length));
    Arrays.fill(plain, (byte) 0);
    return new WireWriter().raw(head).u32(sealed.length).raw(sealed).toByteArray();
  }

  public SaRecord decode(byte[] bytes, String etcdKey) throws RecordException {
    String what = "record " + etcdKey;
    WireReader r = new WireReader(bytes, 0, what);
    int version = r.u8("version");
    if (version < OLDEST || version > VERSION) {
      throw new RecordException(Reason.UNSUPPORTED_VERSION, what + ": format version " + version
          + " (this pluto reads " + OLDEST + " to " + VERSION + ")");
    }
    int type = r.u8("type");
    if (type == TYPE_IKE) {
      IkeBody.Public p = IkeBody.readPublic(r);
      WireReader k = openKeys(r, bytes, etcdKey, what);
      return IkeBody.assemble(p, IkeBody.readKeys(k));
    }
    if (type == TYPE_CHILD) {
      ChildBody.Public p = ChildBody.readPublic(r, version);
      WireReader k = openKeys(r, bytes, etcdKey, what);
      return ChildBody.assemble(p, ChildBody.readKeys(k));
    }
    if (type == TYPE_ISAKMP && version >= ISAKMP_SINCE) {
      IsakmpBody.Public p = IsakmpBody.readPublic(r, version);
      WireReader k = openKeys(r, bytes, etcdKey, what);
      return IsakmpBody.assemble(p, IsakmpBody.readKeys(k));
    }
    throw new RecordException(Reason.UNKNOWN_TYPE, what + ": record type " + type + " at offset 1 in version "
        + version + " (1 IKE, 2 Child, 3 ISAKMP since version " + ISAKMP_SINCE + ")");
  }

  private WireReader openKeys(WireReader r, byte[] bytes, String etcdKey, String what) throws RecordException {
    int headLen = r.position();
    long len = r.u32("sealed length");
    if (len > bytes.length) {
      throw new RecordException(Reason.TRUNCATED, what + ": sealed length " + len + " exceeds the record");
    }
    byte[] sealed = r.raw((int) len, "sealed keys");
    r.end();
    byte[] plain = key.open(sealed, aad(etcdKey, bytes, headLen), what);
    return new WireReader(plain, 0, what + " (keys)");
  }

  private static byte[] aad(String etcdKey, byte[] head, int headLen) {
    byte[] k = etcdKey.getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(k, k.length + 1 + headLen);
    System.arraycopy(head, 0, out, k.length + 1, headLen);
    return out;
  }
}
