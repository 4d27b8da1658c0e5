package org.openswanj.pluto.daemon.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import org.openswanj.pluto.daemon.PlutoOptions;
import org.openswanj.whack.proto.Rc;
import org.openswanj.whack.proto.WhackRequest;

/**
 * A stand-in pluto process for SetupMain's tests: parses its arguments with PlutoOptions (so setup's
 * command line must be one pluto accepts), writes its pid file, logs every request to
 * {@code <ctlbase>.requests}, and exits on Shutdown.
 */
public final class FakePlutoMain {
  private FakePlutoMain() {
  }

  public static void main(String[] args) throws Exception {
    PlutoOptions o = PlutoOptions.parse(args);
    Path log = Path.of(o.ctlbase() + ".requests");
    Files.writeString(Path.of(o.ctlbase() + ".args"), String.join(" ", args));
    Files.writeString(o.pidFile(), ProcessHandle.current().pid() + "\n");
    CountDownLatch shutdown = new CountDownLatch(1);
    try (ControlServer server = new ControlServer(o.ctlSocket(), (request, reply) -> {
      append(log, request.toString());
      if (request instanceof WhackRequest.Status) {
        reply.line(Rc.COMMENT, "#2: \"c\":500 STATE_QUICK_I2 (sent QI2, IPsec SA established); newest IPSEC;");
      } else if (request instanceof WhackRequest.AddConn a) {
        reply.line(Rc.LOG, "added connection description \"" + a.name() + "\"");
      } else if (request instanceof WhackRequest.Shutdown) {
        reply.line(Rc.LOG, "shutting down");
        shutdown.countDown();
      }
      reply.close();
    }, PeerCheck.anyone())) {
      server.start();
      shutdown.await();
      Thread.sleep(100); // let the reply go out
    }
    Files.deleteIfExists(o.pidFile());
  }

  private static void append(Path log, String line) {
    try {
      Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
