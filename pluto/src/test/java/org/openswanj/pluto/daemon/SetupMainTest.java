package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.pluto.daemon.control.FakePlutoMain;
import org.openswanj.pluto.daemon.control.PlutoProcess;

@Timeout(60)
class SetupMainTest {
  static final String CONF = """
      config setup
      \tprotostack=none
      \tnhelpers=0
      \tuniqueids=yes
      \tforce_keepalive=yes
      \tplutodebug="control crypt"
      \tinterfaces="%defaultroute ipsec0=127.0.0.1"

      conn %default
      \tauthby=secret
      \tleft=192.0.2.1
      \tright=192.0.2.2

      conn a
      \tauto=add
      conn b
      \tauto=route
      conn c
      \tauto=start
      conn d
      \tauto=ignore
      """;

  @TempDir
  Path dir;

  record Run(int status, String out, String err) {
  }

  List<String> fakePluto() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-cp", System.getProperty("java.class.path"), FakePlutoMain.class.getName());
  }

  Run setup(List<String> pluto, Duration timeout, String... action) throws Exception {
    Files.writeString(dir.resolve("ipsec.conf"), CONF);
    String[] args = new String[action.length + 4];
    System.arraycopy(action, 0, args, 0, action.length);
    args[action.length] = "--config";
    args[action.length + 1] = dir.resolve("ipsec.conf").toString();
    args[action.length + 2] = "--ctlbase";
    args[action.length + 3] = dir.resolve("pluto").toString();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = SetupMain.run(args, pluto, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), timeout);
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Run setup(String... action) throws Exception {
    return setup(fakePluto(), Duration.ofSeconds(20), action);
  }

  @AfterEach
  void killLeftovers() {
    PlutoProcess.readPid(dir.resolve("pluto.pid"))
        .flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  void startStatusStopCycle() throws Exception {
    Run before = setup("status");
    assertEquals(3, before.status());
    assertEquals("IPsec stopped\n", before.out());

    Run start = setup("start");
    assertEquals(0, start.status(), start.out() + start.err());
    assertTrue(start.out().startsWith("ipsec_setup: Starting Openswan IPsec openswanj 0.1.0...\n"), start.out());
    assertTrue(start.out().endsWith("ipsec_setup: ...Openswan IPsec started\n"), start.out());
    assertTrue(start.out().contains("ipsec_setup: 002 added connection description \"b\"\n"), start.out());
    List<String> requests = Files.readAllLines(dir.resolve("pluto.requests"));
    assertEquals("Listen[]", requests.get(0));
    assertTrue(requests.get(1).startsWith("AddConn[name=a, keywords={"), requests.get(1));
    assertTrue(requests.get(2).startsWith("AddConn[name=b,") && requests.get(3).startsWith("AddConn[name=c,"));
    assertEquals(List.of("Route[name=b]", "Initiate[name=c, async=true]"), requests.subList(4, 6));
    assertEquals(6, requests.size(), "auto=ignore is not added: " + requests);
    String args = Files.readString(dir.resolve("pluto.args"));
    assertTrue(args.contains("--use-nostack --nhelpers 0 --uniqueids --force_keepalive --listen 127.0.0.1"
        + " --debug-control --debug-crypt"), args);

    Run status = setup("status");
    assertEquals(0, status.status());
    long pid = PlutoProcess.readPid(dir.resolve("pluto.pid")).orElseThrow();
    assertEquals("IPsec running - pluto pid: " + pid + "\npluto pid " + pid + "\n1 tunnels up\n", status.out());

    Run again = setup("start");
    assertEquals(0, again.status(), "_realsetup: already active is exit 0");
    assertEquals("ipsec_setup: Openswan IPsec apparently already active, start aborted\n", again.out());

    Run stop = setup("stop");
    assertEquals(0, stop.status(), stop.out());
    assertEquals("ipsec_setup: Stopping Openswan IPsec...\nipsec_setup: ...Openswan IPsec stopped\n", stop.out());
    assertTrue(!PlutoProcess.alive(pid));
    assertEquals(3, setup("status").status());
    assertTrue(Files.notExists(dir.resolve("pluto.ctl")));
  }

  @Test
  void stopWhenStoppedIsNotAnError() throws Exception {
    Run stop = setup("stop");
    assertEquals(0, stop.status());
    assertTrue(stop.out().contains("stop ordered, but IPsec appears to be already stopped!"), stop.out());
  }

  @Test
  void aPlutoThatDiesAtOnceIsReported() throws Exception {
    Run r = setup(List.of("/bin/false"), Duration.ofSeconds(20), "start");
    assertEquals(1, r.status());
    assertTrue(r.out().contains("...unable to start Openswan IPsec: pluto exited with status 1 before \""), r.out());
  }

  @Test
  void aPlutoThatNeverAnswersTimesOut() throws Exception {
    Run r = setup(List.of("/bin/sh", "-c", "sleep 30", "pluto"), Duration.ofMillis(1500), "start");
    assertEquals(1, r.status());
    assertTrue(r.out().contains("no answer on \"" + dir.resolve("pluto.ctl") + "\" within 1 s"), r.out());
  }

  @Test
  void configErrorsStopTheStart() throws Exception {
    Files.writeString(dir.resolve("bad.conf"), "config setup\n\tfrobnicate=1\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = SetupMain.run(new String[] {"start", "--config", dir.resolve("bad.conf").toString(), "--ctlbase",
        dir.resolve("pluto").toString()}, fakePluto(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream()), Duration.ofSeconds(5));
    assertEquals(3, status, "setup.in exits with addconn --checkconfig's status");
    assertTrue(out.toString().contains("the following error occured:\nipsec_setup: " + dir.resolve("bad.conf") + ":2:"),
        out.toString());
  }

  @Test
  void aMissingConfigIsExit6AndCondrestartOfAStoppedPlutoIsNothing() throws Exception {
    assertEquals(6, SetupMain.run(new String[] {"start", "--config", dir.resolve("nosuch.conf").toString(),
        "--ctlbase", dir.resolve("pluto").toString()}, fakePluto(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()), Duration.ofSeconds(1)));
    Run cond = setup("condrestart");
    assertEquals(0, cond.status());
    assertEquals("", cond.out(), "setup.in: _realsetup status || exit 0");
  }

  @Test
  void usageErrors() throws Exception {
    assertEquals(2, SetupMain.run(new String[] {"frob"}, fakePluto(), System.out, new PrintStream(
        new ByteArrayOutputStream()), Duration.ofSeconds(1)));
    assertEquals(2, SetupMain.run(new String[0], fakePluto(), System.out, new PrintStream(
        new ByteArrayOutputStream()), Duration.ofSeconds(1)));
  }

  @Test
  void startWaitsIpsecSetupTimeoutSecondsAndNamesABadValue() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(Duration.ofSeconds(20), SetupMain.startTimeout(null, e));
    assertEquals(Duration.ofSeconds(300), SetupMain.startTimeout(" 300 ", e));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    assertEquals(Duration.ofSeconds(20), SetupMain.startTimeout("5m", e));
    assertEquals(Duration.ofSeconds(20), SetupMain.startTimeout("0", e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("IPSEC_SETUP_TIMEOUT='5m' is not 1..3600 seconds"),
        err.toString(StandardCharsets.UTF_8));
  }
}
