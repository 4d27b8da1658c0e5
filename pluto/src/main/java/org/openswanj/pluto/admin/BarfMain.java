package org.openswanj.pluto.admin;

/** {@code ipsec barf [--config FILE] [--ctlbase PATH] [--secretsfile FILE]}: see {@link Barf}. */
public final class BarfMain {
  private BarfMain() {}

  public static void main(String[] args) {
    ToolArgs a;
    try {
      a = ToolArgs.parse("ipsec barf", args);
    } catch (ToolArgs.BadArgs e) {
      System.err.println(e.getMessage());
      System.exit(1);
      return;
    }
    if (a.help()) {
      System.out.println("Usage: ipsec barf " + ToolArgs.OPTIONS);
      System.exit(0);
    }
    System.exit(new Barf(a, System.out).run());
  }
}
