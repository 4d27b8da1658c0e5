package org.openswanj.pluto.daemon;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.conf.secrets.SecretsLoader;
import org.openswanj.conf.secrets.SecretsResult;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.netkey.NetkeyBackend;
import org.openswanj.pluto.net.UdpIkeSockets;

/** The real host: interfaces and sockets, ipsec.secrets on disk, process shutdown. Called on the loop. */
final class DaemonHost implements Pluto.Host {
  private final PlutoOptions opts;
  private final KernelBackend backend;
  private final Runnable stop;
  private UdpIkeSockets sockets;
  private final List<String> interfaceLines = new ArrayList<>();

  DaemonHost(PlutoOptions opts, KernelBackend backend, Runnable stop) {
    this.opts = opts;
    this.backend = backend;
    this.stop = stop;
  }

  private org.openswanj.pluto.pki.RevocationPolicy revocation = org.openswanj.pluto.pki.RevocationPolicy.DEFAULT;

  /** From config setup: strictcrlpolicy=, crlcheckinterval= (Openswan 2.6's meaning; see RevocationPolicy). */
  void revocation(org.openswanj.conf.SetupConfig setup, List<String> report) {
    if (setup == null) {
      return;
    }
    String strict = setup.raw().getOrDefault("strictcrlpolicy", "no");
    java.time.Duration interval = java.time.Duration.ZERO;
    String ci = setup.raw().get("crlcheckinterval");
    if (ci != null) {
      try {
        interval = org.openswanj.conf.Values.time("crlcheckinterval", ci);
      } catch (org.openswanj.conf.ConfigException e) {
        report.add("config setup: " + e.getMessage() + "; CRLs are not fetched");
      }
    }
    var d = org.openswanj.pluto.pki.RevocationPolicy.DEFAULT;
    revocation = new org.openswanj.pluto.pki.RevocationPolicy(strict.equalsIgnoreCase("yes")
        ? org.openswanj.pluto.pki.RevocationPolicy.Strict.YES : org.openswanj.pluto.pki.RevocationPolicy.Strict.NO,
        interval, d.ocspUri(), d.fetchTimeout());
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
        String virt = backend instanceof org.openswanj.kernel.klips.KlipsBackend k ? k.interfaceFor(a) : ifName;
        interfaceLines.add("interface " + virt + "/" + ifName + " " + a.getHostAddress()); // KLIPS: ipsec0/eth0
        protect(a);
      } catch (IOException e) {
        report.add("cannot listen on " + a.getHostAddress() + ": " + e.getMessage());
      }
    }
    return addrs;
  }

  /** netkey: IKE must never be encrypted (bypass policy per socket); port 4500 decapsulates ESP (RFC 3948). */
  private void protect(InetAddress a) {
    if (!(backend instanceof NetkeyBackend)) {
      return;
    }
    boolean v6 = a instanceof Inet6Address;
    for (int port : new int[] {opts.ikePort(), opts.natIkePort()}) {
      int fd = sockets.fileDescriptor(new InetSocketAddress(a, port));
      try {
        NetkeyBackend.bypassSocket(fd, v6);
        if (port == opts.natIkePort()) {
          NetkeyBackend.enableUdpEncap(fd);
        }
      } catch (KernelException e) {
        org.apache.logging.log4j.LogManager.getLogger("pluto").warn("socket {}:{}: {}", a.getHostAddress(), port,
            e.getMessage());
      }
    }
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
   * reported with file:line; opportunistic encryption, which acts on them, is not in this build.
   */
  private void loadPolicyGroups(List<String> report) {
    java.nio.file.Path dir = OpenswanPaths.policies(opts.ipsecDir());
    org.openswanj.conf.policy.PolicyGroupsResult r = org.openswanj.conf.policy.PolicyGroupsLoader.load(dir);
    r.diagnostics().forEach(d -> report.add(d.format()));
    int n = r.groups().groups().values().stream().mapToInt(List::size).sum();
    report.add("loading policy groups from \"" + dir + "\": " + n + " entries");
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
