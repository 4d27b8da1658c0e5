package org.openswanj.pluto.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.Keyword;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.conf.secrets.SecretsLoader;
import org.openswanj.conf.secrets.SecretsResult;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.KernelException;
import org.openswanj.pluto.net.UdpIkeSockets;

/** The real host: interfaces and sockets, ipsec.secrets on disk, process shutdown. Called on the loop. */
final class DaemonHost implements Pluto.Host {
  private final PlutoOptions opts;
  private final KernelBackend backend;
  private final Runnable stop;
  private UdpIkeSockets sockets;
  private final List<String> interfaceLines = new ArrayList<>();
  /** DNS and routing-table look-ups for conns being added; daemon threads, so shutdown never waits on them. */
  private final java.util.concurrent.ExecutorService helpers = java.util.concurrent.Executors.newCachedThreadPool(
      r -> {
        Thread t = new Thread(r, "pluto-resolver");
        t.setDaemon(true);
        return t;
      });
  private final boolean oe;
  private final java.util.Map<String, String> setupRaw;
  private org.openswanj.conf.policy.PolicyGroups groups;
  private org.openswanj.pluto.oe.OeKeyResolver resolver;

  /** Each OE group's authentication, from its conn in the ipsec.conf pluto started with ({@code authby=null}). */
  private final java.util.Map<org.openswanj.conf.policy.PolicyGroupName, org.openswanj.pluto.daemon.oe.OeAuth> oeAuth;

  DaemonHost(PlutoOptions opts, KernelBackend backend, Runnable stop, org.openswanj.conf.IpsecConf conf) {
    org.openswanj.conf.SetupConfig setup = conf == null ? null : conf.setup();
    this.oeAuth = conf == null ? java.util.Map.of() : org.openswanj.pluto.daemon.oe.OeAuth.of(conf.conns());
    this.opts = opts;
    this.backend = backend;
    this.stop = stop;
    this.oe = setup != null && setup.oe();
    this.setupRaw = setup == null ? java.util.Map.of() : setup.raw();
  }

  private org.openswanj.pluto.pki.RevocationPolicy revocation = org.openswanj.pluto.pki.RevocationPolicy.DEFAULT;

  /** From config setup: strictcrlpolicy=, crlcheckinterval= (Openswan 2.6's meaning; see RevocationPolicy). */
  void revocation(org.openswanj.conf.SetupConfig setup, List<String> report) {
    if (setup != null) {
      revocation = revocationOf(setup.raw(), report);
    }
  }

  /** The keywords' values, or their defaults as {@link Keyword} declares them; a bad value is reported. */
  static org.openswanj.pluto.pki.RevocationPolicy revocationOf(java.util.Map<String, String> raw,
      List<String> report) {
    var d = org.openswanj.pluto.pki.RevocationPolicy.DEFAULT;
    boolean strict = false;
    java.time.Duration interval = java.time.Duration.ZERO;
    try {
      strict = org.openswanj.conf.Values.bool(Keyword.STRICTCRLPOLICY.keywordName(),
          raw.getOrDefault(Keyword.STRICTCRLPOLICY.keywordName(), Keyword.STRICTCRLPOLICY.defaultValue()));
    } catch (org.openswanj.conf.ConfigException e) {
      report.add("config setup: " + e.getMessage() + "; CRLs are not required");
    }
    try {
      interval = org.openswanj.conf.Values.time(Keyword.CRLCHECKINTERVAL.keywordName(),
          raw.getOrDefault(Keyword.CRLCHECKINTERVAL.keywordName(), Keyword.CRLCHECKINTERVAL.defaultValue()));
    } catch (org.openswanj.conf.ConfigException e) {
      report.add("config setup: " + e.getMessage() + "; CRLs are not fetched");
    }
    return new org.openswanj.pluto.pki.RevocationPolicy(strict ? org.openswanj.pluto.pki.RevocationPolicy.Strict.YES
        : org.openswanj.pluto.pki.RevocationPolicy.Strict.NO, interval, d.ocspUri(), d.fetchTimeout());
  }

  @Override
  public org.openswanj.pluto.pki.RevocationPolicy revocationPolicy() {
    return revocation;
  }

  void attach(UdpIkeSockets s) {
    this.sockets = s;
  }

  @Override
  public List<InetAddress> listen(List<String> report) {
    report.add("listening for IKE messages");
    List<InetAddress> addrs;
    try {
      addrs = PlutoMain.listenAddresses(opts.listen());
    } catch (IOException e) {
      report.add("cannot list interfaces: " + e.getMessage());
      return List.of();
    }
    interfaceLines.clear();
    for (InetAddress a : addrs) {
      String ifName = ifName(a);
      try {
        report.addAll(sockets.listen(a, ifName));
        String virt = backend.virtualInterface(a).orElse(ifName);
        interfaceLines.add("interface " + virt + "/" + ifName + " " + a.getHostAddress()); // KLIPS: ipsec0/eth0
        protect(a, ifName);
      } catch (IOException e) {
        report.add("cannot listen on " + a.getHostAddress() + ": " + e.getMessage());
      }
    }
    return addrs;
  }

  /** The backend readies each IKE socket (netkey: IKE bypasses IPsec; port 4500 decapsulates ESP, RFC 3948). */
  private void protect(InetAddress a, String ifName) {
    String dev = ifName.equals("?") ? null : ifName;
    for (int port : new int[] {opts.ikePort(), opts.natIkePort()}) {
      int fd = sockets.fileDescriptor(new InetSocketAddress(a, port));
      try {
        backend.prepareIkeSocket(fd, a, dev, port == opts.natIkePort());
      } catch (KernelException e) {
        org.apache.logging.log4j.LogManager.getLogger("pluto").warn("socket {}:{}: {}", a.getHostAddress(), port,
            e.getMessage());
      }
    }
  }

  private static java.nio.file.Path path(String value) {
    return value == null || value.isBlank() ? null : java.nio.file.Path.of(value.strip());
  }

  private static String ifName(InetAddress a) {
    try {
      NetworkInterface ni = NetworkInterface.getByInetAddress(a);
      return ni == null ? "?" : ni.getName();
    } catch (SocketException e) {
      return "?";
    }
  }

  @Override
  public void unlisten() {
    for (InetSocketAddress s : sockets.boundAddresses()) {
      try {
        sockets.unlisten(s.getAddress());
      } catch (IOException ignored) {
        // the socket is gone either way
      }
    }
  }

  @Override
  public Secrets loadSecrets(List<String> report) {
    loadPolicyGroups(report);
    report.add("loading secrets from \"" + opts.secretsFile() + "\"");
    SecretsResult r = SecretsLoader.load(opts.secretsFile(), opts.ipsecDir());
    for (Diagnostic d : r.diagnostics()) {
      report.add(d.format());
    }
    return r.secrets();
  }

  /**
   * /etc/ipsec.d/policies/* (Openswan reloads them on --listen / --rereadgroups): read and checked, problems
   * reported with file:line; with oe=yes {@link org.openswanj.pluto.daemon.oe.OeController} makes them act.
   */
  private void loadPolicyGroups(List<String> report) {
    java.nio.file.Path dir = OpenswanPaths.policies(opts.ipsecDir());
    org.openswanj.conf.policy.PolicyGroupsResult r = org.openswanj.conf.policy.PolicyGroupsLoader.load(dir);
    r.diagnostics().forEach(d -> report.add(d.format()));
    int n = r.groups().groups().values().stream().mapToInt(List::size).sum();
    report.add("loading policy groups from \"" + dir + "\": " + n + " entries"
        + (oe ? "" : " (oe=no in config setup: they stay inactive)"));
    groups = r.groups();
  }

  /**
   * oe=yes: the groups act, keys from the resolvers of /etc/resolv.conf (dnsjava), validated when
   * {@code dnssec-anchors=} or {@code dnssec-rootkey-file=} names trust anchors (and {@code dnssec-enable} is not
   * no). The resolver is made once and kept; a bad anchor file turns OE off with one line saying why.
   */
  @Override
  public java.util.Optional<Pluto.OeSetup> oeSetup() {
    if (!oe || groups == null) {
      return java.util.Optional.empty();
    }
    if (resolver == null) {
      try {
        resolver = org.openswanj.pluto.oe.OeKeyResolver.create(org.openswanj.pluto.oe.OeResolverConfig.defaults(
            org.openswanj.pluto.oe.DnssecConfig.fromKeywords(setupRaw.get("dnssec-enable"),
                path(setupRaw.get("dnssec-rootkey-file")), path(setupRaw.get("dnssec-anchors")))));
        org.apache.logging.log4j.LogManager.getLogger("pluto").info("opportunistic encryption: {}",
            resolver.dnssec().describe());
      } catch (org.openswanj.pluto.oe.OeConfigException e) {
        org.apache.logging.log4j.LogManager.getLogger("pluto").warn("opportunistic encryption is off: {}",
            e.getMessage());
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.of(new Pluto.OeSetup(groups,
        org.openswanj.pluto.daemon.oe.OeKeyLookup.of(resolver), opts.shuntLifetime(), oeAuth));
  }

  @Override
  public java.util.concurrent.Executor helpers() {
    return helpers;
  }

  @Override
  public void shutdown() {
    stop.run();
  }

  @Override
  public java.util.Optional<java.nio.file.Path> ipsecDir() {
    return java.util.Optional.of(opts.ipsecDir());
  }

  @Override
  public List<String> statusHeader() {
    List<String> out = new ArrayList<>(interfaceLines);
    out.add("%myid = (none)");
    out.add("debug " + (opts.debug().isEmpty() ? "none" : String.join("+", opts.debug())));
    out.add("kernel interface: " + backend.name());
    return out;
  }
}
