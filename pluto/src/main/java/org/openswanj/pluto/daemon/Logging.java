package org.openswanj.pluto.daemon;

import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * pluto's logging through Log4j 2, in Openswan's shape: one message per line, no decoration on stderr (as
 * {@code --stderrlog}), a timestamp in a log file, syslog facility authpriv otherwise. {@code --debug-*}
 * turns on DEBUG.
 */
final class Logging {
  private Logging() {}

  static void configure(boolean stderr, Path logFile, List<String> debug) {
    boolean verbose = debug.stream().anyMatch(d -> !d.equals("none"));
    ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
    b.setStatusLevel(Level.ERROR);
    AppenderComponentBuilder out;
    if (logFile != null) {
      out = b.newAppender("out", "File").addAttribute("fileName", logFile.toString())
          .addAttribute("immediateFlush", true)
          .add(b.newLayout("PatternLayout").addAttribute("pattern", "%d{MMM dd HH:mm:ss} pluto[%pid]: %m%n"));
    } else if (stderr) {
      out = b.newAppender("out", "Console").addAttribute("target", ConsoleAppender.Target.SYSTEM_ERR)
          .add(b.newLayout("PatternLayout").addAttribute("pattern", "%m%n"));
    } else {
      out = b.newAppender("out", "Syslog").addAttribute("host", "localhost").addAttribute("port", 514)
          .addAttribute("protocol", "UDP").addAttribute("facility", "AUTHPRIV").addAttribute("appName", "pluto")
          .addAttribute("format", "RFC5424");
    }
    b.add(out);
    b.add(b.newRootLogger(verbose ? Level.DEBUG : Level.INFO).add(b.newAppenderRef("out")));
    Configurator.reconfigure(b.build());
  }
}
