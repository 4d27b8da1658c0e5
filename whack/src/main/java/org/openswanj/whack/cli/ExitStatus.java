package org.openswanj.whack.cli;

import org.openswanj.whack.proto.Rc;
import org.openswanj.whack.proto.ReplyLine;

/**
 * whack's exit status, fed one reply line at a time (programs/whack/whack.c): COMMENT and LOG lines
 * leave it alone, SUCCESS sets it to 0, any other code becomes it; with --asynchronous every code
 * leaves it at 0. A line without a three-digit code counts as COMMENT, as strtoul gives 0 there.
 */
public final class ExitStatus {
  private final boolean async;
  private int value;

  public ExitStatus(boolean async) {
    this.async = async;
  }

  public void accept(String line) {
    int code = ReplyLine.parse(line).map(ReplyLine::code).orElse(Rc.COMMENT.code());
    if (!Rc.significant(code)) {
      return;
    }
    value = code == Rc.SUCCESS.code() || async ? 0 : code & 0xFF; // 8 bits, as an exit status in C
  }

  public int value() {
    return value;
  }
}
