package org.openswanj.pluto.daemon.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.layout.AbstractStringLayout;

/**
 * One sanitised line per event for stderr and {@code plutostderrlog=} files: the message alone (as
 * {@code --stderrlog}), or behind {@code Mmm dd hh:mm:ss pluto[PID]: } in a file. Peer-supplied text in the
 * message cannot start a second line (see {@link Sanitizer}).
 */
public final class LineLayout extends AbstractStringLayout {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ENGLISH);
  /** strftime's {@code %b %e %H:%M:%S} (the day padded with a space) and the microseconds. */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss.SSSSSS", Locale.ENGLISH);
  private final String tag;
  private final boolean timed;

  private LineLayout(String tag, boolean timed) {
    super(StandardCharsets.UTF_8);
    this.tag = tag;
    this.timed = timed;
  }

  /** The bare message, as Openswan's {@code --stderrlog}. */
  public static LineLayout bare() {
    return new LineLayout(null, false);
  }

  /**
   * The message behind its time, {@code Dec  7 05:28:57.123456: }, for {@code plutostderrlogtime=yes}: the
   * format Libreswan's pluto writes then, so the log of a failover or a retransmit can be read to the millisecond.
   */
  public static LineLayout timed() {
    return new LineLayout(null, true);
  }

  /** A timestamp and {@code ident[pid]: } before the message. */
  public static LineLayout stamped(String ident) {
    return new LineLayout(ident + "[" + ProcessHandle.current().pid() + "]: ", false);
  }

  @Override
  public String toSerializable(LogEvent event) {
    String msg = Sanitizer.sanitize(event.getMessage().getFormattedMessage());
    if (timed) {
      var t = event.getInstant();
      Instant at = Instant.ofEpochSecond(t.getEpochSecond(), t.getNanoOfSecond());
      return TIME.format(at.atZone(ZoneId.systemDefault())) + ": " + msg + "\n";
    }
    if (tag == null) {
      return msg + "\n";
    }
    String stamp = STAMP.format(Instant.ofEpochMilli(event.getTimeMillis()).atZone(ZoneId.systemDefault()));
    return stamp + " " + tag + msg + "\n";
  }
}
