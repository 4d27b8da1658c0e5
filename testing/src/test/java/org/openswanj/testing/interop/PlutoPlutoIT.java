package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openswanj.testing.interop.PlutoPeers.CONN;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.Result;

/**
 * pluto to pluto, as an administrator replacing Openswan runs it: {@code ipsec setup start} on both hosts
 * with their ipsec.conf, {@code auto=start} brings the tunnel up, traffic crosses (klips), a flood of garbage
 * does not take pluto down, {@code kill -9} and a restart recover, whack's exit codes are Openswan's, and
 * {@code ipsec setup stop} leaves nothing.
 */
class PlutoPlutoIT {
  private Lab lab;
  private Host west;
  private Host east;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    lab = Lab.up("ojpp");
    west = lab.west();
    east = lab.east();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  private void configure(Host h, Host peer, String auto) throws Exception {
    PlutoPeers.install(h, PlutoPeers.ipsecConf(h, peer, "klips", "ike=aes256-sha2_256-modp2048", "esp=aes256gcm16")
        .replace("\tauto=add\n", "\tauto=" + auto + "\n"), PlutoPeers.secrets(h, peer));
  }

  private void startBoth() throws Exception {
    configure(east, west, "add");
    configure(west, east, "start");
    Result e = east.setup("start");
    assertEquals(0, e.exitCode(), e.toString());
    Result w = west.setup("start");
    assertEquals(0, w.exitCode(), w.toString());
    assertTrue(w.stdout().contains("ipsec_setup"), w.stdout());
    PlutoPeers.await("auto=start brings the tunnel up", () -> PlutoPeers.childSpis(west).size() == 1
        && PlutoPeers.childSpis(east).size() == 1, 20_000);
  }

  @Test
  void setupStartBringsTheTunnelUpAndTrafficCrosses() throws Exception {
    startBoth();
    String[] w = PlutoPeers.childSpis(west).get(0);
    String[] e = PlutoPeers.childSpis(east).get(0);
    assertEquals(w[1], e[0], "west's outbound SPI is east's inbound");
    assertEquals(w[0], e[1]);
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 4).allReplied());
    assertTrue(east.ping("192.0.1.254", "192.0.2.254", 4).allReplied(), "and from the other side");
    String status = west.ipsec("whack", "--status").stdout();
    assertTrue(status.contains("\"" + CONN + "\": 192.0.1.0/24===192.1.2.45<192.1.2.45>[@west]...192.1.2.23<192.1.2.23>[@east]===192.0.2.0/24; erouted; eroute owner: #"), status);
    assertTrue(west.ipsec("whack", "--trafficstatus").stdout().matches("(?s).*inBytes=[1-9][0-9]*, outBytes=[1-9].*"),
        "traffic counted");
    assertEquals(0, west.setup("status").exitCode());
    assertEquals(0, west.setup("stop").exitCode());
    assertEquals(3, west.setup("status").exitCode(), "Openswan: 3 = not running");
    assertFalse(Files.exists(west.ctlSocket()), "control socket removed");
    PlutoPeers.await("east saw west's Delete", () -> PlutoPeers.ikeStates(east).isEmpty(), 10_000);
  }

  @Test
  void autoRouteBringsTheTunnelUpOnTheFirstPacket() throws Exception {
    configure(east, west, "add");
    configure(west, east, "route");
    assertEquals(0, east.setup("start").exitCode());
    assertEquals(0, west.setup("start").exitCode());
    assertTrue(PlutoPeers.childSpis(west).isEmpty(), "no SA before traffic");
    String look = west.ipsec("look").stdout();
    assertTrue(look.contains("%trap"), "the conn is routed with a %trap eroute:\n" + look);
    assertTrue(west.exec("ip", "route").stdout().contains("192.0.2.0/24 dev ipsec0"), "route-client added the route");
    // the first packets are held by the %trap, the acquire starts IKE, and they are sent once the SA is up; the
    // last reply may wait for two JVMs' negotiation on a loaded machine, so give it 10 s rather than ping's 2
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 4, java.time.Duration.ofSeconds(10)).allReplied(), "every ping answered, the held ones too");
    assertEquals(1, PlutoPeers.childSpis(west).size());
    assertEquals(0, west.ipsec("auto", "--down", CONN).exitCode());
    assertTrue(west.ipsec("look").stdout().contains("%trap"), "after --down the conn is routed again (%trap)");
  }

  @Test
  void garbageNeverTakesPlutoDown() throws Exception {
    startBoth();
    // 2,000 random datagrams from east to west's IKE and NAT-T ports: random bytes, truncated and
    // IKE-looking headers with lying lengths
    String py = "import os,random,socket,struct\n"
        + "random.seed(5)\n"
        + "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
        + "for i in range(2000):\n"
        + "  n=random.randint(0,600)\n"
        + "  b=bytearray(os.urandom(n))\n"
        + "  if i%3==0 and n>=28:\n"
        + "    b[16]=random.choice([33,46,0,255]); b[17]=0x20; b[18]=random.choice([34,35,36,37])\n"
        + "    b[24:28]=struct.pack('>I',random.choice([0,28,n,n+100,0xffffffff]))\n"
        + "  port=random.choice([500,4500])\n"
        + "  if port==4500 and i%2==0: b=bytes(4)+b\n"
        + "  s.sendto(bytes(b),('192.1.2.45',port))\n";
    Result r = east.exec("python3", "-c", py);
    assertEquals(0, r.exitCode(), r.toString());
    Result status = west.ipsec("whack", "--status");
    assertEquals(0, status.exitCode(), "pluto still answers whack: " + status);
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 3).allReplied(), "the tunnel still carries traffic");
    assertFalse(west.plutoLog().contains("internal error"), "no malformed datagram reached a bug:\n" + west.plutoLog());
    assertEquals(0, west.ipsec("auto", "--down", CONN).exitCode());
    Result up = west.ipsec("auto", "--up", CONN);
    assertEquals(0, up.exitCode(), "a new negotiation works: " + up);
  }

  @Test
  void killAndRestartRecovers() throws Exception {
    startBoth();
    long pid = Long.parseLong(Files.readString(Path.of(west.ctlbase() + ".pid")).trim());
    west.exec("kill", "-9", Long.toString(pid));
    PlutoPeers.await("pluto gone", () -> !Lab.isRunning(pid), 5_000);
    Result again = west.setup("start");
    assertEquals(0, again.exitCode(), "a stale pid file and socket do not block a restart: " + again);
    PlutoPeers.await("the restarted pluto brings the tunnel up again (uniqueids replaces the old SA on east)",
        () -> PlutoPeers.childSpis(west).size() == 1 && PlutoPeers.ikeStates(east).size() == 1, 20_000);
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 3).allReplied());
    Result second = west.setup("start");
    assertEquals(0, second.exitCode(), "_realsetup: a second start is refused with exit 0: " + second);
    assertTrue(second.stdout().contains("apparently already active, start aborted"), second.stdout());
  }

  @Test
  void whackExitCodesAreOpenswans() throws Exception {
    configure(west, east, "add");
    Result none = west.ipsec("whack", "--status");
    assertEquals(1, none.exitCode());
    assertTrue(none.stderr().contains("Pluto is not running"), none.toString());
    assertEquals(0, west.setup("start").exitCode());
    Result unknown = west.ipsec("whack", "--name", "nosuch", "--initiate");
    assertTrue(unknown.stdout().contains("no connection named \"nosuch\""), unknown.toString());
    assertEquals(21, unknown.exitCode(), "RC_UNKNOWN_NAME");
    Result bad = west.ipsec("whack", "--frobnicate");
    assertEquals(2, bad.exitCode(), bad.toString());
    assertFalse(bad.stderr().contains("Exception"), "no stack trace: " + bad.stderr());
    Result dup = west.ipsec("auto", "--add", CONN); // setup start already added it
    assertEquals(20, dup.exitCode(), "RC_DUPNAME: " + dup);
    assertTrue(dup.stdout().contains("attempt to redefine connection"), dup.toString());
    assertEquals(0, west.ipsec("auto", "--replace", CONN).exitCode(), "--replace is the way to re-add");
    Result dup2 = west.ipsecRaw("whack", "--ctlbase", west.ctlbase().toString(), "--name", CONN, "--psk",
        "--host", "192.1.2.45", "--to", "--host", "192.1.2.23");
    assertEquals(20, dup2.exitCode(), "RC_DUPNAME: " + dup2);
  }
}
