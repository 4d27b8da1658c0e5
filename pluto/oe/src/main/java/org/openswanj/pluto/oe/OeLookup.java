package org.openswanj.pluto.oe;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.openswanj.pluto.oe.OeRecords.Candidate;
import org.openswanj.pluto.oe.OeRecords.Via;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * One look-up: the IPSECKEY, TXT and KEY records at the target's name, then for each gateway they name its
 * address (A/AAAA of a gateway name) and, when the record carried no key, the gateway's own key (IPSECKEY, TXT
 * or KEY at the gateway's name, accepted only if it names the gateway itself: delegation is one level deep).
 * With DNSSEC on, every answer used must be secure; the others are refused with the validator's reason.
 */
final class OeLookup {
  private static final int[] TARGET_TYPES = {Type.IPSECKEY, Type.TXT, Type.KEY};

  private final OeTarget target;
  private final DnsQueries dns;
  private final boolean validating;
  private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
  private final LookupProblems problems = new LookupProblems();
  private DnssecStatus weakest;

  OeLookup(OeTarget target, DnsQueries dns, boolean validating) {
    this.target = target;
    this.dns = dns;
    this.validating = validating;
    this.weakest = validating ? DnssecStatus.SECURE : DnssecStatus.UNVALIDATED;
  }

  CompletableFuture<OeLookupResult> run() {
    Name name = target.queryName();
    return candidates(name).thenCompose(cands -> {
      List<CompletableFuture<List<OeGateway>>> each = cands.stream().map(this::resolve).toList();
      return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
        Map<String, OeGateway> unique = new LinkedHashMap<>();
        each.forEach(f -> f.join().forEach(g -> unique.putIfAbsent(g.address() + " " + g.key().key(), g)));
        return result(name, List.copyOf(unique.values()));
      });
    });
  }

  /** Every usable record at {@code name}, best first (stable: ties keep the order the server gave). */
  private CompletableFuture<List<Candidate>> candidates(Name name) {
    return parsed(name, Type.IPSECKEY, Type.TXT, Type.KEY).thenApply(out -> {
      List<Candidate> sorted = new ArrayList<>(out);
      sorted.sort(Comparator.comparingInt(Candidate::rank));
      return sorted;
    });
  }

  /** The records of these types at {@code name} that parse as OE records, in the order asked. */
  private CompletableFuture<List<Candidate>> parsed(Name name, int... types) {
    List<CompletableFuture<DnsAnswer>> answers = new ArrayList<>();
    for (int type : types) {
      answers.add(dns.query(name, type));
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<Candidate> out = new ArrayList<>();
      for (int i = 0; i < types.length; i++) {
        DnsAnswer a = answers.get(i).join();
        for (Record r : usable(a, types[i], name)) {
          candidate(r, source(r, a)).ifPresent(out::add);
        }
      }
      return out;
    });
  }

  private Optional<Candidate> candidate(Record r, KeySource src) {
    try {
      if (r instanceof IPSECKEYRecord k) {
        return Optional.of(OeRecords.ipseckey(k, src));
      }
      if (r instanceof TXTRecord t) {
        return OeRecords.txt(t, src);
      }
      if (r instanceof KEYRecord k) {
        return Optional.of(OeRecords.key(k, src));
      }
    } catch (OeRecordException e) {
      notes.add("dropped " + src + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  /** The gateways one candidate yields: its address(es) times its key(s). */
  private CompletableFuture<List<OeGateway>> resolve(Candidate c) {
    int precedence = c.rank() & 0xFFFF;
    if (c.via() instanceof Via.Self) {
      Optional<InetAddress> self = target instanceof OeTarget.Address a ? Optional.of(a.address()) : Optional.empty();
      return done(List.of(new OeGateway(precedence, self, Optional.empty(), learned(c))));
    }
    if (c.via() instanceof Via.Address a) {
      return keysOf(c, ReverseMap.fromAddress(a.address()), a.address()).thenApply(keys -> keys.stream()
          .map(k -> new OeGateway(precedence, Optional.of(a.address()), Optional.empty(), k)).toList());
    }
    Name gw = ((Via.Named) c.via()).name();
    CompletableFuture<List<InetAddress>> addrs = addresses(gw);
    CompletableFuture<List<LearnedKey>> keys = keysOf(c, gw, null);
    return addrs.thenCombine(keys, (as, ks) -> {
      if (as.isEmpty()) {
        notes.add("gateway " + gw + " named by " + c.source() + " has no address");
      }
      List<OeGateway> out = new ArrayList<>();
      as.forEach(a -> ks.forEach(k -> out.add(new OeGateway(precedence, Optional.of(a), Optional.of(gw), k))));
      return out;
    });
  }

  /** The key the record carried, or else the gateway's own key from its own records. */
  private CompletableFuture<List<LearnedKey>> keysOf(Candidate c, Name gwName, InetAddress gwAddress) {
    if (c.key().isPresent()) {
      return done(List.of(learned(c)));
    }
    return parsed(gwName, Type.IPSECKEY, Type.KEY).thenApply(cands -> {
      List<LearnedKey> out = cands.stream().filter(k -> k.key().isPresent() && namesItself(k.via(), gwAddress))
          .map(OeLookup::learned).toList();
      if (out.isEmpty()) {
        notes.add("gateway " + gwName + " named by " + c.source() + " publishes no key of its own");
      }
      return out;
    });
  }

  private static boolean namesItself(Via via, InetAddress gwAddress) {
    return via instanceof Via.Self || (via instanceof Via.Address a && a.address().equals(gwAddress));
  }

  private CompletableFuture<List<InetAddress>> addresses(Name gw) {
    CompletableFuture<DnsAnswer> a = dns.query(gw, Type.A);
    CompletableFuture<DnsAnswer> aaaa = dns.query(gw, Type.AAAA);
    return a.thenCombine(aaaa, (x, y) -> {
      List<InetAddress> out = new ArrayList<>();
      for (Record r : usable(x, Type.A, gw)) {
        out.add(((ARecord) r).getAddress());
      }
      for (Record r : usable(y, Type.AAAA, gw)) {
        out.add(((AAAARecord) r).getAddress());
      }
      return out;
    });
  }

  /** The records of a positive answer we may use; every other outcome is noted with why. */
  private List<Record> usable(DnsAnswer a, int type, Name name) {
    if (a.kind() == DnsAnswer.Kind.BOGUS || a.kind() == DnsAnswer.Kind.POSITIVE || a.kind() == DnsAnswer.Kind.NEGATIVE) {
      weaken(a.dnssec());
    }
    switch (a.kind()) {
      case POSITIVE, NEGATIVE -> {
        if (validating && a.dnssec() != DnssecStatus.SECURE) {
          problems.add(OeOutcome.DNSSEC_REFUSED, type, name, "DNSSEC: refused " + a.dnssec().describe() + " answer", a.reason());
          return List.of();
        }
        return a.records();
      }
      case BOGUS -> problems.add(OeOutcome.DNSSEC_REFUSED, type, name, "DNSSEC: bogus", a.reason());
      case TIMEOUT -> problems.add(OeOutcome.TIMEOUT, type, name, "no answer", a.reason());
      case ERROR -> problems.add(OeOutcome.DNS_ERROR, type, name, "failed", a.reason());
    }
    return List.of();
  }

  private synchronized void weaken(DnssecStatus s) {
    weakest = weakest.weakest(s);
  }

  private OeLookupResult result(Name name, List<OeGateway> gateways) {
    List<String> n = new ArrayList<>(notes);
    n.addAll(problems.lines());
    if (!gateways.isEmpty()) {
      return new OeLookupResult(target, OeOutcome.FOUND, gateways, weakest(), "", n);
    }
    OeOutcome why = problems.worst().orElse(OeOutcome.NO_KEY);
    String reason = why == OeOutcome.NO_KEY ? "no usable IPSECKEY, TXT or KEY record at " + name
        + (n.isEmpty() ? "" : " (" + String.join("; ", n) + ")") : String.join("; ", problems.lines());
    DnssecStatus sec = why == OeOutcome.NO_KEY || why == OeOutcome.DNSSEC_REFUSED ? weakest() : DnssecStatus.UNVALIDATED;
    return new OeLookupResult(target, why, List.of(), sec, reason, n);
  }

  private synchronized DnssecStatus weakest() {
    return weakest;
  }

  private static KeySource source(Record r, DnsAnswer a) {
    return new KeySource(r.getType(), r.getName(), a.expires(), a.dnssec());
  }

  private static LearnedKey learned(Candidate c) {
    return new LearnedKey(c.key().orElseThrow(), c.source());
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
