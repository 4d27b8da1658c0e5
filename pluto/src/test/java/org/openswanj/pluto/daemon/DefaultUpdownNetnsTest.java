package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DefaultUpdown} against {@code bin/_updown} itself: the same verbs with the same environment, the script in
 * one network namespace and pluto's in-process routes in another (a thread moved there with setns(2)), both set up
 * alike (a TUN ipsec0, an uplink with a default route); after every verb both kernels' IPv4 and IPv6 routes must be
 * the same text, and a verb the script fails must fail here too. Needs root.
 */
class DefaultUpdownNetnsTest {
  private static final Path UPDOWN = Path.of("..").toAbsolutePath().normalize().resolve("bin/_updown");
  private static final String SCRIPT_NS = "ojdu-s-" + ProcessHandle.current().pid();
  private static final String PLUTO_NS = "ojdu-p-" + ProcessHandle.current().pid();
  private static final String SETUP = "set -e; ip link set lo up; ip tuntap add dev ipsec0 mode tun; "
      + "ip link set ipsec0 up; ip link add eth0 type veth peer name eth0p; ip link set eth0p up; "
      + "ip addr add 192.0.2.1/24 dev eth0; ip link set eth0 up; ip route add default via 192.0.2.254";

  /** setns(2) for one thread. */
  private static final class Ns {
    static {
      Native.register("c");
    }

    static native int open(String path, int flags);

    static native int setns(int fd, int nstype);

    static native int close(int fd);
  }

  @BeforeAll
  static void up() throws Exception {
    assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false), "needs root");
    for (String ns : List.of(SCRIPT_NS, PLUTO_NS)) {
      sh("ip", "netns", "add", ns);
      sh("ip", "netns", "exec", ns, "sh", "-c", SETUP);
    }
  }

  @AfterAll
  static void down() throws Exception {
    for (String ns : List.of(SCRIPT_NS, PLUTO_NS)) {
      sh("ip", "netns", "del", ns);
    }
  }

  private static String sh(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
    return out + (p.exitValue() == 0 ? "" : "status " + p.exitValue() + "\n");
  }

  private static String routes(String ns) throws Exception {
    return sh("ip", "-n", ns, "route", "show") + "--\n" + sh("ip", "-n", ns, "-6", "route", "show");
  }

  /** One verb for klips on ipsec0 with {@code vars} ("NAME=value") on top. */
  private static Map<String, String> env(String verb, String peerClient, String... vars) {
    Map<String, String> env = new LinkedHashMap<>(Map.of("PLUTO_VERSION", "2.0", "PLUTO_VERB", verb,
        "PLUTO_STACK", "klips", "PLUTO_INTERFACE", "ipsec0", "PLUTO_PEER_CLIENT", peerClient,
        "PLUTO_PEER", "192.0.2.2", "PLUTO_NEXT_HOP", "192.0.2.2"));
    for (String v : vars) {
      env.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
    }
    return env;
  }

  /** Runs each verb with the script and in pluto; compares the routes after each and the failures. */
  private static void same(List<Map<String, String>> steps) throws Exception {
    CompletableFuture<List<Integer>> inPluto = new CompletableFuture<>();
    List<CompletableFuture<Void>> next = new ArrayList<>();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      next.add(new CompletableFuture<>());
      done.add(new CompletableFuture<>());
    }
    Thread t = new Thread(() -> {
      List<Integer> status = new ArrayList<>();
      int fd = Ns.open("/run/netns/" + PLUTO_NS, 0);
      if (fd < 0 || Ns.setns(fd, 0x40000000) != 0) { // CLONE_NEWNET: this thread only
        inPluto.completeExceptionally(new IllegalStateException("setns to " + PLUTO_NS + " failed"));
        return;
      }
      Ns.close(fd);
      try (RouteNetlink rt = new RouteNetlink()) {
        for (int i = 0; i < steps.size(); i++) {
          next.get(i).get(30, TimeUnit.SECONDS);
          assertTrue(DefaultUpdown.applies(steps.get(i)), steps.get(i).toString());
          status.add(DefaultUpdown.run(steps.get(i), rt).status());
          done.get(i).complete(null);
        }
        inPluto.complete(status);
      } catch (Exception | AssertionError e) {
        inPluto.completeExceptionally(e);
      }
    }, "updown-in-" + PLUTO_NS);
    t.start();
    List<Integer> scriptStatus = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Map<String, String> env = steps.get(i);
      List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", SCRIPT_NS, "env", "-i",
          "PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
      env.forEach((k, v) -> cmd.add(k + "=" + v));
      cmd.add(UPDOWN.toString());
      String script = sh(cmd.toArray(String[]::new));
      scriptStatus.add(script.contains("status 1") ? 1 : 0);
      next.get(i).complete(null);
      done.get(i).get(30, TimeUnit.SECONDS);
      String verb = env.get("PLUTO_VERB") + " " + env.get("PLUTO_PEER_CLIENT");
      assertEquals(routes(SCRIPT_NS), routes(PLUTO_NS), "routes after " + verb + " (script said: " + script + ")");
    }
    List<Integer> status = inPluto.get(30, TimeUnit.SECONDS);
    t.join(5000);
    assertEquals(scriptStatus, status, "exit status per verb, the script's then pluto's");
    assertTrue(scriptStatus.contains(1), "the step with no such device failed");
  }

  @Test
  void klipsRoutesAreTheScriptsVerbByVerb() throws Exception {
    same(List.of(
        env("prepare-client", "10.2.0.0/16"),
        env("route-client", "10.2.0.0/16"),
        env("up-client", "10.2.0.0/16"),
        env("route-client", "0.0.0.0/0"),
        env("route-client-v6", "2001:db8:2::/48"),
        env("route-client", "10.3.0.0/16", "PLUTO_MTU=1400", "PLUTO_METRIC=7"),
        env("route-client-v6", "2001:db8:3::/48", "PLUTO_METRIC=5"),
        env("route-host", "192.0.2.9/32"),
        env("route-client", "10.2.0.0/16"), // again: a replace, not an error
        env("down-client", "10.2.0.0/16"),
        env("unroute-client", "10.2.0.0/16"),
        env("unroute-client", "0.0.0.0/0"),
        env("unroute-client-v6", "2001:db8:2::/48"),
        env("prepare-client", "10.3.0.0/16"),
        env("unroute-client", "10.9.0.0/16"), // no such route: ignored by both
        env("route-client", "10.4.0.0/16", "PLUTO_STACK=netkey"), // netkey routes nothing by default
        env("route-client", "10.5.0.0/16", "PLUTO_INTERFACE=ipsec7"))); // no such device: both fail
  }

  @Test
  void itStandsForTheScriptAsShippedOnly() throws Exception {
    assertTrue(DefaultUpdown.isShipped(UPDOWN), "bin/_updown changed: check that DefaultUpdown still does what it "
        + "does, then set DefaultUpdown.SHIPPED_SHA256 to its SHA-256");
    Path edited = java.nio.file.Files.createTempFile("_updown", "");
    java.nio.file.Files.writeString(edited, java.nio.file.Files.readString(UPDOWN) + "\n# an admin's edit\n");
    assertTrue(!DefaultUpdown.isShipped(edited), "an edited copy runs as a script");
    java.nio.file.Files.delete(edited);
  }

  @Test
  void aSourceAddressOrAConfigFileLeavesTheWorkToTheScript() {
    Map<String, String> env = env("route-client", "10.2.0.0/16", "PLUTO_MY_SOURCEIP=10.1.0.1");
    assertTrue(!DefaultUpdown.applies(env), "leftsourceip: the script adds the address");
    assertTrue(!DefaultUpdown.applies(env("bogus-client", "10.2.0.0/16")), "an unknown verb: the script's error");
    assertTrue(!DefaultUpdown.applies(env("route-client", "10.2.0.0/16", "PLUTO_VERSION=1.1")), "version");
  }
}
