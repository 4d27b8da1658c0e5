package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;
import org.openswanj.testing.lab.StrongSwan;
import org.openswanj.testing.lab.SwanctlConn;

/**
 * The L2TP/IPsec server shape of Openswan 2.6 through a real NAT ({@link Lab#upNat}): east runs pluto on klips with
 * {@code conn l2tp-psk} ({@code type=transport}, {@code leftprotoport=17/1701}, {@code right=%any},
 * {@code rightprotoport=17/%any}, {@code rightsubnet=vhost:%priv,%no}) and {@code virtual_private=}; west
 * (192.1.3.45, SNAT-ed to 192.1.2.254) is the L2TP client in transport mode. East must accept west's private address
 * as its virtual one only when {@code virtual_private=} holds it, show the instance {@code "l2tp-psk"[1]}, and carry
 * UDP to port 1701 as ESP in UDP 4500 both ways (a small python3 echo on east's 1701; a ping would not match the
 * 17/1701 selectors). A datagram larger than ipsec0's MTU (Windows' L2TP negotiates a PPP MRU of 1400) is fragmented
 * by the sender's kernel before klips reads it; klips reassembles it for the transport-mode SA and seals it whole
 * (RFC 4303 §3.1.1), the ESP-in-UDP packet being fragmented by the kernel after ESP (RFC 4303 §3.3.5).
 */
class VhostL2tpIT {
  private static final String PSK = PlutoPeers.PSK;
  private static final String STANDARD_PRIVATE = "%v4:10.0.0.0/8,%v4:192.168.0.0/16,%v4:172.16.0.0/12";
  /** A bounded UDP echo on east's 1701: answers "echo:" + what came, gives up after 30 s without a datagram. */
  private static final String ECHO = "import socket\n"
      + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
      + "s.bind(('192.1.2.23', 1701))\n"
      + "s.settimeout(30)\n"
      + "try:\n"
      + "    while True:\n"
      + "        d, a = s.recvfrom(2048)\n"
      + "        s.sendto(b'echo:' + d, a)\n"
      + "except socket.timeout:\n"
      + "    pass\n";

  private Lab lab;
  private Host west;
  private Host east;

  @BeforeAll
  static void prerequisites() {
    Lab.requirePluto();
    Lab.requireCommand("python3", "python3");
  }

  @AfterEach
  void down() {
    if (lab != null) {
      lab.stopPlutosAndClose();
    }
  }

  private void lab() {
    lab = Lab.upNat("ojvh");
    west = lab.west();
    east = lab.east();
  }

  /** East's pluto: Openswan's l2tp-psk conn and {@code virtual_private=vp}. */
  private void startServer(String vp) throws Exception {
    String conf = "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\tnat_traversal=yes\n"
        + "\tvirtual_private=" + vp + "\n\n"
        + "conn l2tp-psk\n\tikev2=never\n\tauthby=secret\n\ttype=transport\n\tike=aes128-sha1-modp2048\n"
        + "\tesp=aes128-sha1\n\tleft=" + east.address() + "\n\tleftid=" + east.id() + "\n\tleftprotoport=17/1701\n"
        + "\tright=%any\n\trightid=" + west.id() + "\n\trightprotoport=17/%any\n\trightsubnet=vhost:%priv,%no\n"
        + "\tauto=add\n";
    east.startPluto(conf, PlutoPeers.secrets(east, west));
    east.ipsec("auto", "--add", "l2tp-psk").requireOk();
  }

  /** West's pluto: the L2TP client's transport-mode conn to east's 1701. */
  private void startPlutoClient() throws Exception {
    String conf = "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\tnat_traversal=yes\n\n"
        + "conn l2tp\n\tikev2=never\n\tauthby=secret\n\ttype=transport\n\tike=aes128-sha1-modp2048\n"
        + "\tesp=aes128-sha1\n\tleft=" + west.address() + "\n\tleftid=" + west.id() + "\n\tleftprotoport=17/1701\n"
        + "\tright=" + east.address() + "\n\trightid=" + east.id() + "\n\trightprotoport=17/1701\n\tauto=add\n";
    west.startPluto(conf, PlutoPeers.secrets(west, east));
    west.ipsec("auto", "--add", "l2tp").requireOk();
  }

  @Test
  void plutoClientBehindTheNatGetsAVhostInstance() throws Exception {
    lab();
    startServer(STANDARD_PRIVATE + ",%v4:192.1.3.0/24");
    startPlutoClient();
    Result up = west.ipsec("auto", "--up", "l2tp");
    assertEquals(0, up.exitCode(), up + logs());
    assertTrue(up.stdout().contains("STATE_QUICK_I2: sent QI2, IPsec SA established transport mode {ESP/NAT=>0x"),
        up.stdout());
    assertServerInstance();
    assertTrue(east.plutoLog().contains("NATOA=" + west.address()), "east read west's NAT-OAi:\n" + east.plutoLog());
    assertUdpToL2tpCrosses();
  }

  /**
   * charon as the L2TP client behind the NAT ({@code mode = transport}, {@code dynamic[udp/l2f]} both ways): its QI1
   * carries IDci 192.1.3.45 and NAT-OAi/NAT-OAr, east makes instance [1] and answers with NAT-OA. The lab's charon
   * runs kernel-libipsec (the host kernel has no ESP), which installs tunnel mode only: it refuses its own transport
   * SA ("IPsec SA: unsupported mode") and sends NO_PROPOSAL_CHOSEN. While it does, this checks the negotiation; a
   * charon that can install the SA gets the checks of the pluto client (instance, UDP to 1701 through the NAT).
   */
  /**
   * 1,400 bytes of UDP payload from west's 1701 to east's 1701 (1,428 bytes of IP, above ipsec0's MTU of 1,379): west's
   * kernel fragments the datagram, west's klips reassembles and seals it, east delivers it whole, and the echo (1,405
   * bytes of payload) comes back the same way; both klips show the datagrams reassembled. Then 1,472 bytes (1,500 of
   * IP): its ESP in UDP (about 1,550 bytes) is longer than the links' MTU of 1,500, so the kernel fragments it after
   * ESP (RFC 4303 §3.3.5) and the receiver's kernel reassembles it (its Ip ReasmOKs grows) before pluto's 4500
   * socket hands it to klips.
   */
  @Test
  void aDatagramLargerThanIpsec0sMtuCrossesBothWays() throws Exception {
    lab();
    startServer(STANDARD_PRIVATE + ",%v4:192.1.3.0/24");
    startPlutoClient();
    Result up = west.ipsec("auto", "--up", "l2tp");
    assertEquals(0, up.exitCode(), up + logs());
    long out = lab.natPackets("esp-in-udp-out");
    String why = assertLargeDatagramsCross();
    // the router's conntrack reassembles the outer fragments before its FORWARD rules count them
    assertTrue(lab.natPackets("esp-in-udp-out") - out >= 2, "they left the NAT as ESP in UDP 4500: " + why);
  }

  /**
   * The same without a NAT: raw ESP (IP protocol 50) between west (192.1.2.45) and east, both pluto on klips with a
   * transport-mode conn for UDP 1701 both ways. The raw ESP socket leaves fragmentation to the kernel (no IP_HDRINCL,
   * the default IP_PMTUDISC_WANT): the ESP of the 1,472-byte datagram (about 1,540 bytes) leaves in fragments.
   */
  @Test
  void aDatagramLargerThanIpsec0sMtuCrossesAsRawEsp() throws Exception {
    lab = Lab.up("ojvr");
    west = lab.west();
    east = lab.east();
    for (Host[] h : new Host[][] {{east, west}, {west, east}}) {
      String conf = "config setup\n\tprotostack=klips\n\tinterfaces=\"ipsec0=eth0\"\n\n"
          + "conn l2tp\n\tikev2=never\n\tauthby=secret\n\ttype=transport\n\tike=aes128-sha1-modp2048\n"
          + "\tesp=aes128-sha1\n\tleft=" + h[0].address() + "\n\tleftid=" + h[0].id() + "\n\tleftprotoport=17/1701\n"
          + "\tright=" + h[1].address() + "\n\trightid=" + h[1].id() + "\n\trightprotoport=17/1701\n\tauto=add\n";
      h[0].startPluto(conf, PlutoPeers.secrets(h[0], h[1]));
      h[0].ipsec("auto", "--add", "l2tp").requireOk();
    }
    Result up = west.ipsec("auto", "--up", "l2tp");
    assertEquals(0, up.exitCode(), up + logs());
    assertTrue(up.stdout().contains("IPsec SA established transport mode {ESP=>0x"), "raw ESP, no NAT-T: " + up);
    assertLargeDatagramsCross();
  }

  /**
   * West sends 1,400 then 1,472 bytes from its 1701 to east's echo on 1701; each and its echo must cross whole, both
   * kernels must have reassembled IP fragments (the outer ones of the 1,472 bytes' ESP), and both klips must show
   * the datagrams reassembled. Returns what to show on a later failure.
   */
  private String assertLargeDatagramsCross() throws Exception {
    java.nio.file.Path script = east.dir().resolve("echo1701.py");
    java.nio.file.Files.writeString(script, ECHO);
    east.exec("sh", "-c", "nohup python3 " + script + " >/dev/null 2>&1 &").requireOk();
    long eastReasm = reasmOks(east);
    long westReasm = reasmOks(west);
    String client = "import socket\n"
        + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        + "s.bind(('" + west.address() + "', 1701))\n"
        + "s.settimeout(1)\n"
        + "for n in (1400, 1472):\n"
        + "    d = bytes((i * 7 + n) % 251 for i in range(n))\n"
        + "    for i in range(10):\n"
        + "        s.sendto(d, ('" + east.address() + "', 1701))\n"
        + "        try:\n"
        + "            r = s.recvfrom(4096)[0]\n"
        + "            print('sent %d, echoed %d bytes, intact: %s' % (n, len(r), r == b'echo:' + d))\n"
        + "            break\n"
        + "        except socket.timeout:\n"
        + "            pass\n";
    java.nio.file.Path cs = west.dir().resolve("send1701big.py");
    java.nio.file.Files.writeString(cs, client);
    Result r = west.exec(Duration.ofSeconds(30), "python3", cs.toString());
    String why = r + "\n--- west ipsec look ---\n" + west.ipsec("look").stdout() + "\n--- east ipsec look ---\n"
        + east.ipsec("look").stdout() + logs();
    assertTrue(r.stdout().contains("sent 1400, echoed 1405 bytes, intact: True"), "the 1,400-byte datagram and its"
        + " echo crossed whole: " + why);
    assertTrue(r.stdout().contains("sent 1472, echoed 1477 bytes, intact: True"), "the 1,472-byte datagram and its"
        + " echo crossed whole: " + why);
    assertTrue(reasmOks(east) > eastReasm, "east's kernel reassembled the fragments of west's ESP in UDP: " + why);
    assertTrue(reasmOks(west) > westReasm, "west's kernel reassembled the fragments of east's ESP in UDP: " + why);
    for (Host h : List.of(west, east)) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("transport-mode fragments: (\\d+) datagrams"
          + " reassembled").matcher(h.ipsec("look").requireOk().stdout());
      assertTrue(m.find() && Long.parseLong(m.group(1)) >= 2, h.name() + "'s klips reassembled both datagrams: "
          + why);
    }
    return why;
  }

  /** The IP datagrams {@code h}'s kernel reassembled so far (/proc/net/snmp, Ip: ReasmOKs; per namespace). */
  private static long reasmOks(Host h) {
    List<String> ip = h.exec("cat", "/proc/net/snmp").requireOk().stdout().lines().filter(l -> l.startsWith("Ip: "))
        .toList();
    List<String> names = List.of(ip.get(0).split("\\s+"));
    return Long.parseLong(ip.get(1).split("\\s+")[names.indexOf("ReasmOKs")]);
  }

  @Test
  void charonClientBehindTheNatIsGivenAVhostInstance() throws Exception {
    lab();
    startServer(STANDARD_PRIVATE + ",%v4:192.1.3.0/24");
    StrongSwan charon = west.strongSwan();
    charon.start();
    charon.load(SwanctlConn.psk("l2tp", west, east, PSK).ikeVersion(1).proposals("aes128-sha1-modp2048")
        .espProposals("aes128-sha1-modp2048").ts("dynamic[udp/l2f]", "dynamic[udp/l2f]")
        .childOption("mode", "transport").build());
    boolean installed;
    try {
      charon.initiate("net");
      installed = true;
    } catch (RuntimeException e) {
      installed = false;
    }
    String clog = charon.log();
    assertTrue(clog.matches("(?s).*generating QUICK_MODE request \\d+ \\[ HASH SA No KE ID ID NAT-OA NAT-OA \\].*"),
        "charon's QI1 carried NAT-OAi/NAT-OAr:" + logs());
    // RFC 3947 §5.2: east chose UDP-Encapsulated-Transport, so its QR1 carries NAT-OA too
    assertTrue(clog.matches("(?s).*parsed QUICK_MODE response \\d+ \\[ HASH SA No KE ID ID NAT-OA NAT-OA \\].*")
        && clog.contains("selected proposal: ESP:AES_CBC_128"), "charon accepted east's QR1:" + logs());
    String nat = lab.nat().address();
    assertTrue(east.plutoLog().contains("\"l2tp-psk\"[1] " + nat + " #2: STATE_QUICK_R1: sent QR1"),
        "east made instance [1] for charon's private address:\n" + east.plutoLog());
    if (!installed) {
      assertTrue(clog.contains("IPsec SA: unsupported mode"), "only libipsec's missing transport mode stops it:"
          + logs());
      return;
    }
    assertServerInstance();
    assertUdpToL2tpCrosses();
  }

  @Test
  void aClientOutsideVirtualPrivateIsRefused() throws Exception {
    lab();
    startServer(STANDARD_PRIVATE);
    startPlutoClient();
    west.ipsec("whack", "--name", "l2tp", "--initiate", "--asynchronous").requireOk();
    String line = "peer client " + west.address() + "/32 is not in virtual_private=" + STANDARD_PRIVATE;
    PlutoPeers.await("east refuses west's private address", () -> east.plutoLog().contains(line), 15_000);
    Thread.sleep(3000); // west's retransmissions, if it made any, would be refused again
    List<String> refusals = east.plutoLog().lines().filter(l -> l.contains("is not in virtual_private")).toList();
    assertEquals(1, refusals.size(), "one line: " + refusals + logs());
    String refusal = refusals.get(0);
    assertTrue(refusal.contains("\"l2tp-psk\" #1: cannot respond to IPsec SA request because no connection is "
        + "known for " + west.address() + "/32===" + east.address() + "/32: " + line), refusal);
    assertTrue(PlutoPeers.childSpis(east).isEmpty(), "no IPsec SA on east" + logs());
    assertTrue(PlutoPeers.childSpis(west).isEmpty(), "none on west" + logs());
    String status = east.ipsec("whack", "--status").requireOk().stdout();
    assertTrue(!status.contains("\"l2tp-psk\"["), "no instance:\n" + status);
  }

  /** East's whack --status shows instance [1] for the NAT's address with west's private one as its client. */
  private void assertServerInstance() {
    assertEquals(1, PlutoPeers.childSpis(east).size(), "one IPsec SA on east" + logs());
    String nat = lab.nat().address();
    String status = east.ipsec("whack", "--status").requireOk().stdout();
    assertTrue(status.matches("(?s).*\"l2tp-psk\"\\[1\\]: " + east.address().replace(".", "\\.") + "<[^\\n]*\\.\\.\\."
        + nat.replace(".", "\\.") + "<" + nat.replace(".", "\\.") + ">\\[[^\\]]*\\]===" + west.address()
        .replace(".", "\\.") + "/32; erouted; eroute owner: #\\d+.*"), status);
    assertTrue(status.matches("(?s).*#\\d+: \"l2tp-psk\"\\[1\\] " + nat.replace(".", "\\.")
        + ":\\d+ STATE_QUICK_R2.*"), status);
  }

  /** A datagram from west's 1701 to east's 1701 is echoed, and both crossed the NAT as ESP in UDP 4500. */
  private void assertUdpToL2tpCrosses() throws Exception {
    java.nio.file.Path script = east.dir().resolve("echo1701.py");
    java.nio.file.Files.writeString(script, ECHO);
    east.exec("sh", "-c", "nohup python3 " + script + " >/dev/null 2>&1 &").requireOk();
    long out = lab.natPackets("esp-in-udp-out");
    long in = lab.natPackets("esp-in-udp-in");
    String client = "import socket\n"
        + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        + "s.bind(('" + west.address() + "', 1701))\n"
        + "s.settimeout(1)\n"
        + "for i in range(10):\n"
        + "    s.sendto(b'hello-l2tp', ('" + east.address() + "', 1701))\n"
        + "    try:\n"
        + "        print(s.recvfrom(2048)[0].decode())\n"
        + "        break\n"
        + "    except socket.timeout:\n"
        + "        pass\n";
    java.nio.file.Path cs = west.dir().resolve("send1701.py");
    java.nio.file.Files.writeString(cs, client);
    Result r = west.exec(Duration.ofSeconds(20), "python3", cs.toString());
    assertTrue(r.stdout().contains("echo:hello-l2tp"), "the echo came back through the tunnel: " + r + logs());
    assertTrue(lab.natPackets("esp-in-udp-out") - out >= 1, "the datagram left the NAT as ESP in UDP 4500");
    assertTrue(lab.natPackets("esp-in-udp-in") - in >= 1, "the echo came back as ESP in UDP 4500");
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
