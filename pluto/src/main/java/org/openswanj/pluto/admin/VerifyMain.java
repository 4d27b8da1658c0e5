package org.openswanj.pluto.admin;

import java.nio.file.Path;

/** {@code ipsec verify [--config FILE] [--ctlbase PATH] [--secretsfile FILE]}: see {@link Verify}. */
public final class VerifyMain {
  private VerifyMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    ToolArgs a;
    try {
      a = ToolArgs.parse("ipsec verify", args);
    } catch (ToolArgs.BadArgs e) {
      System.err.println(e.getMessage());
      return 1;
    }
    if (a.help()) {
      System.out.println("Usage: ipsec verify " + ToolArgs.OPTIONS);
      return 0;
    }
    return new Verify(new Verify.Paths(a.config(), a.ctlbase(), a.secrets(), Path.of("/proc")), System.out)
        .run(ToolArgs.versionLine());
  }
}
