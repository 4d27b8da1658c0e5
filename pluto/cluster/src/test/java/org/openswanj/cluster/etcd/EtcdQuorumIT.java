package org.openswanj.cluster.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.cluster.ClusterConfig;
import org.openswanj.cluster.Samples;
import org.openswanj.cluster.codec.ClusterKey;
import org.openswanj.cluster.etcd.Events.Kind;
import org.openswanj.cluster.state.MessageIdSync;
import org.openswanj.cluster.state.SaRecord;

/** A three-member etcd: losing one member fences nobody and replication goes on. */
class EtcdQuorumIT {
  private static final InetAddress VIP = InetAddresses.forString("192.0.2.20");
  // generous: on a loaded 2-core machine a 3 s lease missed keep-alives and fenced for the wrong reason
  private static final Duration TTL = Duration.ofSeconds(6);

  @TempDir
  Path dir;
  private List<EtcdProcess> etcd = List.of();
  private ClusterNode a;
  private ClusterNode b;

  @AfterEach
  void stop() throws Exception {
    for (ClusterNode n : new ClusterNode[] {a, b}) {
      if (n != null) {
        n.close();
      }
    }
    for (EtcdProcess e : etcd) {
      e.close();
    }
  }

  private ClusterNode node(String name, Events events) throws ClusterException {
    List<URI> endpoints = etcd.stream().map(EtcdProcess::endpoint).toList();
    ClusterConfig cfg = new ClusterConfig(endpoints, name, List.of(VIP), Optional.empty(), TTL, 65_536);
    return ClusterNode.start(cfg, new ClusterKey(Samples.keyBytes(7, 32), new SecureRandom()), events);
  }

  @Test
  void oneMemberDownFencesNobody() throws Exception {
    etcd = EtcdProcess.cluster(dir, 3);
    Events ea = new Events();
    Events eb = new Events();
    a = node("a", ea);
    assertNotNull(ea.await(Kind.ACTIVE, 0, Duration.ofSeconds(5)));
    b = node("b", eb);
    for (EtcdProcess member : etcd.subList(0, 1)) {
      member.kill();
    }
    long t0 = System.nanoTime();
    SaRecord ike = Samples.ike(5, MessageIdSync.MESSAGE_ID);
    assertTrue(a.publish(VIP, ike).get(2 * TTL.toSeconds(), TimeUnit.SECONDS), "writes go on with 2 of 3");
    long publishMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    Thread.sleep(TTL.toMillis() + 1000);
    assertNull(ea.await(Kind.FENCED, 0, Duration.ZERO), "active node not fenced");
    assertNull(eb.await(Kind.FENCED, 0, Duration.ZERO), "standby not fenced");
    assertTrue(a.isActive(VIP));
    assertFalse(b.isActive(VIP));
    assertEquals(1, ea.count(Kind.ACTIVE));
    assertTrue(b.warmCopy().snapshot().containsValue(ike), "standby's copy followed");
    System.out.printf("quorum: first publish after losing a member took %d ms%n", publishMs);
  }
}
