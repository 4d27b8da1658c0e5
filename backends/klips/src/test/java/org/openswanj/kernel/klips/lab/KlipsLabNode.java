package org.openswanj.kernel.klips.lab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.openswanj.alg.Encryption;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.Encapsulation;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelEvent;
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
import org.openswanj.kernel.klips.DatagramUdpEncapSocket;
import org.openswanj.kernel.klips.KlipsBackend;
import org.openswanj.kernel.klips.KlipsConfig;

/**
 * One side of the two-namespace lab, run inside its namespace ({@code ip netns exec west java ...}):
 * {@code KlipsLabNode west|east raw|udp|trap <physical>}. Installs fixed-key AES-GCM-128 SAs and
 * eroutes (no IKE), a route for the peer's subnet via ipsec0, prints READY, then obeys stdin:
 * {@code stats} prints describe() then END, {@code inject} sends a replayed, a tampered and an
 * unknown-SPI ESP packet to the peer, {@code quit} closes.
 */
public final class KlipsLabNode {
  static final int WEST_TO_EAST = 0x1001;
  static final int EAST_TO_WEST = 0x2002;

  private KlipsLabNode() {}

  static byte[] key(int spi) {
    byte[] k = new byte[20];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (spi + 7 * i);
    }
    return k;
  }

  static SaSpec spec(boolean inbound, Selector sel, boolean udp, int spi) {
    return new SaSpec(inbound ? Direction.INBOUND : Direction.OUTBOUND,
        SaTransform.aead(Encryption.AES_GCM_16, new SecretKey(key(spi))),
        new Encapsulation(IpsecMode.TUNNEL, udp ? new UdpEncap(4500, 4500) : null), new Replay(64, false),
        new SaBinding("west-east", 1, sel), Lifetime.NONE);
  }

  public static void main(String[] args) throws Exception {
    boolean west = args[0].equals("west");
    String mode = args[1];
    String phys = args[2];
    boolean udp = mode.equals("udp");
    InetAddress me = InetAddress.getByName(west ? "192.0.2.1" : "192.0.2.2");
    InetAddress peer = InetAddress.getByName(west ? "192.0.2.2" : "192.0.2.1");
    InetAddress mySub = InetAddress.getByName(west ? "10.1.0.1" : "10.2.0.1");
    InetAddress peerSub = InetAddress.getByName(west ? "10.2.0.1" : "10.1.0.1");
    int outSpi = west ? WEST_TO_EAST : EAST_TO_WEST;
    int inSpi = west ? EAST_TO_WEST : WEST_TO_EAST;
    Selector out = Selector.of(mySub, 24, peerSub, 24);
    KlipsBackend k = KlipsBackend.open(KlipsConfig.of(List.of(new KlipsConfig.Binding("ipsec0", phys))));
    DatagramUdpEncapSocket sock = udp ? new DatagramUdpEncapSocket(new InetSocketAddress(me, 4500), k) : null;
    if (sock != null) {
      k.attachUdpEncap(sock);
    }
    SaId outId = new SaId(me, peer, outSpi, IpsecProto.ESP);
    PolicyId pol = new PolicyId(out, PolicyDirection.OUT);
    PolicySpec ipsec = new PolicySpec(PolicyAction.IPSEC, SaTemplate.esp(IpsecMode.TUNNEL, me, peer, outSpi), 1, 0,
        "west-east");
    k.addSa(new SaId(peer, me, inSpi, IpsecProto.ESP), spec(true, out.reversed(), udp, inSpi));
    if (mode.equals("trap") && west) {
      k.setListener(ev -> {
        if (ev instanceof KernelEvent.Acquire a) {
          System.out.println("ACQUIRE " + a.packet());
          new Thread(() -> {
            try {
              Thread.sleep(300);
              k.addSa(outId, spec(false, out, false, outSpi));
              k.replacePolicy(pol, ipsec);
            } catch (Exception e) {
              System.out.println("ERROR " + e.getMessage());
            }
          }).start();
        }
      });
      k.addPolicy(pol, PolicySpec.shunt(PolicyAction.TRAP, "west-east"));
    } else {
      k.addSa(outId, spec(false, out, udp, outSpi));
      k.addPolicy(pol, ipsec);
    }
    String dev = k.interfaceFor(me);
    Process ip = new ProcessBuilder("ip", "route", "add", peerSub.getHostAddress().replaceAll("\\.1$", ".0") + "/24",
        "dev", dev, "src", mySub.getHostAddress()).inheritIO().start();
    if (ip.waitFor() != 0) {
      System.out.println("ERROR ip route");
    }
    System.out.println("READY " + dev + " mtu " + k.mtus().get(dev));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      switch (line.trim()) {
        case "stats" -> {
          k.describe().forEach(System.out::println);
          System.out.println("END");
        }
        case "inject" -> {
          Injector.inject(me, peer, outSpi, key(outSpi), mySub, peerSub);
          System.out.println("INJECTED");
        }
        case "quit" -> {
          k.close();
          if (sock != null) {
            sock.close();
          }
          System.out.println("BYE");
          return;
        }
        default -> System.out.println("ERROR unknown command " + line);
      }
    }
    k.close();
  }

  static ByteBuffer direct(int n) {
    return ByteBuffer.allocateDirect(n);
  }
}
