package org.openswanj.kernel.netkey;

import java.net.InetAddress;
import java.util.HexFormat;
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
import org.openswanj.kernel.SaUsage;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;

/**
 * Proof on a kernel with ESP (run by testing/vm/netkey-esp-smoke inside the VM): two namespaces "west"
 * (192.0.2.1, subnet 10.1.0.1/32) and "east" (192.0.2.2, subnet 10.2.0.1/32) joined by veth; each side's
 * NetkeyBackend installs an AES-GCM-16 ESP SA pair and tunnel policies with fixed keys (no IKE); ping
 * between the subnets must succeed and the SAs' counters (querySa) must show the packets. Exit 0 on success.
 */
public final class NetkeyEspSmoke {
  private static final byte[] KEY_WE = HexFormat.of().parseHex("0123456789abcdef0123456789abcdef01020304");
  private static final byte[] KEY_EW = HexFormat.of().parseHex("fedcba9876543210fedcba9876543210a1a2a3a4");

  private NetkeyEspSmoke() {}

  public static void main(String[] args) throws Exception {
    int status = 1;
    try {
      status = run();
    } catch (Exception e) {
      System.out.println("FAIL: " + e);
    } finally {
      for (String n : new String[] {"smoke-west", "smoke-east"}) {
        try {
          Netns.run("ip", "netns", "del", n);
        } catch (Exception ignored) {
          // already gone
        }
      }
    }
    System.exit(status);
  }

  private static int run() throws Exception {
    sh("ip netns add smoke-west", "ip netns add smoke-east",
        "ip link add wv type veth peer name ev", "ip link set wv netns smoke-west", "ip link set ev netns smoke-east",
        "ip -n smoke-west link set lo up", "ip -n smoke-west link set wv up",
        "ip -n smoke-west addr add 192.0.2.1/24 dev wv", "ip -n smoke-west addr add 10.1.0.1/32 dev lo",
        "ip -n smoke-west route add 10.2.0.1/32 via 192.0.2.2 src 10.1.0.1",
        "ip -n smoke-east link set lo up", "ip -n smoke-east link set ev up",
        "ip -n smoke-east addr add 192.0.2.2/24 dev ev", "ip -n smoke-east addr add 10.2.0.1/32 dev lo",
        "ip -n smoke-east route add 10.1.0.1/32 via 192.0.2.1 src 10.2.0.1");
    InetAddress w = InetAddress.getByName("192.0.2.1");
    InetAddress e = InetAddress.getByName("192.0.2.2");
    Selector westToEast = Selector.of(InetAddress.getByName("10.1.0.1"), 32, InetAddress.getByName("10.2.0.1"), 32);
    SaId we = new SaId(w, e, 0x00001001, IpsecProto.ESP);
    SaId ew = new SaId(e, w, 0x00002002, IpsecProto.ESP);
    long t0 = System.nanoTime();
    try (NetkeyBackend west = backendIn("smoke-west"); NetkeyBackend east = backendIn("smoke-east")) {
      install(west, we, ew, westToEast, w, e);
      install(east, ew, we, westToEast.reversed(), e, w);
      System.out.println("west's kernel:");
      west.describe().forEach(l -> System.out.println("  " + l));
      String ping = Netns.run("ip", "netns", "exec", "smoke-west", "ping", "-c", "3", "-W", "5", "-I", "10.1.0.1",
          "10.2.0.1");
      System.out.println(ping.lines().filter(l -> l.contains("transmitted")).findFirst().orElse(ping));
      SaUsage out = west.querySa(we);
      SaUsage in = east.querySa(we);
      SaUsage back = west.querySa(ew);
      System.out.printf("west out SA %s: %d packets %d bytes; east in SA: %d packets; west in SA %s: %d packets%n",
          XfrmErrors.sa(we), out.packets(), out.bytes(), in.packets(), XfrmErrors.sa(ew), back.packets());
      boolean ok = out.packets() >= 3 && in.packets() >= 3 && back.packets() >= 3;
      System.out.printf("%s (%.1f s)%n", ok ? "PASS: ping crossed as kernel ESP (AES-GCM-16, tunnel mode)"
          : "FAIL: the ESP counters do not show the pings", (System.nanoTime() - t0) / 1e9);
      return ok ? 0 : 1;
    }
  }

  private static NetkeyBackend backendIn(String ns) throws Exception {
    int fd = LibC.INSTANCE.open("/var/run/netns/" + ns, LibC.O_RDONLY | LibC.O_CLOEXEC);
    try {
      LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET); // the backend's sockets are opened in this namespace
    } finally {
      LibC.INSTANCE.close(fd);
    }
    return new NetkeyBackend();
  }

  /** One side: outbound SA {@code out} and inbound SA {@code in}, with out and in tunnel policies. */
  private static void install(NetkeyBackend k, SaId out, SaId in, Selector outSel, InetAddress me,
      InetAddress peer) throws Exception {
    boolean west = out.spi() == 0x1001;
    k.addSa(out, sa(west ? KEY_WE : KEY_EW, outSel, false));
    k.addSa(in, sa(west ? KEY_EW : KEY_WE, outSel.reversed(), true));
    k.addPolicy(new PolicyId(outSel, PolicyDirection.OUT),
        new PolicySpec(PolicyAction.IPSEC, SaTemplate.esp(IpsecMode.TUNNEL, me, peer, out.spi()), 1, 0, "smoke"));
    PolicySpec inbound = new PolicySpec(PolicyAction.IPSEC, SaTemplate.esp(IpsecMode.TUNNEL, peer, me, 0), 1, 0,
        "smoke");
    k.addPolicy(new PolicyId(outSel.reversed(), PolicyDirection.IN), inbound);
    k.addPolicy(new PolicyId(outSel.reversed(), PolicyDirection.FWD), inbound);
  }

  private static SaSpec sa(byte[] key, Selector sel, boolean inbound) {
    return new SaSpec(inbound ? Direction.INBOUND : Direction.OUTBOUND,
        SaTransform.aead(Encryption.AES_GCM_16, new SecretKey(key)), new Encapsulation(IpsecMode.TUNNEL, null),
        new Replay(32, false), new SaBinding("smoke", 1, sel), Lifetime.NONE);
  }

  private static void sh(String... commands) throws Exception {
    for (String c : commands) {
      Netns.run(c.split(" "));
    }
  }
}
