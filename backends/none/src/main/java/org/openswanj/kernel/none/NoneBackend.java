package org.openswanj.kernel.none;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.KernelFeature;
import org.openswanj.kernel.KernelListener;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.SaEndpoints;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.UdpEncap;
import org.openswanj.kernel.SaUsage;

/**
 * The recording backend ({@code protostack=none}, {@code --use-nostack}): keeps what would be installed,
 * refuses what a kernel would refuse (duplicate SA, unknown SA or policy), and carries no traffic.
 * Synchronized: pluto's loop and a status reader may call it at once.
 */
public final class NoneBackend implements KernelBackend {
  private final Map<SaId, SaSpec> sas = new LinkedHashMap<>();
  private final Map<PolicyId, PolicySpec> policies = new LinkedHashMap<>();
  private final AtomicInteger nextSpi;
  private volatile KernelListener listener;

  public NoneBackend() {
    this(0x1000);
  }

  /** @param firstSpi the first SPI handed out (tests fix it for reproducible output) */
  public NoneBackend(int firstSpi) {
    this.nextSpi = new AtomicInteger(firstSpi);
  }

  @Override
  public String name() {
    return "none";
  }

  @Override
  public Set<KernelFeature> features() {
    return EnumSet.of(KernelFeature.ESN, KernelFeature.UDP_ENCAP, KernelFeature.RAW_ESP, KernelFeature.AEAD,
        KernelFeature.TRAP_ACQUIRE, KernelFeature.IPV6, KernelFeature.ENCAP_UPDATE, KernelFeature.SEQ_ADVANCE);
  }

  @Override
  public int allocateSpi(SaEndpoints ends, IpsecProto proto) {
    // RFC 4303 §2.1: SPIs 1..255 are reserved by IANA.
    return nextSpi.getAndIncrement();
  }

  @Override
  public synchronized void addSa(SaId id, SaSpec spec) throws KernelException {
    if (sas.containsKey(id)) {
      throw new KernelException("cannot add SA " + id + ": an SA with this SPI already exists", 17);
    }
    sas.put(id, spec);
  }

  @Override
  public synchronized void updateSaEncap(SaId id, org.openswanj.kernel.UdpEncap encap) throws KernelException {
    SaSpec s = sas.get(id);
    if (s == null || s.encapsulation().udp() == null) {
      throw new KernelException("cannot update SA " + id + ": " + (s == null ? "no such SA" : "not UDP-encapsulated"), 3);
    }
    sas.put(id, new SaSpec(s.direction(), s.transform(), new org.openswanj.kernel.Encapsulation(s.encapsulation().mode(),
        encap), s.replay(), s.binding(), s.lifetime()));
  }

  /** Records the jump: the SA's first outbound sequence number moves by {@code delta} (RFC 6311 §5.2). */
  @Override
  public synchronized void advanceOutboundSeq(SaId id, long delta) throws KernelException {
    SaSpec s = sas.get(id);
    if (s == null || s.inbound() || delta < 1) {
      throw new KernelException("cannot advance SA " + id + ": " + (s == null ? "no such SA"
          : s.inbound() ? "inbound" : "delta " + delta + " < 1"), s == null ? 3 : 22);
    }
    org.openswanj.kernel.Replay r = s.replay();
    long first = Math.max(1, r.firstOutboundSeq());
    sas.put(id, new SaSpec(s.direction(), s.transform(), s.encapsulation(),
        new org.openswanj.kernel.Replay(r.window(), r.esn(), first > Long.MAX_VALUE - delta ? Long.MAX_VALUE
            : first + delta), s.binding(), s.lifetime()));
  }

  @Override
  public synchronized void deleteSa(SaId id) throws KernelException {
    if (sas.remove(id) == null) {
      throw new KernelException("cannot delete SA " + id + ": no such SA", 3);
    }
  }

  @Override
  public synchronized SaUsage querySa(SaId id) throws KernelException {
    if (!sas.containsKey(id)) {
      throw new KernelException("cannot query SA " + id + ": no such SA", 3);
    }
    return SaUsage.ZERO;
  }

  @Override
  public synchronized void addPolicy(PolicyId id, PolicySpec spec) throws KernelException {
    if (policies.containsKey(id)) {
      throw new KernelException("cannot add policy " + describe(id) + ": it already exists", 17);
    }
    policies.put(id, spec);
  }

  @Override
  public synchronized void replacePolicy(PolicyId id, PolicySpec spec) {
    policies.put(id, spec);
  }

  @Override
  public synchronized void deletePolicy(PolicyId id) throws KernelException {
    if (policies.remove(id) == null) {
      throw new KernelException("cannot delete policy " + describe(id) + ": no such policy", 2);
    }
  }

  @Override
  public synchronized void flush() {
    sas.clear();
    policies.clear();
  }

  @Override
  public void setListener(KernelListener listener) {
    this.listener = listener;
  }

  /** The listener pluto registered (tests raise events through it). */
  public KernelListener listener() {
    return listener;
  }

  public synchronized Map<SaId, SaSpec> sas() {
    return Map.copyOf(sas);
  }

  public synchronized Map<PolicyId, PolicySpec> policies() {
    return Map.copyOf(policies);
  }

  @Override
  public synchronized List<String> describe() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<SaId, SaSpec> e : sas.entrySet()) {
      SaSpec s = e.getValue();
      UdpEncap udp = s.encapsulation().udp();
      out.add(String.format("sa %s %s %s %s %s reqid=%d \"%s\"", e.getKey(), s.inbound() ? "in" : "out",
          s.encapsulation().mode().name().toLowerCase(java.util.Locale.ROOT), s.transform().describe(),
          udp == null ? "" : "encap=" + udp.srcPort() + ":" + udp.dstPort(), s.binding().reqid(), s.binding().name()));
    }
    policies.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<PolicyId, PolicySpec> e) -> -e.getKey().selector().specificity()))
        .forEach(e -> out.add(String.format("policy %s %s %s%s \"%s\"", describe(e.getKey()),
            e.getKey().direction().name().toLowerCase(java.util.Locale.ROOT),
            e.getValue().action().name().toLowerCase(java.util.Locale.ROOT),
            e.getValue().template().outboundSpi() != 0
                ? String.format(" spi=0x%08x", e.getValue().template().outboundSpi()) : "",
            e.getValue().name())));
    return out;
  }

  private static String describe(PolicyId id) {
    return id.selector().toString();
  }

  @Override
  public void close() {}
}
