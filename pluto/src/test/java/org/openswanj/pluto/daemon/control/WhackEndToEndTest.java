package org.openswanj.pluto.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.whack.cli.WhackMain;
import org.openswanj.whack.proto.Rc;
import org.openswanj.whack.proto.WhackRequest;

/** The real ipsec whack against the real control server, over a real socket, with the real uid check. */
@Timeout(30)
class WhackEndToEndTest {
  @TempDir
  Path dir;

  @Test
  void whackExitStatusFollowsTheServersCodes() throws Exception {
    PlutoControl control = (request, reply) -> {
      if (request instanceof WhackRequest.Initiate i && i.name().equals("nosuch")) {
        reply.line(Rc.UNKNOWN_NAME, "no connection named \"nosuch\"");
      } else {
        reply.line(Rc.NEW_STATE.code() + 17, "\"c\" #1: STATE_MAIN_I1: initiate");
        reply.line(Rc.SUCCESS, "\"c\" #2: IPsec SA established");
      }
      reply.close();
    };
    try (ControlServer server = new ControlServer(dir.resolve("pluto.ctl"), control)) {
      server.start();
      String ctlbase = dir.resolve("pluto").toString();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
      assertEquals(0, WhackMain.run(new String[] {"--ctlbase", ctlbase, "--name", "c", "--initiate"}, ps, ps));
      assertEquals("117 \"c\" #1: STATE_MAIN_I1: initiate\n004 \"c\" #2: IPsec SA established\n", out.toString());
      assertEquals(21, WhackMain.run(new String[] {"--ctlbase", ctlbase, "--name", "nosuch", "--initiate"}, ps, ps));
    }
  }
}
