package org.openswanj.conf;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code config setup}, typed; {@code raw} keeps every keyword as written (lower-case names). */
public record SetupConfig(Protostack protostack, List<String> interfaces, String plutoDebug, boolean uniqueIds,
    int nhelpers, List<Subnet> virtualPrivate, boolean oe, boolean natTraversal, int keepAliveSeconds,
    Optional<Integer> overrideMtu, String myId, String plutoStderrLog, Map<String, String> raw) {
  public SetupConfig {
    interfaces = List.copyOf(interfaces);
    virtualPrivate = List.copyOf(virtualPrivate);
    raw = Map.copyOf(raw);
  }

  /** {@code virtual_private=} with its exclusions (the record's {@code virtualPrivate} keeps the allowed ones). */
  public VirtualPrivate virtualPrivateSpec() {
    String v = raw.get(Keyword.VIRTUAL_PRIVATE_KW.keywordName());
    try {
      return v == null || v.isBlank() ? VirtualPrivate.NONE : VirtualPrivate.parse(v);
    } catch (ConfigException e) {
      throw new IllegalStateException("config setup was checked when read: " + e.getMessage(), e);
    }
  }

  /** {@code force_keepalive=}: NAT-keepalives whenever NAT-T is in use, not only when we are behind the NAT. */
  public boolean forceKeepalive() {
    return flag(Keyword.FORCE_KEEPALIVE);
  }

  /** {@code plutostderrlogtime=}: pluto's stderr lines behind their time. */
  public boolean plutoStderrLogTime() {
    return flag(Keyword.PLUTOSTDERRLOGTIME);
  }

  private boolean flag(Keyword kw) {
    String k = kw.keywordName();
    try {
      return Values.bool(k, raw.getOrDefault(k, kw.defaultValue()));
    } catch (ConfigException e) {
      throw new IllegalStateException("config setup was checked when read: " + e.getMessage(), e);
    }
  }
}
