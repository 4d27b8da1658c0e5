package org.openswanj.cluster.etcd;

import io.etcd.jetcd.ByteSequence;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.openswanj.cluster.state.SaRecord;

/**
 * Where the cluster keeps things in etcd, declared once: {@code /openswanj/election/<vip>} (etcd's election
 * API keys candidates below it) and {@code /openswanj/sa/<vip>/<ike|child>/...} for the SA records.
 */
public final class KeyLayout {
  public static final String ROOT = "/openswanj/";

  private KeyLayout() {}

  static ByteSequence election(InetAddress vip) {
    return bytes(ROOT + "election/" + vip.getHostAddress());
  }

  public static String saPrefix() {
    return ROOT + "sa/";
  }

  public static String record(InetAddress vip, SaRecord r) {
    return saPrefix() + vip.getHostAddress() + "/" + r.keySuffix();
  }

  /** The virtual address a record key belongs to (its third path element). */
  static String vipOf(String key) {
    String rest = key.substring(saPrefix().length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
