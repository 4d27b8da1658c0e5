package org.openswanj.pluto.oe;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * One (name, type) query at a time through dnsjava, with the answer classified, cached by TTL (negative
 * answers too, RFC 2308 §5) and identical queries in flight merged into one. Thread-safe; never blocks.
 */
final class DnsQueries {
  /** Longest we keep anything, whatever its TTL (resolvers cap too: BIND's max-cache-ttl is a week). */
  static final Duration MAX_TTL = Duration.ofDays(1);
  private static final int MAX_CNAME_CHAIN = 8;

  private record Key(Name name, int type) {}

  private final Resolver resolver;
  private final boolean validating;
  private final Clock clock;
  private final Executor executor;
  private final int maxEntries;
  private final Map<Key, DnsAnswer> cache = new ConcurrentHashMap<>();
  private final Map<Key, CompletableFuture<DnsAnswer>> pending = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();

  DnsQueries(Resolver resolver, boolean validating, Clock clock, Executor executor, int maxEntries) {
    this.resolver = resolver;
    this.validating = validating;
    this.clock = clock;
    this.executor = executor;
    this.maxEntries = maxEntries;
  }

  /** The answer from the cache if still fresh, else from the servers (merged with the same query in flight). */
  CompletableFuture<DnsAnswer> query(Name name, int type) {
    Key key = new Key(name, type);
    DnsAnswer cached = cache.get(key);
    if (cached != null && cached.expires().isAfter(clock.instant())) {
      return CompletableFuture.completedFuture(cached);
    }
    CompletableFuture<DnsAnswer> mine = new CompletableFuture<>();
    CompletableFuture<DnsAnswer> inFlight = pending.putIfAbsent(key, mine);
    if (inFlight != null) {
      return inFlight;
    }
    send(key).whenComplete((a, e) -> {
      pending.remove(key, mine);
      if (a != null && a.cacheable(clock.instant())) {
        store(key, a);
      }
      mine.complete(a != null ? a : fromException(e));
    });
    return mine;
  }

  /** Queries sent to the servers so far (cache hits and merged queries do not count). */
  long sent() {
    return sent.get();
  }

  private CompletableFuture<DnsAnswer> send(Key key) {
    sent.incrementAndGet();
    Message q = Message.newQuery(Record.newRecord(key.name(), key.type(), DClass.IN));
    CompletableFuture<DnsAnswer> f;
    try {
      f = resolver.sendAsync(q, executor).toCompletableFuture()
          .handle((m, e) -> e != null ? fromException(e) : classify(key, m));
    } catch (RuntimeException e) {
      f = CompletableFuture.completedFuture(fromException(e));
    }
    return f;
  }

  private void store(Key key, DnsAnswer a) {
    if (cache.size() >= maxEntries) {
      Instant now = clock.instant();
      cache.values().removeIf(old -> !old.expires().isAfter(now));
      if (cache.size() >= maxEntries) {
        cache.clear();
      }
    }
    cache.put(key, a);
  }

  private DnsAnswer fromException(Throwable e) {
    Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    Instant now = clock.instant();
    if (c instanceof TimeoutException || c instanceof SocketTimeoutException) {
      return DnsAnswer.failure(DnsAnswer.Kind.TIMEOUT, DnssecStatus.UNVALIDATED, now, "no answer from the DNS server");
    }
    if (c instanceof PortUnreachableException) {
      return DnsAnswer.failure(DnsAnswer.Kind.ERROR, DnssecStatus.UNVALIDATED, now, "DNS server unreachable");
    }
    String what = c instanceof IOException ? "DNS query failed" : "DNS query failed unexpectedly";
    return DnsAnswer.failure(DnsAnswer.Kind.ERROR, DnssecStatus.UNVALIDATED, now,
        what + ": " + (c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName()));
  }

  /** RFC 1035 §4.1.1 rcodes, RFC 2308 negative answers, and the validator's verdict (AD flag, RFC 4035 §3.2.3). */
  private DnsAnswer classify(Key key, Message m) {
    Instant now = clock.instant();
    String why = validatorReason(m);
    int rcode = m.getRcode();
    if (validating && rcode == Rcode.SERVFAIL && why != null) {
      return DnsAnswer.failure(DnsAnswer.Kind.BOGUS, DnssecStatus.BOGUS, now, why);
    }
    DnssecStatus sec = !validating ? DnssecStatus.UNVALIDATED
        : m.getHeader().getFlag(Flags.AD) ? DnssecStatus.SECURE : DnssecStatus.INSECURE;
    String secWhy = sec == DnssecStatus.INSECURE
        ? (why != null ? why : "the answer is not signed under any configured trust anchor") : null;
    if (rcode == Rcode.NXDOMAIN) {
      return negative(m, sec, now, "NXDOMAIN" + (secWhy != null ? "; " + secWhy : ""));
    }
    if (rcode != Rcode.NOERROR) {
      return DnsAnswer.failure(DnsAnswer.Kind.ERROR, sec, now, "the DNS server answered " + Rcode.string(rcode));
    }
    List<Record> rrs = chase(key, m.getSection(Section.ANSWER));
    if (rrs.isEmpty()) {
      return negative(m, sec, now, "no " + Type.string(key.type()) + " record" + (secWhy != null ? "; " + secWhy : ""));
    }
    long ttl = rrs.stream().mapToLong(Record::getTTL).min().orElse(0);
    return new DnsAnswer(DnsAnswer.Kind.POSITIVE, rrs, sec, now.plus(cap(ttl)), secWhy);
  }

  /** RFC 2308 §5: cached for min(SOA TTL, SOA MINIMUM); without an SOA in the authority section, not at all. */
  private static DnsAnswer negative(Message m, DnssecStatus sec, Instant now, String reason) {
    Instant expires = now;
    for (Record r : m.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) {
        expires = now.plus(cap(Math.min(soa.getTTL(), soa.getMinimum())));
      }
    }
    return new DnsAnswer(DnsAnswer.Kind.NEGATIVE, List.of(), sec, expires, reason);
  }

  /** The records of the type asked for at the end of the CNAME chain that starts at the query name. */
  private static List<Record> chase(Key key, List<Record> answer) {
    Name name = key.name();
    for (int hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
      List<Record> found = new ArrayList<>();
      Name next = null;
      for (Record r : answer) {
        if (r.getName().equals(name) && r.getType() == key.type()) {
          found.add(r);
        } else if (r.getName().equals(name) && r instanceof CNAMERecord c) {
          next = c.getTarget();
        }
      }
      if (!found.isEmpty() || next == null) {
        return found;
      }
      name = next;
    }
    return List.of();
  }

  private static Duration cap(long ttlSeconds) {
    Duration d = Duration.ofSeconds(Math.max(0, ttlSeconds));
    return d.compareTo(MAX_TTL) > 0 ? MAX_TTL : d;
  }

  /** dnsjava's validator puts its reason in a TXT record of class 65280 in the additional section. */
  private static String validatorReason(Message m) {
    for (Record r : m.getSection(Section.ADDITIONAL)) {
      if (r.getType() == Type.TXT && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        return String.join("", ((org.xbill.DNS.TXTRecord) r).getStrings());
      }
    }
    return null;
  }
}
