package org.openswanj.pluto.ikev2;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

/**
 * What pluto logs during one test, at {@code level} and above, each line as {@code format} makes it. Opened in a
 * {@code @BeforeEach}, closed in the {@code @AfterEach}. Opening resets Log4j to its default configuration first:
 * an earlier test in the same JVM may have installed the daemon's (with its rate limit on {@code pluto.dropped}),
 * which would hide the very lines a test looks for.
 */
public final class LogCapture implements AutoCloseable {
  interface Format {
    String line(LogEvent event);
  }

  private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
  private final AbstractAppender appender;
  private final Level before;

  LogCapture(String name, Level level, Format format) {
    appender = new AbstractAppender(name, null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        lines.add(format.line(event));
      }
    };
    appender.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.reconfigure();
    ctx.getConfiguration().getLoggers().values().forEach(c -> c.addAppender(appender, level, null));
    ctx.getConfiguration().getRootLogger().addAppender(appender, level, null);
    before = LogManager.getRootLogger().getLevel();
    Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, level);
    ctx.updateLoggers();
  }

  /** The formatted message of each event (level INFO and above). */
  public static LogCapture messages(String name) {
    return new LogCapture(name, Level.INFO, e -> e.getMessage().getFormattedMessage());
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** How many lines contain {@code text}. */
  public long count(String text) {
    return lines.stream().filter(l -> l.contains(text)).count();
  }

  public String text() {
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().getLoggers().values().forEach(c -> c.removeAppender(appender.getName()));
    ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
    Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, before);
    ctx.updateLoggers();
  }
}
