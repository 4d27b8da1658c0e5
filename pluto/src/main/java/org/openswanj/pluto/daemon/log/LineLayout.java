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
  private final String tag;

  private LineLayout(String tag) {
    super(StandardCharsets.UTF_8);
    this.tag = tag;
  }

  /** The bare message, as Openswan's {@code --stderrlog}. */
  public static LineLayout bare() {
    return new LineLayout(null);
  }

  /** A timestamp and {@code ident[pid]: } before the message. */
  public static LineLayout stamped(String ident) {
    return new LineLayout(ident + "[" + ProcessHandle.current().pid() + "]: ");
  }

  @Override
  public String toSerializable(LogEvent event) {
    String msg = Sanitizer.sanitize(event.getMessage().getFormattedMessage());
    if (tag == null) {
      return msg + "\n";
    }
    String stamp = STAMP.format(Instant.ofEpochMilli(event.getTimeMillis()).atZone(ZoneId.systemDefault()));
    return stamp + " " + tag + msg + "\n";
  }
}
