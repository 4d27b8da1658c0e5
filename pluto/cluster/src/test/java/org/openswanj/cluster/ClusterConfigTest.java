package org.openswanj.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.LoadResult;

class ClusterConfigTest {
  private static Optional<ClusterConfig> read(String setup) throws ConfigException {
    LoadResult r = ConfigLoader.parse("config setup\n" + setup, Path.of("t.conf"));
    assertFalse(r.hasErrors(), r.diagnostics().toString());
    return ClusterConfig.from(r.config().setup());
  }

  @Test
  void documentedKeywordsParse() throws ConfigException {
    ClusterConfig c = read("\tcluster-etcd=\"http://10.0.0.1:2379,http://10.0.0.2:2379\"\n\tcluster-node=west\n"
        + "\tcluster-vip=192.0.2.10\n\tcluster-lease-ttl=5\n").orElseThrow();
    assertEquals(List.of(URI.create("http://10.0.0.1:2379"), URI.create("http://10.0.0.2:2379")), c.endpoints());
    assertEquals("west", c.node());
    assertEquals(List.of(InetAddresses.forString("192.0.2.10")), c.vips());
    assertEquals(Duration.ofSeconds(5), c.leaseTtl());
    assertEquals(65_536, c.seqMargin());
    assertTrue(c.tls().isEmpty());
  }

  @Test
  void noClusterWithoutEtcd() throws ConfigException {
    assertTrue(read("\tprotostack=none\n").isEmpty());
  }

  @Test
  void mistakesAreNamed() {
    assertEquals("cluster-etcd= is set but cluster-node= (this node's name) is missing", assertThrows(
        ConfigException.class, () -> read("\tcluster-etcd=http://10.0.0.1:2379\n\tcluster-vip=192.0.2.10\n"))
        .getMessage());
    assertEquals("cluster-vip=gw: not an IP address", assertThrows(ConfigException.class,
        () -> read("\tcluster-etcd=http://10.0.0.1:2379\n\tcluster-node=a\n\tcluster-vip=gw\n")).getMessage());
    assertEquals("cluster-etcd-cacert=, cluster-etcd-cert= and cluster-etcd-key= go together", assertThrows(
        ConfigException.class, () -> read("\tcluster-etcd=https://10.0.0.1:2379\n\tcluster-node=a\n"
            + "\tcluster-vip=192.0.2.10\n\tcluster-etcd-cacert=/etc/ipsec.d/cacerts/etcd.pem\n")).getMessage());
  }
}
