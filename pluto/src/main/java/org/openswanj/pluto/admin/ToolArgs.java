package org.openswanj.pluto.admin;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.openswanj.conf.OpenswanPaths;

/**
 * The options the admin tools share: {@code --config FILE --ctlbase PATH --secretsfile FILE} (Openswan's paths
 * by default), plus {@code --help}. A bad option is one line on stderr and exit 1, as Openswan's scripts.
 */
record ToolArgs(Path config, String ctlbase, Path secrets, boolean help) {
  static final String OPTIONS = "[--config FILE] [--ctlbase PATH] [--secretsfile FILE]";

  static final class BadArgs extends Exception {
    private static final long serialVersionUID = 1L;

    BadArgs(String message) {
      super(message);
    }
  }

  static ToolArgs parse(String me, String[] args) throws BadArgs {
    Map<String, String> v = new TreeMap<>();
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help")) {
        help = true;
      } else if (a.equals("--config") || a.equals("--ctlbase") || a.equals("--secretsfile")) {
        if (i + 1 >= args.length) {
          throw new BadArgs(me + ": " + a + " needs a value");
        }
        v.put(a, args[++i]);
      } else {
        throw new BadArgs(me + ": unknown option `" + a + "'");
      }
    }
    return new ToolArgs(Path.of(v.getOrDefault("--config", OpenswanPaths.CONFIG.toString())),
        v.getOrDefault("--ctlbase", OpenswanPaths.CTLBASE),
        Path.of(v.getOrDefault("--secretsfile", OpenswanPaths.SECRETS.toString())), help);
  }

  /** The version line of {@code ipsec --version} (bin/ipsec exports IPSEC_VERSION). */
  static String versionLine() {
    String v = System.getenv().getOrDefault("IPSEC_VERSION", "unknown");
    String kernel = System.getProperty("os.version", "?");
    return "Linux Openswan-compatible openswanj U" + v + "/K" + kernel;
  }
}
