package org.openswanj.pluto.oe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Finds an OE peer's gateways and keys in DNS, asynchronously: {@link #lookup} returns at once and its future
 * completes on this resolver's own threads (never the caller's), within the configured timeout. Answers are
 * cached by TTL (negative ones by RFC 2308 §5); at most {@code maxInFlight} look-ups run at once, the rest fail
 * at once as {@link OeOutcome#BUSY}. With DNSSEC on (a trust anchor configured), dnsjava's validating resolver
 * checks every answer and only secure ones are used.
 */
public final class OeKeyResolver implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger("pluto");
  private static final int CACHE_ENTRIES = 4096;
  private static final int THREADS = 2;

  private final OeResolverConfig config;
  private final Clock clock;
  private final ExecutorService executor;
  private final DnsQueries dns;
  private final Semaphore slots;
  private final LearnedKeys learned = new LearnedKeys();

  /**
   * Look-ups through {@code head} (a dnsjava resolver: the recursive servers, or a fake in tests), validated
   * when {@code config.dnssec()} has anchors; {@code clock} drives TTLs and signature validity.
   */
  public OeKeyResolver(Resolver head, OeResolverConfig config, Clock clock) throws OeConfigException {
    this.config = config;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "oe-dns-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    head.setTimeout(config.timeout());
    Resolver r = config.dnssec().enabled() ? validating(head, config.dnssec(), clock) : head;
    this.dns = new DnsQueries(r, config.dnssec().enabled(), clock, executor, CACHE_ENTRIES);
    this.slots = new Semaphore(config.maxInFlight());
  }

  /** Look-ups through the configured servers, or those of /etc/resolv.conf when none are configured. */
  public static OeKeyResolver create(OeResolverConfig config) throws OeConfigException {
    List<InetSocketAddress> servers = config.servers().isEmpty() ? ResolverConfig.getCurrentConfig().servers()
        : config.servers();
    if (servers.isEmpty()) {
      throw new OeConfigException("no DNS server: none configured and none in /etc/resolv.conf");
    }
    List<Resolver> each = servers.stream().map(s -> (Resolver) new SimpleResolver(s)).collect(Collectors.toList());
    Resolver head = each.size() == 1 ? each.get(0) : new ExtendedResolver(each);
    return new OeKeyResolver(head, config, Clock.systemUTC());
  }

  private static Resolver validating(Resolver head, DnssecConfig dnssec, Clock clock) throws OeConfigException {
    ValidatingResolver v = new ValidatingResolver(head, clock);
    String zone = dnssec.anchors().stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n"));
    try {
      v.loadTrustAnchors(new ByteArrayInputStream(zone.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new OeConfigException("DNSSEC trust anchors rejected by the validator: " + e.getMessage());
    }
    return v;
  }

  /** The keys and gateways of the host at {@code address} (its reverse name). */
  public CompletableFuture<OeLookupResult> lookup(InetAddress address) {
    return lookup(new OeTarget.Address(address));
  }

  /** The keys and gateways of {@code target}; completes within the configured timeout, never exceptionally. */
  public CompletableFuture<OeLookupResult> lookup(OeTarget target) {
    if (!slots.tryAcquire()) {
      return CompletableFuture.completedFuture(OeLookupResult.failure(target, OeOutcome.BUSY,
          config.maxInFlight() + " OE look-ups already in flight (the limit); not sent"));
    }
    CompletableFuture<OeLookupResult> f = CompletableFuture
        // started on our thread: dnsjava's sendAsync may do socket set-up work, never on the caller's
        .supplyAsync(() -> new OeLookup(target, dns, config.dnssec().enabled()).run(), executor)
        .thenCompose(running -> running)
        .exceptionally(e -> OeLookupResult.failure(target, OeOutcome.DNS_ERROR, "look-up failed: " + e))
        .completeOnTimeout(OeLookupResult.failure(target, OeOutcome.TIMEOUT, "no answer within "
            + config.timeout().toMillis() + " ms"), config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    // the caller's continuations run on our threads, not on the timer's or the DNS selector's
    return f.whenCompleteAsync((r, e) -> {
      slots.release();
      if (r != null) {
        record(r);
      }
    }, executor);
  }

  private void record(OeLookupResult r) {
    r.notes().forEach(note -> LOG.info("OE look-up for {}: {}", r.target(), note));
    r.gateways().forEach(g -> learned.add(g.key()));
  }

  /** Every key learned from DNS whose record has not expired (for {@code whack --listpubkeys}). */
  public List<LearnedKey> learnedKeys() {
    return learned.current(clock.instant());
  }

  public DnssecConfig dnssec() {
    return config.dnssec();
  }

  /** Look-ups running now. */
  public int inFlight() {
    return config.maxInFlight() - slots.availablePermits();
  }

  /** DNS queries sent to the servers so far (a look-up answered from the cache sends none). */
  public long queriesSent() {
    return dns.sent();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
