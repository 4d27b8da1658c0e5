package org.openswanj.whack.cli;

import org.openswanj.conf.cli.AddConnMain;

/** {@code ipsec addconn}: conf's {@link AddConnMain} with the whack adder, so NAME, --addall and --autoall reach pluto. */
public final class AddConnCommand {
  private AddConnCommand() {}

  public static void main(String[] args) {
    System.exit(AddConnMain.run(args, new WhackAdder(), System.out, System.err));
  }
}
