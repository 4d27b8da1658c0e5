package org.openswanj.cluster;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.Keyword;
import org.openswanj.conf.SetupConfig;
import org.openswanj.conf.Values;

/**
 * The cluster's settings from {@code config setup} (our extensions, docs/HA.md): etcd endpoints and TLS files,
 * this node's name, the virtual addresses served, the lease TTL and the sequence number margin.
 */
public record ClusterConfig(List<URI> endpoints, String node, List<InetAddress> vips, Optional<EtcdTls> tls,
    Duration leaseTtl, long seqMargin) {
  /** TLS client authentication to etcd: CA, our certificate and its (PKCS#8 PEM) key. */
  public record EtcdTls(Path caCert, Path cert, Path key) {}

  public ClusterConfig {
    endpoints = List.copyOf(endpoints);
    vips = List.copyOf(vips);
  }

  /** Empty when {@code cluster-etcd=} is not set: this pluto runs alone. */
  public static Optional<ClusterConfig> from(SetupConfig setup) throws ConfigException {
    Map<String, String> raw = setup.raw();
    String etcd = raw.getOrDefault(Keyword.CLUSTER_ETCD.keywordName(), "");
    if (etcd.isBlank()) {
      return Optional.empty();
    }
    String node = raw.getOrDefault(Keyword.CLUSTER_NODE.keywordName(), "");
    if (node.isBlank()) {
      throw new ConfigException("cluster-etcd= is set but cluster-node= (this node's name) is missing");
    }
    List<InetAddress> vips = vips(raw.getOrDefault(Keyword.CLUSTER_VIP.keywordName(), ""));
    Duration ttl = Values.time("cluster-lease-ttl", get(raw, Keyword.CLUSTER_LEASE_TTL));
    if (ttl.toSeconds() < 2) {
      throw new ConfigException("cluster-lease-ttl=" + ttl.toSeconds() + ": at least 2 s (etcd's minimum TTL)");
    }
    int margin = Values.number("cluster-seq-margin", get(raw, Keyword.CLUSTER_SEQ_MARGIN));
    return Optional.of(new ClusterConfig(endpoints(etcd), node, vips, tls(raw), ttl, margin));
  }

  private static String get(Map<String, String> raw, Keyword k) {
    return raw.getOrDefault(k.keywordName(), k.defaultValue());
  }

  private static List<URI> endpoints(String v) throws ConfigException {
    List<URI> out = new ArrayList<>();
    for (String s : Values.list(v)) {
      try {
        URI u = URI.create(s);
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
          throw new IllegalArgumentException("not http(s)://host:port");
        }
        out.add(u);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("cluster-etcd=" + s + ": expected http(s)://host:port");
      }
    }
    return out;
  }

  private static List<InetAddress> vips(String v) throws ConfigException {
    List<InetAddress> out = new ArrayList<>();
    for (String s : Values.list(v)) {
      if (!InetAddresses.isInetAddress(s)) {
        throw new ConfigException("cluster-vip=" + s + ": not an IP address");
      }
      out.add(InetAddresses.forString(s));
    }
    if (out.isEmpty()) {
      throw new ConfigException("cluster-etcd= is set but cluster-vip= names no virtual address");
    }
    return out;
  }

  private static Optional<EtcdTls> tls(Map<String, String> raw) throws ConfigException {
    String ca = raw.get(Keyword.CLUSTER_ETCD_CACERT.keywordName());
    String cert = raw.get(Keyword.CLUSTER_ETCD_CERT.keywordName());
    String key = raw.get(Keyword.CLUSTER_ETCD_KEY.keywordName());
    if (ca == null && cert == null && key == null) {
      return Optional.empty();
    }
    if (ca == null || cert == null || key == null) {
      throw new ConfigException("cluster-etcd-cacert=, cluster-etcd-cert= and cluster-etcd-key= go together");
    }
    return Optional.of(new EtcdTls(Path.of(ca), Path.of(cert), Path.of(key)));
  }
}
