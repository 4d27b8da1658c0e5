package org.openswanj.pluto.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.logging.log4j.core.net.Facility;
import org.openswanj.pluto.daemon.log.DevLogAppender;
import org.openswanj.pluto.daemon.log.LineLayout;

/**
 * pluto's logging through Log4j 2, where Openswan's pluto logs: {@code --stderrlog} → stderr, bare lines (behind
 * their time to the microsecond with {@code --plutostderrlogtime});
 * {@code --logfile FILE} ({@code plutostderrlog=}) → that file, stamped lines; otherwise syslog through the
 * local socket {@code /dev/log}, facility authpriv unless {@code syslog=} in config setup names another.
 * {@code --debug-*} turns on DEBUG. Every line is sanitised (peer-supplied text cannot forge lines).
 *
 * <p>Log4j looks the machine's host name up (DNS when it is not in /etc/hosts) when a configuration is first
 * applied, unless the configuration already carries one: it is filled in here from the kernel, so nothing at
 * start-up waits on DNS. This must be the first use of Log4j in the process.
 */
final class Logging {
  /** Where syslogd listens; a system property moves it for tests only. */
  static final String DEV_LOG = System.getProperty("openswanj.devlog", "/dev/log");
  /** The logger SaLog and V1Log send dropped-message lines to. */
  static final String DROPPED = "pluto.dropped";

  private Logging() {}

  /** Where log lines go. */
  sealed interface Target {
    /** {@code timed}: each line behind its time ({@code --plutostderrlogtime}). */
    record Stderr(boolean timed) implements Target {}

    record File(Path path) implements Target {}

    record Syslog(String socket, Facility facility) implements Target {}
  }

  /** The target the options and config setup's {@code syslog=} choose. */
  static Target target(PlutoOptions opts, Optional<String> syslogSetting, List<String> warnings) {
    if (opts.stderrlog()) {
      return new Target.Stderr(opts.stderrLogTime());
    }
    if (opts.logFile().isPresent()) {
      return new Target.File(opts.logFile().get());
    }
    return new Target.Syslog(DEV_LOG, facility(syslogSetting, warnings));
  }

  /** "daemon.error" → DAEMON; Openswan's pluto logs as authpriv when nothing is said. */
  static Facility facility(Optional<String> syslogSetting, List<String> warnings) {
    if (syslogSetting.isEmpty() || syslogSetting.get().isBlank()) {
      return Facility.AUTHPRIV;
    }
    String name = syslogSetting.get().trim().split("\\.", 2)[0].toUpperCase(Locale.ROOT);
    Optional<Facility> f = java.util.Arrays.stream(Facility.values()).filter(x -> x.name().equals(name)).findFirst();
    if (f.isEmpty()) { // Facility.toFacility throws on an unknown name
      warnings.add("syslog=" + syslogSetting.get() + ": unknown facility \"" + name.toLowerCase(Locale.ROOT)
          + "\", logging as authpriv");
      return Facility.AUTHPRIV;
    }
    return f.get();
  }

  static void configure(Target target, List<String> debug) {
    boolean verbose = debug.stream().anyMatch(d -> !d.equals(org.openswanj.conf.DebugWord.NONE));
    ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
    b.setStatusLevel(Level.ERROR);
    b.add(b.newRootLogger(verbose ? Level.DEBUG : Level.INFO));
    // dropped messages: a burst of 20 lines, then 5 a second, so a flood of garbage cannot flood the log
    b.add(b.newLogger(DROPPED, verbose ? Level.DEBUG : Level.INFO).addAttribute("additivity", true)
        .add(b.newFilter("BurstFilter", Filter.Result.NEUTRAL, Filter.Result.DENY).addAttribute("level", "INFO")
            .addAttribute("rate", 5).addAttribute("maxBurst", 20)));
    BuiltConfiguration cfg = b.build();
    contextProperties(cfg).put("hostName", kernelHostName());
    LoggerContext ctx = Configurator.initialize(Logging.class.getClassLoader(), cfg);
    if (ctx.getConfiguration() != cfg) {
      ctx.reconfigure(cfg); // Log4j was used before: the lookup has happened, at least replace the output
    }
    Configuration live = ctx.getConfiguration();
    Appender out = appender(target);
    out.start();
    live.addAppender(out);
    live.getRootLogger().addAppender(out, null, null);
    ctx.updateLoggers();
  }

  private static Appender appender(Target target) {
    if (target instanceof Target.File f) {
      return FileAppender.newBuilder().setName("out").setFileName(f.path().toString()).setAppend(true)
          .setImmediateFlush(true).setLayout(LineLayout.stamped("pluto")).build();
    }
    if (target instanceof Target.Syslog s) {
      return new DevLogAppender(s.socket(), s.facility(), "pluto", System.err);
    }
    boolean timed = target instanceof Target.Stderr s && s.timed();
    return ConsoleAppender.newBuilder().setName("out").setTarget(ConsoleAppender.Target.SYSTEM_ERR)
        .setLayout(timed ? LineLayout.timed() : LineLayout.bare()).build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> contextProperties(Configuration cfg) {
    return (Map<String, String>) cfg.getComponent(Configuration.CONTEXT_PROPERTIES);
  }

  /** uname's node name, from the kernel: no resolver involved. */
  private static String kernelHostName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
