package org.openswanj.testing.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;

/**
 * A custom {@code leftupdown=} script as Openswan admins write them: it records its environment, leaves a
 * background job running (holding the stdout and stderr pluto gave it), then hands over to bin/_updown. The
 * tunnel must come up as fast as without it, traffic must cross (the routes bin/_updown added), and the
 * environment of every verb must carry Openswan 2.6's variables.
 */
class UpdownPlutoIT {
  private static final Path TOP = Path.of("..").toAbsolutePath().normalize();
  private Lab lab;
  private Host west;
  private Host east;

  @BeforeEach
  void up() {
    Lab.requirePluto();
    lab = Lab.up("ojud");
    west = lab.west();
    east = lab.east();
  }

  @AfterEach
  void down() {
    lab.stopPlutosAndClose();
  }

  private void configure(Host h, Host peer, String auto, String... extra) throws Exception {
    PlutoPeers.install(h, PlutoPeers.ipsecConf(h, peer, "klips", extra)
        .replace("\tauto=add\n", "\tauto=" + auto + "\n"), PlutoPeers.secrets(h, peer));
  }

  private static String env(Path dir, String verb) {
    try {
      Path f = dir.resolve(verb + ".env");
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @Test
  void customScriptSeesOpenswansEnvironmentAndItsBackgroundJobDelaysNothing() throws Exception {
    Path rec = west.ipsecDir().resolve("updown-rec");
    Files.createDirectories(rec);
    Path script = west.ipsecDir().resolve("my-updown");
    Files.writeString(script, "#!/bin/sh\nenv | grep '^PLUTO_' | sort > " + rec + "/$PLUTO_VERB.env\n"
        + "sleep 120 &\nexec " + TOP.resolve("bin/_updown") + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    configure(east, west, "add");
    configure(west, east, "start", "leftupdown=" + script);
    assertEquals(0, east.setup("start").exitCode());
    long t0 = System.nanoTime();
    assertEquals(0, west.setup("start").exitCode());
    PlutoPeers.await("the tunnel comes up although the script left a job running",
        () -> PlutoPeers.childSpis(west).size() == 1, 15_000);
    System.out.printf("UpdownPlutoIT: tunnel up %d ms after setup start%n", (System.nanoTime() - t0) / 1_000_000);
    assertTrue(west.ping("192.0.2.254", "192.0.1.254", 3).allReplied(), "the route bin/_updown added works");
    String up = env(rec, "up-client");
    for (String line : List.of("PLUTO_VERSION=2.0", "PLUTO_VERB=up-client", "PLUTO_CONNECTION=" + PlutoPeers.CONN,
        "PLUTO_INTERFACE=ipsec0", "PLUTO_ME=" + west.address(), "PLUTO_MY_ID=" + west.id(),
        "PLUTO_MY_CLIENT=" + west.subnet(), "PLUTO_PEER=" + east.address(), "PLUTO_PEER_ID=" + east.id(),
        "PLUTO_PEER_CLIENT=" + east.subnet(), "PLUTO_PEER_CLIENT_MASK=255.255.255.0", "PLUTO_STACK=klips",
        "PLUTO_CONN_POLICY=PSK+ENCRYPT+TUNNEL+PFS+UP+IKEv2ALLOW+IKEv2Init", "PLUTO_CONN_ADDRFAMILY=ipv4",
        "PLUTO_PEER_CA=", "PLUTO_IS_PEER_CISCO=0")) {
      assertTrue(up.lines().anyMatch(line::equals), line + " missing from up-client's environment:\n" + up);
    }
    assertTrue(up.contains("PLUTO_REQID="), up);
    assertTrue(env(rec, "route-client").contains("PLUTO_VERB=route-client"), "route-client ran first");
    west.ipsec("auto", "--down", PlutoPeers.CONN);
    PlutoPeers.await("down-client and unroute-client run", () -> !env(rec, "unroute-client").isEmpty(), 10_000);
    assertTrue(env(rec, "down-client").contains("PLUTO_VERB=down-client"));
  }
}
