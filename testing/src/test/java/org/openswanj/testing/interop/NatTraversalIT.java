package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;
import static org.openswanj.testing.interop.PlutoPeers.PSK;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openswanj.pluto.crypto.RsaAuth;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.IkeSaInfo;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.PingResult;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.StrongSwan;
import org.openswanj.testing.lab.SwanctlConn;

/**
 * NAT traversal through a real NAT ({@link Lab#upNat}): west (192.1.3.45) sits behind a router that source-NATs
 * it to 192.1.2.254 with random ports (so IKE's 500 and NAT-T's 4500 both change) and drops raw ESP; east
 * (192.1.2.23) is outside. Each row is one exchange type with pluto on klips on one or both sides and the side
 * behind the NAT initiating (it is the only side that can: east has no route to west but the NAT's mappings):
 *
 * <ul>
 *   <li>{@code PLUTO_BEHIND_NAT_VS_CHARON}: pluto on west, {@code ipsec auto --up}, against charon on east;
 *   <li>{@code CHARON_BEHIND_NAT_VS_PLUTO}: charon on west initiates to pluto on east, which answers to the NAT's
 *       mapped ports (RFC 3947 §4 / RFC 7296 §2.23: replies go to the address and port the request came from);
 *   <li>{@code PLUTO_BEHIND_NAT_VS_PLUTO}: pluto on both sides, west initiating, east a {@code right=%any}
 *       responder.
 * </ul>
 *
 * Every row checks what an administrator checks: the tunnel comes up, pluto's {@code whack --status} shows the
 * SA on the floated port (4500 towards east; the NAT's mapped port, neither 500 nor 4500, at east) and NAT-D's
 * verdict, pings from west's subnet to east's are answered, and the router forwarded them as ESP in UDP 4500
 * (RFC 3948 §2) in both directions, never as raw ESP; then east, outside, deletes through the mapping (and charon
 * outside first rekeys through it). Further: the NAT forgets its mappings and pluto outside follows west's new port
 * ({@link #newNatMappingIsFollowed}), and an XAUTH + ModeConfig road warrior behind the NAT.
 *
 * <p>Not here: east initiating to west behind the NAT (there is no mapping before west sends; Openswan cannot
 * either), and rows with pluto behind the NAT on netkey (the kernel has no ESP transforms; klips carries traffic).
 */
class NatTraversalIT {
  /** The exchange: what ipsec.conf and swanctl.conf say. */
  enum Mode {
    V1_MAIN_PSK, V1_MAIN_RSA, V1_AGGRESSIVE_PSK, V2_PSK;

    int version() {
      return this == V2_PSK ? 2 : 1;
    }

    boolean rsa() {
      return this == V1_MAIN_RSA;
    }
  }

  /** Who runs where: pluto behind the NAT against charon, charon behind it against pluto, or pluto on both. */
  enum Setup { PLUTO_BEHIND_NAT_VS_CHARON, CHARON_BEHIND_NAT_VS_PLUTO, PLUTO_BEHIND_NAT_VS_PLUTO }

  record Row(Setup setup, Mode mode) {
    @Override
    public String toString() {
      return setup + " " + mode;
    }
  }

  static Stream<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (Setup s : Setup.values()) {
      for (Mode m : Mode.values()) {
        rows.add(new Row(s, m));
      }
    }
    return rows.stream();
  }

  /** alice's password, hashed with {@code openssl passwd -6 -salt 0123456789} (as in XauthStrongSwanIT). */
  private static final String XAUTH_PASSWORD = "alice-secret-pw";
  private static final String XAUTH_PASSWD = "alice:" + "$6$0123456789$UgR8RjNYGij8q4ft637/U93hI6mKAe13ngKlYelUKgA"
      + "u99Tau1CNtfC8byqh/IVav7KVN8WIe6n0ax6s9YnsE1:" + CONN + "\n";
  private static final String XAUTH_POOL = "10.9.100.10-10.9.100.20";
  private static final Pattern REMOTE_PORT = Pattern.compile("\"" + CONN + "\":(\\d+) STATE_");

  private Lab lab;
  private Host west;
  private Host east;

  @BeforeAll
  static void prerequisites() {
    Lab.requirePluto();
    Lab.requireCharon();
  }

  @AfterEach
  void down() {
    if (lab != null) {
      lab.stopPlutosAndClose();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void tunnelThroughTheNat(Row row) throws Exception {
    bringUp(row);
    assertTrafficCrossesAsEspInUdp();
    if (row.setup() == Setup.PLUTO_BEHIND_NAT_VS_CHARON) {
      charonOutsideRekeys(row.mode());
      assertTrafficCrossesAsEspInUdp();
    }
    eastDeletes(row.setup());
  }

  /**
   * charon, outside, rekeys the Child SA (IKEv2 also the IKE SA): requests that reach pluto behind the NAT only
   * through the mapping, whose answers and new SAs must go back the same way.
   */
  private void charonOutsideRekeys(Mode mode) {
    StrongSwan charon = east.strongSwan();
    List<String> before = PlutoPeers.childSpis(west).stream().map(x -> x[0]).toList();
    charon.rekeyChild("net");
    try {
      // charon's IKEv1 keeps the old IPsec SA a while: wait for the new one, not for the old one to go
      PlutoPeers.await("a new IPsec SA on west", () -> PlutoPeers.childSpis(west).stream()
          .anyMatch(x -> !before.contains(x[0])), 10_000);
      String charonIn = charon.established(CONN).child("net").spiIn();
      PlutoPeers.await("charon's newest IPsec SA is one of pluto's", () -> PlutoPeers.childSpis(west).stream()
          .anyMatch(x -> x[1].equals(charonIn)), 10_000);
      if (mode.version() == 2) {
        long ike = charon.established(CONN).uniqueId();
        charon.rekeyIke(CONN);
        PlutoPeers.await("charon's IKE SA rekeyed", () -> charon.listSas().stream().anyMatch(
            x -> x.name().equals(CONN) && x.state().equals("ESTABLISHED") && x.uniqueId() != ike), 10_000);
        PlutoPeers.await("pluto dropped the old IKE SA", () -> PlutoPeers.ikeStates(west).size() == 1, 10_000);
      }
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + logs(), e);
    }
  }

  /**
   * The rows with pluto outside, where a new NAT mapping is pluto's to follow: with pluto behind the NAT the first
   * packet from the new mapping is ESP (a ping), with charon there it is IKE (charon rekeys the Child SA).
   */
  static Stream<Row> rebindingRows() {
    return Stream.of(new Row(Setup.PLUTO_BEHIND_NAT_VS_PLUTO, Mode.V1_MAIN_PSK),
        new Row(Setup.PLUTO_BEHIND_NAT_VS_PLUTO, Mode.V2_PSK), new Row(Setup.CHARON_BEHIND_NAT_VS_PLUTO, Mode.V1_MAIN_PSK),
        new Row(Setup.CHARON_BEHIND_NAT_VS_PLUTO, Mode.V2_PSK));
  }

  /**
   * The NAT forgets its mappings (a reboot, an idle time-out): west's next packets leave from a new port. pluto on
   * east, outside, gets authenticated ESP or IKE from that port and moves the SAs there (RFC 7296 §2.23: a host not
   * behind the NAT SHOULD send to the address and port of the validated packet and store them as the SA's), so its
   * answers, the replies to pings and its later requests (its Deletes) find west again.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("rebindingRows")
  void newNatMappingIsFollowed(Row row) throws Exception {
    bringUp(row);
    assertTrafficCrossesAsEspInUdp();
    int before = statusPorts(east).get(0);
    lab.natForgetMappings();
    if (row.setup() == Setup.CHARON_BEHIND_NAT_VS_PLUTO) {
      List<String> old = PlutoPeers.childSpis(east).stream().map(x -> x[0]).toList();
      west.strongSwan().rekeyChild("net");
      try {
        PlutoPeers.await("the Child SA rekeyed from the new mapping", () -> PlutoPeers.childSpis(east).stream()
            .anyMatch(x -> !old.contains(x[0])), 10_000);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + logs(), e);
      }
    }
    PingResult p = west.ping(east.subnetAddress(), west.subnetAddress(), 5);
    // the first reply may leave before pluto heard of the new mapping
    assertTrue(p.received() >= 3, "pings cross after the NAT's new mapping:\n" + p.output() + logs());
    int after = statusPorts(east).get(0);
    assertMapped(after);
    assertNotEquals(before, after, "east's states moved to the new mapping");
    assertTrue(statusPorts(east).stream().allMatch(x -> x == after), "all of them: " + statusPorts(east));
    String nat = lab.nat().address();
    assertTrue(east.plutoLog().contains("NAT-T: peer's mapping moved from /" + nat + ":" + before + " to /" + nat + ":"
        + after), "pluto's log tells the administrator:\n" + east.plutoLog());
    eastDeletes(row.setup());
  }

  private void bringUp(Row row) throws Exception {
    lab = Lab.upNat("ojnat");
    west = lab.west();
    east = lab.east();
    KeyPair westKey = row.mode().rsa() ? LabCa.rsa() : null;
    KeyPair eastKey = row.mode().rsa() ? LabCa.rsa() : null;
    switch (row.setup()) {
      case PLUTO_BEHIND_NAT_VS_CHARON -> {
        StrongSwan charon = east.strongSwan();
        charon.start();
        startPluto(west, east, east.address(), row.mode(), westKey, eastKey);
        loadCharon(charon, east, west, lab.nat().address(), row.mode(), eastKey, westKey);
        plutoUp(row);
        assertCharonSeesTheNat(charon, false);
      }
      case CHARON_BEHIND_NAT_VS_PLUTO -> {
        StrongSwan charon = west.strongSwan();
        charon.start();
        startPluto(east, west, lab.nat().address(), row.mode(), eastKey, westKey);
        loadCharon(charon, west, east, east.address(), row.mode(), westKey, eastKey);
        try {
          charon.initiate("net");
        } catch (RuntimeException e) {
          throw new AssertionError(e.getMessage() + logs(), e);
        }
        assertCharonSeesTheNat(charon, true);
      }
      case PLUTO_BEHIND_NAT_VS_PLUTO -> {
        // right=%any: east as a road-warrior responder that does not know the NAT's address beforehand
        startPluto(east, west, "%any", row.mode(), eastKey, westKey);
        startPluto(west, east, east.address(), row.mode(), westKey, eastKey);
        plutoUp(row);
      }
      default -> throw new IllegalStateException(row.toString());
    }
    if (row.setup() != Setup.CHARON_BEHIND_NAT_VS_PLUTO) {
      assertPlutoBehindTheNat(west);
    }
    if (row.setup() != Setup.PLUTO_BEHIND_NAT_VS_CHARON) {
      assertPlutoOutside(east);
    }
  }

  /**
   * East, outside, ends the tunnel: its Deletes are requests to the NAT's mapping of west's 4500 (behind the
   * non-ESP marker, RFC 3948 §2.2), which west must get and act on.
   */
  private void eastDeletes(Setup setup) {
    if (setup == Setup.PLUTO_BEHIND_NAT_VS_CHARON) {
      east.strongSwan().terminateIke(CONN);
    } else {
      assertEquals(0, east.ipsec("auto", "--down", CONN).exitCode());
    }
    try {
      if (setup == Setup.CHARON_BEHIND_NAT_VS_PLUTO) {
        PlutoPeers.await("charon on west got east's Delete", () -> west.strongSwan().listSas().isEmpty(), 10_000);
      } else {
        PlutoPeers.await("pluto on west got east's Deletes", () -> PlutoPeers.childSpis(west).isEmpty()
            && PlutoPeers.ikeStates(west).isEmpty(), 10_000);
      }
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + logs(), e);
    }
  }

  /**
   * XAUTH + ModeConfig behind the NAT (draft-beaulieu-ike-xauth-02, draft-dukes-ike-mode-cfg-02): charon on west
   * is a road warrior (PSK round, XAUTH round, asks for an address); pluto on east is the gateway for
   * {@code right=%any} with a pool. The address comes from the pool, pluto shows the user and address on the NAT's
   * mapping, and pings from the virtual address cross as ESP in UDP 4500.
   */
  @org.junit.jupiter.api.Test
  void xauthModeConfigRoadWarriorBehindTheNat() throws Exception {
    lab = Lab.upNat("ojnatx");
    west = lab.west();
    east = lab.east();
    StrongSwan charon = west.strongSwan();
    charon.start();
    String conf = "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\tnat_traversal=yes\n\n"
        + "conn " + CONN + "\n\tikev2=never\n\tauthby=secret\n\tike=aes128-sha1-modp2048\n\tesp=aes128-sha1\n"
        + "\tleft=" + east.address() + "\n\tleftid=" + east.id() + "\n\tleftsubnet=" + east.subnet()
        + "\n\tleftxauthserver=yes\n\tright=%any\n\trightid=" + west.id() + "\n\trightxauthclient=yes\n"
        + "\trightaddresspool=" + XAUTH_POOL + "\n\tmodecfgpull=yes\n\tauto=add\n";
    east.startPluto(conf, east.id() + " " + west.id() + " : PSK \"" + PSK + "\"\n");
    java.nio.file.Path passwd = east.ipsecDir().resolve("passwd");
    java.nio.file.Files.writeString(passwd, XAUTH_PASSWD);
    java.nio.file.Files.setPosixFilePermissions(passwd,
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    east.ipsec("auto", "--add", CONN).requireOk();
    charon.load(SwanctlConn.psk(CONN, west, east, PSK).ikeVersion(1).proposals("aes128-sha1-modp2048")
        .espProposals("aes128-sha1-modp2048").ts(null, east.subnet()).ikeOption("vips", "0.0.0.0")
        .ikeOption("pull", "yes").xauthClient("alice", XAUTH_PASSWORD).build());
    try {
      charon.initiate("net");
    } catch (RuntimeException e) {
      throw new AssertionError(e.getMessage() + logs(), e);
    }
    assertCharonSeesTheNat(charon, true);
    String sas = charon.swanctl("--list-sas").requireOk().stdout();
    assertTrue(sas.contains("[10.9.100.10]"), "charon shows the virtual IP from the pool:\n" + sas);
    String status = east.ipsec("whack", "--status").requireOk().stdout();
    assertTrue(status.contains("XAUTHuser=alice;") && status.contains("ModeCfg=10.9.100.10;"), status);
    assertPlutoOutside(east);
    long out = lab.natPackets("esp-in-udp-out");
    long in = lab.natPackets("esp-in-udp-in");
    PingResult p = west.ping(east.subnetAddress(), "10.9.100.10", 4);
    assertTrue(p.allReplied(), "pings from the virtual address cross the tunnel:\n" + p.output() + logs());
    assertTrue(lab.natPackets("esp-in-udp-out") - out >= 4, "the requests left the NAT as ESP in UDP 4500");
    assertTrue(lab.natPackets("esp-in-udp-in") - in >= 4, "the replies came back as ESP in UDP 4500");
    assertEquals(0, lab.natPackets("raw-esp"), "no raw ESP (IP protocol 50) reached the NAT");
    assertTrue(!east.plutoLog().contains(XAUTH_PASSWORD), "the password never reaches the log");
  }

  // ---- configuration, as an administrator writes it

  private static String sigkey(KeyPair k) {
    return "0s" + Base64.getEncoder().encodeToString(RsaAuth.toRfc3110((RSAPublicKey) k.getPublic()));
  }

  /**
   * pluto on klips on {@code me} towards {@code peer}, whose IKE packets come from {@code peerAddress} (east
   * names the NAT's outside address for west: that is where west's packets come from).
   */
  private void startPluto(Host me, Host peer, String peerAddress, Mode mode, KeyPair myKey, KeyPair peerKey)
      throws Exception {
    List<String> lines = new ArrayList<>();
    if (mode.version() == 1) {
      lines.add("ike=aes128-sha1-modp2048");
      lines.add("esp=aes128-sha1");
      lines.add("aggrmode=" + (mode == Mode.V1_AGGRESSIVE_PSK ? "yes" : "no"));
    } else {
      lines.add("ike=aes256-sha2_256-modp2048");
      lines.add("esp=aes256gcm16");
    }
    String secrets = PlutoPeers.secrets(me, peer);
    if (mode.rsa()) {
      lines.add("leftrsasigkey=" + sigkey(myKey));
      lines.add("rightrsasigkey=" + sigkey(peerKey));
      LabCa.write(me.ipsecDir().resolve("private/" + me.name() + ".pem"), myKey);
      secrets = ": RSA " + me.name() + ".pem\n";
    }
    String conf = PlutoPeers.ipsecConf(me, peer, "klips", lines.toArray(String[]::new))
        .replace("\tprotostack=klips\n", "\tprotostack=klips\n\tnat_traversal=yes\n")
        .replace("\tright=" + peer.address() + "\n", "\tright=" + peerAddress + "\n");
    if (mode.version() == 1) {
      conf = conf.replace("\tikev2=insist\n", "\tikev2=never\n");
    }
    if (mode.rsa()) {
      conf = conf.replace("\tauthby=secret\n", "\tauthby=rsasig\n");
    }
    me.startPluto(conf, secrets);
    me.ipsec("auto", "--add", CONN).requireOk();
  }

  /** charon's conn: {@code encap = yes} is SwanctlConn's (kernel-libipsec); NAT-D finds the real NAT anyway. */
  private static void loadCharon(StrongSwan charon, Host me, Host peer, String peerAddress, Mode mode, KeyPair myKey,
      KeyPair peerKey) {
    SwanctlConn.Builder b;
    if (mode.rsa()) {
      charon.installKeyPair(me.name(), myKey);
      charon.installPublicKey(peer.name(), peerKey.getPublic());
      b = SwanctlConn.rsa(CONN, me, peer, me.name() + ".pub.pem", peer.name() + ".pub.pem");
    } else {
      b = SwanctlConn.psk(CONN, me, peer, PSK);
    }
    b.addrs(me.address(), peerAddress);
    if (mode.version() == 1) {
      // pfs=yes is Openswan's default: Quick Mode carries a KE of the IKE group
      b.ikeVersion(1).aggressive(mode == Mode.V1_AGGRESSIVE_PSK).proposals("aes128-sha1-modp2048")
          .espProposals("aes128-sha1-modp2048");
    } else {
      b.proposals("aes256-sha256-modp2048").espProposals("aes256gcm16");
    }
    charon.load(b.build());
  }

  /** {@code ipsec auto --up} on west: exit 0 and the established states of the exchange. */
  private void plutoUp(Row row) {
    Result up;
    try {
      up = west.ipsec("auto", "--up", CONN);
    } catch (RuntimeException e) {
      throw new AssertionError(e.getMessage() + logs(), e);
    }
    assertEquals(0, up.exitCode(), up + logs());
    String established = switch (row.mode()) {
      case V1_MAIN_PSK, V1_MAIN_RSA -> "STATE_MAIN_I4: ISAKMP SA established";
      case V1_AGGRESSIVE_PSK -> "STATE_AGGR_I2: sent AI2, ISAKMP SA established";
      case V2_PSK -> "STATE_PARENT_I3";
    };
    assertTrue(up.stdout().contains(established), up.stdout());
    if (row.mode().version() == 1) {
      // Openswan's QI2 line names the encapsulation: ESP/NAT (RFC 3948 UDP-encapsulated tunnel mode)
      assertTrue(up.stdout().contains("STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP/NAT=>0x"),
          up.stdout());
    }
  }

  // ---- what the administrator checks

  /** The IKE SA's port in {@code whack --status}'s state lines (Openswan's {@code "conn":PORT STATE_…}). */
  private static List<Integer> statusPorts(Host h) {
    String status = h.ipsec("whack", "--status").requireOk().stdout();
    List<Integer> ports = new ArrayList<>();
    Matcher m = REMOTE_PORT.matcher(status);
    while (m.find()) {
      ports.add(Integer.parseInt(m.group(1)));
    }
    assertTrue(!ports.isEmpty(), "no state of " + CONN + " in whack --status:\n" + status);
    return ports;
  }

  private static String statusJson(Host h) {
    return h.ipsec("whack", "--status", "--json").requireOk().stdout();
  }

  /** West's pluto floated to 4500 (RFC 3947 §4, RFC 7296 §2.23) and NAT-D says there is a NAT. */
  private void assertPlutoBehindTheNat(Host h) {
    assertEquals(1, PlutoPeers.childSpis(h).size(), "one IPsec SA on " + h.name() + logs());
    List<Integer> ports = statusPorts(h);
    assertTrue(ports.stream().allMatch(p -> p == 4500), "every state of " + h.name() + " talks to east's 4500: "
        + ports);
    String json = statusJson(h);
    assertTrue(json.contains("\"kind\":\"IKE\"") && json.contains("\"remote\":\"/" + east.address() + ":4500\""),
        json);
    assertTrue(json.contains("\"nat\":true"), "NAT-D found the NAT: " + json);
  }

  /** East's pluto talks to the NAT's mapping of west's 4500: the outside address and a port it chose. */
  private void assertPlutoOutside(Host h) {
    assertEquals(1, PlutoPeers.childSpis(h).size(), "one IPsec SA on " + h.name() + logs());
    List<Integer> ports = statusPorts(h);
    int mapped = ports.get(0);
    assertTrue(ports.stream().allMatch(p -> p == mapped), "every state on the same mapping: " + ports);
    assertMapped(mapped);
    String json = statusJson(h);
    assertTrue(json.contains("\"remote\":\"/" + lab.nat().address() + ":" + mapped + "\""), json);
    assertTrue(json.contains("\"nat\":true"), "NAT-D found the NAT: " + json);
  }

  /** A port the NAT chose (lab-up --nat: 1024-65535 at random), not west's own 4500. */
  private static void assertMapped(int port) {
    assertTrue(port >= 1024 && port <= 65535 && port != 4500, "the NAT rewrote west's source port: " + port);
  }

  /** charon's view: {@code behind} says whether charon itself is behind the NAT (west) or sees its peer behind. */
  private void assertCharonSeesTheNat(StrongSwan charon, boolean behind) {
    IkeSaInfo sa = charon.established(CONN);
    assertEquals("INSTALLED", sa.child("net").state());
    if (behind) {
      assertTrue(sa.natLocal(), "charon found itself behind the NAT: " + sa);
      assertEquals(4500, sa.remotePort(), "charon floated to pluto's 4500");
    } else {
      assertEquals(lab.nat().address(), sa.remoteHost());
      assertMapped(sa.remotePort());
      assertTrue(sa.natRemote(), sa.toString());
    }
  }

  /** Pings from 192.0.1.254 to 192.0.2.254, counted at the router as ESP-in-UDP each way and no raw ESP. */
  private void assertTrafficCrossesAsEspInUdp() {
    long out = lab.natPackets("esp-in-udp-out");
    long in = lab.natPackets("esp-in-udp-in");
    PingResult p = west.ping(east.subnetAddress(), west.subnetAddress(), 4);
    assertTrue(p.allReplied(), "pings cross the tunnel:\n" + p.output() + logs());
    assertTrue(lab.natPackets("esp-in-udp-out") - out >= 4, "the requests left the NAT as ESP in UDP 4500");
    assertTrue(lab.natPackets("esp-in-udp-in") - in >= 4, "the replies came back as ESP in UDP 4500");
    assertEquals(0, lab.natPackets("raw-esp"), "no raw ESP (IP protocol 50) reached the NAT");
  }

  private String logs() {
    StringBuilder b = new StringBuilder();
    for (Host h : List.of(west, east)) {
      if (h.plutoRunning()) {
        b.append("\n--- ").append(h.name()).append(" pluto.log ---\n").append(h.plutoLog());
      }
      if (java.nio.file.Files.exists(h.strongSwan().logFile())) {
        b.append("\n--- ").append(h.name()).append(" charon.log ---\n").append(h.strongSwan().log());
      }
    }
    return b.toString();
  }
}
