package org.openswanj.pluto.daemon.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.net.Facility;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevLogAppenderTest {
  @TempDir Path dir;

  private static LogEvent event(Level level, String pattern, Object arg) {
    return Log4jLogEvent.newBuilder().setLevel(level).setMessage(new ParameterizedMessage(pattern, arg))
        .setTimeMillis(System.currentTimeMillis()).build();
  }

  @Test
  void oneRfc3164DatagramPerLineWithPeerTextEscaped() throws Exception {
    String path = dir.resolve("log").toString();
    try (UnixDatagram syslogd = UnixDatagram.bind(path)) {
      DevLogAppender a = new DevLogAppender(path, Facility.AUTHPRIV, "pluto", System.err);
      a.start();
      a.append(event(Level.INFO, "\"conn\" #1: peer ID is '{}'", "east\nDec  4 00:00:00 pluto[1]: forged"));
      a.append(event(Level.ERROR, "{}", "bad"));
      a.stop();
      String first = new String(syslogd.poll(2048).orElseThrow(), StandardCharsets.UTF_8);
      String second = new String(syslogd.poll(2048).orElseThrow(), StandardCharsets.UTF_8);
      assertTrue(first.matches("<86>[A-Z][a-z]{2} [ 123]\\d \\d\\d:\\d\\d:\\d\\d pluto\\[\\d+\\]: \"conn\" #1: "
          + "peer ID is 'east\\\\012Dec  4 00:00:00 pluto\\[1\\]: forged'"), first); // authpriv.info = 10*8+6
      assertTrue(second.startsWith("<83>"), second); // authpriv.err
      assertEquals(Optional.empty(), syslogd.poll(2048).map(String::new));
    }
  }

  @Test
  void withoutSyslogdTheLineGoesToTheConsoleAsLogCons() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    DevLogAppender a = new DevLogAppender(dir.resolve("absent").toString(), Facility.DAEMON, "pluto",
        new PrintStream(err, true, StandardCharsets.UTF_8));
    a.start();
    a.append(event(Level.WARN, "{}", "no syslogd"));
    a.stop();
    String out = err.toString(StandardCharsets.UTF_8);
    assertTrue(out.matches("[A-Z][a-z]{2} [ 123]\\d \\d\\d:\\d\\d:\\d\\d pluto\\[\\d+\\]: no syslogd\n"), out);
  }
}
