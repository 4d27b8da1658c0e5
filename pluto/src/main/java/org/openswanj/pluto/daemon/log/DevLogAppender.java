package org.openswanj.pluto.daemon.log;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.net.Facility;
import org.apache.logging.log4j.core.net.Severity;

/**
 * Log lines to the local syslog socket ({@code /dev/log}) in the RFC 3164 shape glibc's syslog(3) sends
 * there: {@code <PRI>Mmm dd hh:mm:ss pluto[PID]: message} (no host name on the local socket), as Openswan's
 * {@code openlog("pluto", LOG_CONS|LOG_NDELAY|LOG_PID, LOG_AUTHPRIV)}. The message is sanitised (one datagram,
 * one line). When the socket is missing or syslogd is down, the line goes to stderr (LOG_CONS) and the socket
 * is tried again on the next line. Calls are serialised by Log4j's appender control and {@code synchronized}.
 */
public final class DevLogAppender extends AbstractAppender {
  /** RFC 3164 §4.1.2: the day of month is space-padded, the month in English. */
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);
  private final String path;
  private final Facility facility;
  private final String tag;
  private final PrintStream fallback;
  private UnixDatagram socket;

  public DevLogAppender(String path, Facility facility, String ident, PrintStream fallback) {
    super("devlog", null, null, true, Property.EMPTY_ARRAY);
    this.path = path;
    this.facility = facility;
    this.tag = ident + "[" + ProcessHandle.current().pid() + "]: ";
    this.fallback = fallback;
  }

  @Override
  public synchronized void append(LogEvent event) {
    int pri = facility.getCode() * 8 + Severity.getSeverity(event.getLevel()).getCode();
    String stamp = STAMP.format(Instant.ofEpochMilli(event.getTimeMillis()).atZone(ZoneId.systemDefault()));
    String line = "<" + pri + ">" + stamp + " " + tag + Sanitizer.sanitize(event.getMessage().getFormattedMessage());
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    try {
      if (socket == null) {
        socket = UnixDatagram.connect(path); // LOG_NDELAY would open at start; a late syslogd is found here
      }
      socket.send(bytes);
    } catch (IOException e) {
      if (socket != null) {
        socket.close();
        socket = null;
      }
      fallback.println(line.substring(line.indexOf('>') + 1)); // LOG_CONS: the line is not lost
    }
  }

  @Override
  public synchronized boolean stop(long timeout, java.util.concurrent.TimeUnit unit) {
    if (socket != null) {
      socket.close();
      socket = null;
    }
    return super.stop(timeout, unit);
  }
}
