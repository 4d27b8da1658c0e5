package org.openswanj.pluto.engine;

import java.security.SecureRandom;
import org.openswanj.pluto.net.IkeTransport;
import org.openswanj.pluto.sa.SaInstaller;

/**
 * What the daemon hands each IKE engine, the same for both: they are peers, and neither owns what the other
 * uses. One installer means one reqid per conn whichever IKE version keys it; one serial sequence means
 * "#N" is unique across versions; one metrics sink counts for both (whack --metrics).
 *
 * @param keepalives RFC 3948 NAT-keepalives; it is also {@link #transport()}, so it knows when a peer was last sent to
 */
public record EngineContext(EventLoop loop, NatKeepalives keepalives, SaInstaller installer, SecureRandom random,
    IkeSettings settings, Serials serials, EngineMetrics metrics) {
  /** How the engines send: through {@link #keepalives()}, which sees every message. */
  public IkeTransport transport() {
    return keepalives;
  }
}
