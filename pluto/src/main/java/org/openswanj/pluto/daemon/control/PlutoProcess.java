package org.openswanj.pluto.daemon.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What {@code ipsec setup} can see of a pluto from outside: its pid file and its control socket. */
public final class PlutoProcess {
  private PlutoProcess() {
  }

  /** The pid in {@code <ctlbase>.pid}; empty when there is no file or no number in it. */
  public static Optional<Long> readPid(Path pidFile) {
    try {
      String text = Files.readString(pidFile).trim();
      return text.matches("[0-9]{1,10}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public static boolean alive(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    // a killed pluto whose parent is gone may stay a zombie where PID 1 does not reap: that is not running
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      int close = stat.lastIndexOf(')');
      return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Whether a process accepts connections on the control socket (without sending a request). */
  public static boolean answers(Path socket) {
    if (!Files.exists(socket)) {
      return false;
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
