package org.openswanj.conf;

import java.util.List;
import java.util.Optional;

/** The whole ipsec.conf: setup, and the conns in file order (no %default; implicit OE conns last). */
public record IpsecConf(SetupConfig setup, List<ConnConfig> conns) {
  public IpsecConf {
    conns = List.copyOf(conns);
  }

  public Optional<ConnConfig> conn(String name) {
    return conns.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
