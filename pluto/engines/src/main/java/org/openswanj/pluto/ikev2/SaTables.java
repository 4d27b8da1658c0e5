package org.openswanj.pluto.ikev2;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IKEv2 engine's IKE and Child SAs, by serial (in the order made, for status) and the IKE SAs by their SPIs
 * (RFC 7296 §2.6: the SPI pair names the IKE SA of every message after IKE_SA_INIT). Event loop only.
 */
final class SaTables {
  record SpiPair(long spiI, long spiR) {}

  record InitiatorKey(long spiI, InetAddress from) {}

  private final Map<SpiPair, IkeSa> bySpis = new HashMap<>();
  /** Responder SAs by the initiator's SPI and address: a retransmitted first IKE_SA_INIT finds its SA in O(1). */
  private final Map<InitiatorKey, IkeSa> byInitiator = new HashMap<>();
  private final Map<Long, IkeSa> ikeSas = new LinkedHashMap<>();
  private final Map<Long, ChildSa> childSas = new LinkedHashMap<>();

  void register(IkeSa sa) {
    ikeSas.put(sa.serial, sa);
    bySpis.put(new SpiPair(sa.spiI, sa.spiR), sa);
    if (!sa.originalInitiator) {
      sa.initiatorKey = new InitiatorKey(sa.spiI, sa.remote.getAddress()); // the address may move later (NAT)
      byInitiator.put(sa.initiatorKey, sa);
    }
  }

  /** The responder SPI became known (IKE_SA_INIT response): re-key the table. */
  void rekeyed(IkeSa sa, long oldSpiR) {
    bySpis.remove(new SpiPair(sa.spiI, oldSpiR));
    bySpis.put(new SpiPair(sa.spiI, sa.spiR), sa);
  }

  void register(ChildSa c) {
    childSas.put(c.serial, c);
  }

  /** Takes {@code sa} out of every table; true if it was in them. */
  boolean remove(IkeSa sa) {
    boolean was = ikeSas.remove(sa.serial) != null;
    bySpis.remove(new SpiPair(sa.spiI, sa.spiR));
    bySpis.remove(new SpiPair(sa.spiI, 0));
    if (sa.initiatorKey != null) {
      byInitiator.remove(sa.initiatorKey, sa);
    }
    return was;
  }

  /** True if it was there. */
  boolean remove(ChildSa c) {
    return childSas.remove(c.serial) != null;
  }

  /** The IKE SA of these SPIs ({@code spiR} 0: ours whose IKE_SA_INIT is unanswered), or null. */
  IkeSa bySpis(long spiI, long spiR) {
    return bySpis.get(new SpiPair(spiI, spiR));
  }

  /** True while {@code sa} is in the tables (not deleted, nor replaced by a takeover of the same serial). */
  boolean current(IkeSa sa) {
    return ikeSas.get(sa.serial) == sa;
  }

  /** A responder SA still answering the first IKE_SA_INIT from this initiator SPI and address, or null. */
  IkeSa halfOpenResponder(long spiI, InetSocketAddress remote) {
    IkeSa s = byInitiator.get(new InitiatorKey(spiI, remote.getAddress()));
    return s != null && (s.state == Ikev2State.STATE_PARENT_R1 || s.initResponse == null) ? s : null;
  }

  List<IkeSa> ikeSas() {
    return new ArrayList<>(ikeSas.values());
  }

  List<ChildSa> childSas() {
    return new ArrayList<>(childSas.values());
  }
}
