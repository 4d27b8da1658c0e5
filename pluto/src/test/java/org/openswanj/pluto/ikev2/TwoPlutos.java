package org.openswanj.pluto.ikev2;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.conf.secrets.SecretsLoader;
import org.openswanj.conf.secrets.SecretsResult;
import org.openswanj.kernel.none.NoneBackend;
import org.openswanj.pluto.daemon.ManualEventLoop;
import org.openswanj.pluto.daemon.Pluto;
import org.openswanj.pluto.daemon.control.WhackReply;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.net.MemoryNetwork;
import org.openswanj.whack.proto.WhackRequest;

/**
 * The in-JVM two-peer harness (DESIGN.md "Testing model"), for both IKE versions: two plutos on one virtual clock, joined by an
 * in-memory network, each with a recording none backend. Deterministic randomness per host.
 */
public final class TwoPlutos {
  public static final String WEST = "192.1.2.45";
  public static final String EAST = "192.1.2.23";

  public final ManualEventLoop loop = new ManualEventLoop(Instant.parse("2026-01-01T00:00:00Z"));
  public final MemoryNetwork net = new MemoryNetwork();
  public final Node west;
  public final Node east;

  public static final class Node {
    public final Pluto pluto;
    public final NoneBackend backend;
    public final InetAddress address;
    /** Makes this host's sends throw, to stand for a bug in whatever handler is sending. */
    public final SendFaults faults = new SendFaults();
    String secrets;
    /** Killed by {@link #killAndRestart}: like a process gone with kill -9, it sends nothing more. */
    boolean dead;

    Node(Pluto pluto, NoneBackend backend, InetAddress address) {
      this.pluto = pluto;
      this.backend = backend;
      this.address = address;
    }
  }

  /** From the {@code k}-th send after {@link #failFrom} on, the transport throws (a bug in the sending handler). */
  public static final class SendFaults {
    private int countdown;

    public void failFrom(int k) {
      countdown = k;
    }

    public void heal() {
      countdown = 0;
    }

    void check() {
      if (countdown > 0 && --countdown == 0) {
        countdown = 1;
        throw new IllegalStateException("injected fault in the sending handler");
      }
    }
  }

  /** A whack reply that records its lines. */
  public static final class Recorder implements WhackReply {
    public final List<String> lines = new ArrayList<>();
    public boolean closed;

    @Override
    public void line(int code, String text) {
      lines.add(String.format("%03d %s", code, text));
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public boolean closed() {
      return closed;
    }

    public String text() {
      return String.join("\n", lines);
    }
  }

  public TwoPlutos(String westSecrets, String eastSecrets, IkeSettings eastSettings) throws Exception {
    this(westSecrets, eastSecrets, IkeSettings.defaults(), eastSettings);
  }

  public TwoPlutos(String westSecrets, String eastSecrets, IkeSettings westSettings, IkeSettings eastSettings)
      throws Exception {
    this(westSecrets, eastSecrets, westSettings, eastSettings, null, null,
        org.openswanj.pluto.pki.RevocationPolicy.DEFAULT);
  }

  /** Two plutos with their own ipsec.d (cacerts/, certs/, private/; null for none). */
  public TwoPlutos(String westSecrets, String eastSecrets, IkeSettings eastSettings, Path westIpsecD,
      Path eastIpsecD) throws Exception {
    this(westSecrets, eastSecrets, IkeSettings.defaults(), eastSettings, westIpsecD, eastIpsecD,
        org.openswanj.pluto.pki.RevocationPolicy.DEFAULT);
  }

  /** The same, with east's strictcrlpolicy=/crlcheckinterval=. */
  public TwoPlutos(String westSecrets, String eastSecrets, IkeSettings eastSettings, Path westIpsecD,
      Path eastIpsecD, org.openswanj.pluto.pki.RevocationPolicy eastRevocation) throws Exception {
    this(westSecrets, eastSecrets, IkeSettings.defaults(), eastSettings, westIpsecD, eastIpsecD, eastRevocation);
  }

  private TwoPlutos(String westSecrets, String eastSecrets, IkeSettings westSettings, IkeSettings eastSettings,
      Path westIpsecD, Path eastIpsecD, org.openswanj.pluto.pki.RevocationPolicy eastRevocation) throws Exception {
    west = node(WEST, westSecrets, westSettings, 0x1000, 1, westIpsecD,
        org.openswanj.pluto.pki.RevocationPolicy.DEFAULT);
    east = node(EAST, eastSecrets, eastSettings, 0x2000, 2, eastIpsecD, eastRevocation);
  }

  private Node node(String addr, String secretsText, IkeSettings settings, int firstSpi, long seed, Path ipsecD,
      org.openswanj.pluto.pki.RevocationPolicy revocation) throws Exception {
    InetAddress a = InetAddress.getByName(addr);
    NoneBackend backend = new NoneBackend(firstSpi);
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    Node[] self = new Node[1];
    Pluto.Host host = new Pluto.Host() {
      @Override
      public List<InetAddress> listen(List<String> report) {
        return List.of(a);
      }

      @Override
      public void unlisten() {}

      @Override
      public Secrets loadSecrets(List<String> report) {
        SecretsResult r = SecretsLoader.parse(self[0].secrets, Path.of("/etc/ipsec.secrets"),
            ipsecD == null ? Path.of("/etc/ipsec.d") : ipsecD);
        if (r.hasErrors()) {
          throw new IllegalStateException("bad test secrets: " + r.diagnostics());
        }
        return r.secrets();
      }

      @Override
      public void shutdown() {}

      @Override
      public org.openswanj.pluto.pki.RevocationPolicy revocationPolicy() {
        return revocation;
      }

      @Override
      public java.util.Optional<Path> ipsecDir() {
        return java.util.Optional.ofNullable(ipsecD);
      }

      @Override
      public List<String> statusHeader() {
        return List.of("interface veth0/veth0 " + addr);
      }
    };
    org.openswanj.pluto.net.IkeTransport wire = net.transport();
    org.openswanj.pluto.net.IkeTransport transport = new org.openswanj.pluto.net.IkeTransport() {
      @Override
      public void send(InetSocketAddress l, InetSocketAddress r, byte[] m) {
        if (self[0].dead) {
          return;
        }
        self[0].faults.check();
        wire.send(l, r, m);
      }

      @Override
      public void sendNatKeepalive(InetSocketAddress l, InetSocketAddress r) {
        wire.sendNatKeepalive(l, r);
      }
    };
    Pluto p = new Pluto(loop, transport, backend, random, host, settings);
    self[0] = new Node(p, backend, a);
    self[0].secrets = secretsText;
    for (int port : new int[] {500, 4500}) {
      net.attach(new InetSocketAddress(a, port), loop, p.demux());
    }
    p.start();
    return self[0];
  }

  /**
   * {@code kill -9} of {@code n}'s pluto and a fresh one started at its address with the same secrets and
   * settings and no conns: the old one sends nothing more, its timers do nothing on the wire, and it keeps
   * no port. Its own randomness and SPIs differ from the old one's, as after a real restart.
   */
  public Node killAndRestart(Node n, IkeSettings settings) throws Exception {
    n.dead = true;
    return node(n.address.getHostAddress(), n.secrets, settings, 0x3000, 3, null,
        org.openswanj.pluto.pki.RevocationPolicy.DEFAULT);
  }

  public Recorder whack(Node n, WhackRequest req) {
    Recorder r = new Recorder();
    n.pluto.handle(req, r);
    loop.runPending();
    return r;
  }

  public Recorder add(Node n, String name, Map<String, String> kw) {
    return whack(n, new WhackRequest.AddConn(name, kw));
  }

  /** The west-east conn for IKEv2 ({@code ikev2=insist}), with extra keyword/value pairs. */
  public static Map<String, String> conn(String... extra) {
    return connFor("insist", extra);
  }

  /** The same conn with another {@code ikev2=} ("never" for IKEv1). */
  public static Map<String, String> connFor(String ikev2, String... extra) {
    java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
    m.put("left", WEST);
    m.put("leftsubnet", "192.0.1.0/24");
    m.put("leftid", "@west");
    m.put("right", EAST);
    m.put("rightsubnet", "192.0.2.0/24");
    m.put("rightid", "@east");
    m.put("authby", "secret");
    m.put("ikev2", ikev2);
    for (int i = 0; i < extra.length; i += 2) {
      m.put(extra[i], extra[i + 1]);
    }
    return m;
  }
}
