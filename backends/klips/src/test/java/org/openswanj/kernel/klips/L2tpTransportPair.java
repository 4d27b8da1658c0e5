package org.openswanj.kernel.klips;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openswanj.alg.Encryption;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.Encapsulation;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.Lifetime;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaBinding;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTemplate;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;
import org.openswanj.kernel.klips.net.MemoryNet;
import org.openswanj.kernel.klips.net.MemoryTun;

/**
 * Two klips on the in-memory fakes as an L2TP client behind a NAT and its server, in transport mode: west seals from
 * its private address, east has the inbound SA pluto installs for the NAT-ed client (the NAT's address and mapped
 * port); what west sends is caught in {@link #wire} instead of delivered.
 */
abstract class L2tpTransportPair {
  static final int SPI = 0x3001;
  static final Duration WAIT = Duration.ofSeconds(5);
  final InetAddress westPrivate = ip("192.1.3.45");
  final InetAddress natIp = ip("192.1.2.254");
  final InetAddress eastIp = ip("192.1.2.23");
  final MemoryNet net = new MemoryNet();
  final LinkedBlockingQueue<byte[]> wire = new LinkedBlockingQueue<>();
  KlipsBackend east;
  MemoryTun eastTun;
  KlipsBackend west;
  MemoryTun westTun;

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static SaSpec spec(Direction d, Selector sel, UdpEncap udp) {
    byte[] k = new byte[20];
    Arrays.fill(k, (byte) 0x5a);
    return new SaSpec(d, SaTransform.aead(Encryption.AES_GCM_16, new SecretKey(k)),
        new Encapsulation(IpsecMode.TRANSPORT, udp), new Replay(64, false), new SaBinding("l2tp-psk", 1, sel),
        Lifetime.NONE);
  }

  @BeforeEach
  void setUp() throws Exception {
    MemoryNet.Host e = net.host(eastIp);
    east = KlipsBackend.open(KlipsConfig.of(List.of(new KlipsConfig.Binding("ipsec0", "eth0"))), e);
    eastTun = e.tun("ipsec0");
    // east's inbound SA as pluto installs it for the NAT-ed client: the NAT's address and mapped port
    east.addSa(new SaId(natIp, eastIp, SPI, IpsecProto.ESP),
        spec(Direction.INBOUND, Selector.of(natIp, 32, eastIp, 32), new UdpEncap(40000, 4500)));
    // west seals with the same keys from its private address, as the client behind the NAT does
    MemoryNet.Host w = net.host(westPrivate);
    west = KlipsBackend.open(KlipsConfig.of(List.of(new KlipsConfig.Binding("ipsec0", "eth0"))), w);
    westTun = w.tun("ipsec0");
    Selector out = Selector.of(westPrivate, 32, eastIp, 32);
    west.addSa(new SaId(westPrivate, eastIp, SPI, IpsecProto.ESP), spec(Direction.OUTBOUND, out, null));
    west.addPolicy(new PolicyId(out, PolicyDirection.OUT), new PolicySpec(PolicyAction.IPSEC,
        SaTemplate.esp(IpsecMode.TRANSPORT, westPrivate, eastIp, SPI), 1, 0, "l2tp-psk"));
    net.onTheWire(p -> {
      wire.add(p);
      return null;
    });
  }

  @AfterEach
  void tearDown() {
    west.close();
    east.close();
  }
}
