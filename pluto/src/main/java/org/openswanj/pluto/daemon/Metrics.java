package org.openswanj.pluto.daemon;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.openswanj.pluto.daemon.OpenMetrics.Family;
import org.openswanj.pluto.daemon.OpenMetrics.Sample;
import org.openswanj.pluto.daemon.OpenMetrics.Type;
import org.openswanj.pluto.engine.EngineMetrics;

/**
 * pluto's counters for {@code whack --metrics} and {@code metrics=}: what the engines report, in LongAdders
 * (written from any thread; every map is filled here and never changed after). Read as families by
 * {@link MetricsReport}, which adds the gauges and the kernel's counters.
 */
public final class Metrics implements EngineMetrics {
  private final Map<IkeVersion, LongAdder> started = adders(IkeVersion.class);
  private final Map<IkeVersion, LongAdder> completed = adders(IkeVersion.class);
  private final Map<IkeVersion, Map<Failure, LongAdder>> failed = perVersion(Failure.class);
  private final Map<IkeVersion, Map<Rekey, LongAdder>> rekeys = perVersion(Rekey.class);
  private final Map<IkeVersion, Map<Dpd, LongAdder>> dpd = perVersion(Dpd.class);
  private final Map<Drop, LongAdder> dropped = adders(Drop.class);

  @Override
  public void handshakeStarted(IkeVersion v) {
    started.get(v).increment();
  }

  @Override
  public void handshakeCompleted(IkeVersion v) {
    completed.get(v).increment();
  }

  @Override
  public void handshakeFailed(IkeVersion v, Failure why) {
    failed.get(v).get(why).increment();
  }

  @Override
  public void rekeyed(IkeVersion v, Rekey what) {
    rekeys.get(v).get(what).increment();
  }

  @Override
  public void dpd(IkeVersion v, Dpd what) {
    dpd.get(v).get(what).increment();
  }

  @Override
  public void dropped(Drop why) {
    dropped.get(why).increment();
  }

  /** The counters as families, every label value present (a zero is worth seeing). */
  List<Family> families() {
    List<Family> out = new ArrayList<>();
    out.add(new Family("pluto_ike_handshakes_started", Type.COUNTER,
        "IKE handshakes begun, as initiator or responder (IKEv2: IKE_SA_INIT; IKEv1: Main or Aggressive Mode).",
        versioned(started)));
    out.add(new Family("pluto_ike_handshakes_completed", Type.COUNTER,
        "IKE handshakes completed (IKEv2: IKE_AUTH with its Child SA; IKEv1: phase 1).", versioned(completed)));
    out.add(new Family("pluto_ike_handshakes_failed", Type.COUNTER,
        "IKE handshakes that failed, by reason.", nested(failed, "reason")));
    out.add(new Family("pluto_rekeys", Type.COUNTER,
        "Rekeys completed: kind=ike for an IKE/ISAKMP SA, kind=child for a Child/IPsec SA.", nested(rekeys, "kind")));
    out.add(new Family("pluto_dpd_events", Type.COUNTER,
        "Liveness (RFC 7296 2.4, RFC 3706): probes sent, and peers declared dead.", nested(dpd, "event")));
    List<Sample> drops = new ArrayList<>();
    dropped.forEach((why, n) -> drops.add(Sample.of(n.sum(), "reason", label(why))));
    out.add(new Family("pluto_ike_datagrams_dropped", Type.COUNTER,
        "Received IKE datagrams dropped, by reason (the pluto.dropped log lines, counted before rate-limiting).",
        drops));
    return out;
  }

  private static List<Sample> versioned(Map<IkeVersion, LongAdder> m) {
    List<Sample> out = new ArrayList<>();
    m.forEach((v, n) -> out.add(Sample.of(n.sum(), "ike_version", v.label())));
    return out;
  }

  private static <E extends Enum<E>> List<Sample> nested(Map<IkeVersion, Map<E, LongAdder>> m, String label) {
    List<Sample> out = new ArrayList<>();
    m.forEach((v, inner) -> inner.forEach((e, n) -> out.add(Sample.of(n.sum(), "ike_version", v.label(), label,
        label(e)))));
    return out;
  }

  static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static <E extends Enum<E>> Map<E, LongAdder> adders(Class<E> type) {
    return fill(type, e -> new LongAdder());
  }

  private static <E extends Enum<E>> Map<IkeVersion, Map<E, LongAdder>> perVersion(Class<E> type) {
    return fill(IkeVersion.class, v -> adders(type));
  }

  private static <K extends Enum<K>, V> Map<K, V> fill(Class<K> type, Function<K, V> value) {
    Map<K, V> m = new EnumMap<>(type);
    for (K k : type.getEnumConstants()) {
      m.put(k, value.apply(k));
    }
    return m;
  }
}
