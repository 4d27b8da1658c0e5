package org.openswanj.cluster.etcd;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.cluster.codec.RecordCodec;
import org.openswanj.cluster.codec.RecordException;
import org.openswanj.cluster.state.SaRecord;

/**
 * A standby's in-memory copy of every SA record: a full read at revision R, then a watch from R + 1. When
 * the watch breaks (etcd restarted, history compacted) it reads everything again and watches from there, so
 * no update between the two is lost. A record that does not decode is skipped and logged (at most once per
 * key and reason), never applied.
 */
public final class WarmCopy implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(WarmCopy.class);
  private static final long RESYNC_MS = 500;

  private final KV kv;
  private final Watch watch;
  private final RecordCodec codec;
  private final ScheduledExecutorService timer;
  private final Map<String, SaRecord> records = new ConcurrentHashMap<>();
  private final Map<String, RecordException.Reason> refused = new ConcurrentHashMap<>();
  private volatile Watch.Watcher watcher;
  private volatile long revision;
  private volatile boolean closed;

  WarmCopy(KV kv, Watch watch, RecordCodec codec, ScheduledExecutorService timer) {
    this.kv = kv;
    this.watch = watch;
    this.codec = codec;
    this.timer = timer;
  }

  /** Every record now held, by etcd key. */
  public Map<String, SaRecord> snapshot() {
    return Map.copyOf(records);
  }

  /** The records of one virtual address. */
  public List<SaRecord> forVip(String vip) {
    return records.entrySet().stream().filter(e -> KeyLayout.vipOf(e.getKey()).equals(vip))
        .map(Map.Entry::getValue).toList();
  }

  /** The etcd revision the copy is known to be current at. */
  public long revision() {
    return revision;
  }

  void start() {
    if (closed) {
      return;
    }
    var prefix = KeyLayout.bytes(KeyLayout.saPrefix());
    kv.get(prefix, GetOption.builder().isPrefix(true).build()).whenComplete((resp, err) -> {
      if (err != null) {
        LOG.warn("cluster: warm copy read failed, retrying: {}", VipElection.rootMessage(err));
        timer.schedule(this::start, RESYNC_MS, TimeUnit.MILLISECONDS);
        return;
      }
      Map<String, SaRecord> fresh = new ConcurrentHashMap<>();
      for (KeyValue kvp : resp.getKvs()) {
        decode(kvp).ifPresent(r -> fresh.put(kvp.getKey().toString(StandardCharsets.UTF_8), r));
      }
      records.keySet().retainAll(fresh.keySet());
      records.putAll(fresh);
      revision = resp.getHeader().getRevision();
      watchFrom(revision + 1);
    });
  }

  private void watchFrom(long rev) {
    var opt = WatchOption.builder().isPrefix(true).withRevision(rev).build();
    watcher = watch.watch(KeyLayout.bytes(KeyLayout.saPrefix()), opt,
        Watch.listener(this::apply, this::broken, () -> broken(null)));
  }

  private void apply(WatchResponse resp) {
    for (WatchEvent ev : resp.getEvents()) {
      String key = ev.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
      if (ev.getEventType() == WatchEvent.EventType.DELETE) {
        records.remove(key);
      } else if (ev.getEventType() == WatchEvent.EventType.PUT) {
        decode(ev.getKeyValue()).ifPresent(r -> records.put(key, r));
      }
      revision = Math.max(revision, ev.getKeyValue().getModRevision());
    }
  }

  private void broken(Throwable err) {
    if (closed) {
      return;
    }
    LOG.warn("cluster: watch on SA records ended ({}); reading them again",
        err == null ? "closed by etcd" : VipElection.rootMessage(err));
    Watch.Watcher w = watcher;
    if (w != null) {
      w.close();
    }
    timer.schedule(this::start, RESYNC_MS, TimeUnit.MILLISECONDS);
  }

  private java.util.Optional<SaRecord> decode(KeyValue kvp) {
    String key = kvp.getKey().toString(StandardCharsets.UTF_8);
    try {
      SaRecord r = codec.decode(kvp.getValue().getBytes(), key);
      refused.remove(key);
      return java.util.Optional.of(r);
    } catch (RecordException e) {
      if (refused.put(key, e.reason()) != e.reason()) {
        LOG.warn("cluster: ignoring {}", e.getMessage());
      }
      records.remove(key);
      return java.util.Optional.empty();
    }
  }

  @Override
  public void close() {
    closed = true;
    Watch.Watcher w = watcher;
    if (w != null) {
      w.close();
    }
  }
}
