package org.openswanj.pluto.daemon.control;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/** Decides whether the process at the other end of a control connection may control pluto. */
@FunctionalInterface
public interface PeerCheck {
  /** Empty to allow; else the reason for refusal, shown to the client after "whack: ". */
  Optional<String> refuse(SocketChannel peer) throws IOException;

  /**
   * Only uid 0, as Openswan (DESIGN.md): the peer's credentials from SO_PEERCRED. The principal is
   * compared with root's by uid ({@code UserPrincipal.equals} compares ids on Linux), not by name.
   */
  static PeerCheck rootOnly() {
    return peer -> {
      UnixDomainPrincipal who = peer.getOption(ExtendedSocketOptions.SO_PEERCRED);
      var root = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root");
      if (who.user().equals(root)) {
        return Optional.empty();
      }
      return Optional.of("permission denied: only root may control pluto (peer is user " + who.user().getName()
          + ")");
    };
  }

  /** Everyone: for tests, and for a pluto run by an unprivileged user on its own ctlbase. */
  static PeerCheck anyone() {
    return peer -> Optional.empty();
  }
}
