package org.openswanj.testing.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Result;

/** Config and status helpers for tests that drive pluto through bin/ipsec in the lab. */
final class PlutoPeers {
  static final String CONN = "westnet-eastnet";
  static final String PSK = "interop-shared-secret-0123456789";

  private PlutoPeers() {}

  /** An ipsec.conf for {@code me} towards {@code peer}, Openswan syntax, with extra conn lines. */
  static String ipsecConf(Host me, Host peer, String stack, String... connLines) {
    StringBuilder b = new StringBuilder("config setup\n\tprotostack=" + stack + "\n");
    if (stack.equals("klips")) {
      b.append("\tinterfaces=\"ipsec0=eth0\"\n");
    }
    b.append("\nconn ").append(CONN).append('\n')
        .append("\tikev2=insist\n\tauthby=secret\n")
        .append("\tleft=").append(me.address()).append("\n\tleftid=").append(me.id())
        .append("\n\tleftsubnet=").append(me.subnet()).append('\n')
        .append("\tright=").append(peer.address()).append("\n\trightid=").append(peer.id())
        .append("\n\trightsubnet=").append(peer.subnet()).append('\n');
    for (String l : connLines) {
      b.append('\t').append(l).append('\n');
    }
    return b.append("\tauto=add\n").toString();
  }

  /**
   * Conns {@code pairFIRST..pairLAST} for {@code me} towards {@code peer}, one per subnet pair: 10.1.N.0/24
   * behind west, 10.2.N.0/24 behind east (see {@link #pairAddress}), same IDs and PSK as {@link #ipsecConf}.
   */
  static String subnetPairConns(Host me, Host peer, int first, int last, String... connLines) {
    StringBuilder b = new StringBuilder();
    for (int n = first; n <= last; n++) {
      b.append("\nconn pair").append(n).append("\n\tauthby=secret\n")
          .append("\tleft=").append(me.address()).append("\n\tleftid=").append(me.id())
          .append("\n\tleftsubnet=").append(pairSubnet(me, n)).append('\n')
          .append("\tright=").append(peer.address()).append("\n\trightid=").append(peer.id())
          .append("\n\trightsubnet=").append(pairSubnet(peer, n)).append('\n');
      for (String l : connLines) {
        b.append('\t').append(l).append('\n');
      }
    }
    return b.toString();
  }

  /** The address on {@code h}'s lo inside pair {@code n}'s subnet (10.1.N.1 west, 10.2.N.1 east). */
  static String pairAddress(Host h, int n) {
    return pairSubnet(h, n).replace(".0/24", ".1");
  }

  static String pairSubnet(Host h, int n) {
    return "10." + (h.name().equals("west") ? 1 : 2) + "." + n + ".0/24";
  }

  /** Puts {@link #pairAddress}es 1..count on {@code h}'s lo as /32s. */
  static void addPairAddresses(Host h, int count) {
    String first = pairAddress(h, 1);
    String net = first.substring(0, first.indexOf('.', 3)); // "10.1"
    h.exec("sh", "-c", "for i in $(seq 1 " + count + "); do ip addr add " + net + ".$i.1/32 dev lo || exit 1; done")
        .requireOk();
  }

  /** West's 192.0.3.254 and east's 192.0.4.254 on lo (/32): the second subnets of the two-subnet lab tests. */
  static void addSecondSubnets(org.openswanj.testing.lab.Lab lab) {
    lab.west().exec("ip", "addr", "add", "192.0.3.254/32", "dev", "lo").requireOk();
    lab.east().exec("ip", "addr", "add", "192.0.4.254/32", "dev", "lo").requireOk();
  }

  /** Writes {@code h}'s ipsec.conf, ipsec.secrets (0600) and ipsec.d directories, as an administrator would. */
  static void install(Host h, String ipsecConf, String secrets) throws java.io.IOException {
    java.nio.file.Files.createDirectories(h.ipsecConf().getParent());
    java.nio.file.Files.writeString(h.ipsecConf(), ipsecConf);
    java.nio.file.Files.writeString(h.secretsFile(), secrets);
    java.nio.file.Files.setPosixFilePermissions(h.secretsFile(),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    for (String d : List.of("policies", "certs", "cacerts", "private", "crls")) {
      java.nio.file.Files.createDirectories(h.ipsecDir().resolve(d));
    }
  }

  static String secrets(Host me, Host peer) {
    return me.id() + " " + peer.id() + " : PSK \"" + PSK + "\"\n";
  }

  /** pluto's Child SAs from whack --status --json: [inSpi, outSpi] per child, as 8 hex digits. */
  static List<String[]> childSpis(Host h) {
    Result r = h.ipsec("whack", "--status", "--json").requireOk();
    List<String[]> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"kind\":\"IPSEC\"[^}]*\"inSpi\":\"0x([0-9a-f]{8})\",\"outSpi\":\"0x([0-9a-f]{8})\"")
        .matcher(r.stdout());
    while (m.find()) {
      out.add(new String[] {m.group(1), m.group(2)});
    }
    return out;
  }

  /** IKE SA states from whack --status --json. */
  static List<String> ikeStates(Host h) {
    Result r = h.ipsec("whack", "--status", "--json").requireOk();
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"kind\":\"IKE\",\"state\":\"([A-Z0-9_]+)\"").matcher(r.stdout());
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The serial numbers of {@code h}'s IKE SAs (whack --status --json). */
  static List<String> ikeSerials(Host h) {
    Matcher m = Pattern.compile("\"serial\":(\\d+),\"conn\":\"[^\"]*\",\"kind\":\"IKE\"")
        .matcher(h.ipsec("whack", "--status", "--json").requireOk().stdout());
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static void await(String what, java.util.function.BooleanSupplier cond, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + millis + " ms waiting for: " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }
}
