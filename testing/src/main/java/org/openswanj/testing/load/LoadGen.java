package org.openswanj.testing.load;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loadgen}: an IKEv2 initiator that keeps a fixed number of PSK handshakes (IKE_SA_INIT + IKE_AUTH
 * with a Child SA) in flight against one responder, from many source addresses and IDs, and reports
 * handshakes/s, latency percentiles and failures by reason. Exit status 0: something completed and nothing
 * failed; 1: a failure or no completion; 2: bad options.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false,
    description = "IKEv2 PSK handshake load against one responder (AES-GCM, HMAC-SHA2-256, X25519).")
public final class LoadGen implements Callable<Integer> {
  @Option(names = "--target", required = true, description = "responder ADDRESS[:PORT] (port 500 by default)")
  String target;
  @Option(names = "--sources", description = "source addresses: A, A-B (IPv4 ranges), comma-separated; "
      + "each must be configured here (default: the kernel's choice)", defaultValue = "0.0.0.0")
  String sources;
  @Option(names = "--psk-file", description = "file holding the pre-shared key (one line)")
  Path pskFile;
  @Option(names = "--psk", description = "the pre-shared key (visible in ps: prefer --psk-file)")
  String psk;
  @Option(names = "--ids", defaultValue = "1000", description = "distinct IDi values (ID_FQDN)")
  int ids;
  @Option(names = "--id-format", defaultValue = "load%d.test", description = "IDi pattern, %%d = 0..ids-1")
  String idFormat;
  @Option(names = "--tsi-base", description = "TSi = this IPv4 address + the ID number (default: the source address)")
  String tsiBase;
  @Option(names = "--tsr", description = "TSr as A or A-B (default: the target address)")
  String tsr;
  @Option(names = "--concurrency", defaultValue = "32", description = "handshakes in flight")
  int concurrency;
  @Option(names = "--threads", defaultValue = "1", description = "worker threads (each owns some sources)")
  int threads;
  @Option(names = "--seconds", defaultValue = "5", description = "measured seconds")
  double seconds;
  @Option(names = "--warmup", defaultValue = "1", description = "seconds of load before measuring")
  double warmup;
  @Option(names = "--ke-reuse", defaultValue = "1", description = "handshakes per DH key pair (RFC 7296 §2.12)")
  int keReuse;
  @Option(names = "--key-bits", defaultValue = "128", description = "AES-GCM key size for IKE and ESP")
  int keyBits;
  @Option(names = "--no-delete", description = "keep the IKE SAs (default: delete each once established)")
  boolean noDelete;
  @Option(names = "--count", defaultValue = "0", description = "start this many handshakes in all, then end "
      + "when they are done (--seconds is then a cap, no warm-up); 0: run for --seconds")
  long count;
  @Option(names = "--init-only", description = "send IKE_SA_INIT only, never return a COOKIE nor send IKE_AUTH "
      + "(a flood of first messages from spoofed sources, as the responder sees it); answers count as completed, "
      + "COOKIEs as cookies")
  boolean initOnly;
  @Option(names = "--retransmit-ms", defaultValue = "500", description = "first retransmission timeout")
  long retransmitMs;
  @Option(names = "--tries", defaultValue = "3", description = "sends per request before giving up")
  int tries;

  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new LoadGen());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      System.err.println("loadgen: " + ex.getMessage());
      return 2;
    });
    System.exit(cl.execute(args));
  }

  @Override
  public Integer call() throws LoadException, IOException, InterruptedException {
    LoadPlan plan = plan();
    System.out.printf(Locale.ROOT, "loadgen: %s, %d sources, %d IDs, concurrency %d, %d thread(s), %.1f s after "
        + "%.1f s warm-up%n", plan.target(), plan.sources().size(), ids, concurrency, threads, seconds, warmup);
    Report r = run(plan);
    System.out.print(r.text());
    System.out.println(r.line());
    return r.completed() > 0 && r.failed() == 0 ? 0 : 1;
  }

  /** Runs the plan on its worker threads and merges what they counted. */
  static Report run(LoadPlan plan) throws LoadException, InterruptedException {
    int n = plan.shape().threads();
    long t0 = System.nanoTime();
    long windowStart = t0 + (long) (plan.timing().warmupSeconds() * 1e9);
    long end = windowStart + (long) (plan.timing().seconds() * 1e9);
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<InetAddress> mine = new ArrayList<>();
      for (int j = i; j < plan.sources().size(); j += n) {
        mine.add(plan.sources().get(j));
      }
      int share = plan.shape().concurrency() / n + (i < plan.shape().concurrency() % n ? 1 : 0);
      long quota = !plan.timing().counted() ? Long.MAX_VALUE
          : plan.timing().count() / n + (i < plan.timing().count() % n ? 1 : 0);
      try {
        workers.add(new Worker(plan, i, share, quota, mine, windowStart, end));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new LoadException("this JVM has no DRBG SecureRandom: " + e.getMessage());
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Recorder>> futures = new ArrayList<>();
      for (Worker w : workers) {
        futures.add(pool.submit(w));
      }
      List<Recorder> parts = new ArrayList<>();
      for (Future<Recorder> f : futures) {
        parts.add(get(f));
      }
      int inFlight = workers.stream().mapToInt(Worker::inFlight).sum();
      // a counted run is measured from its first request to its last answer
      double window = plan.timing().counted() ? (System.nanoTime() - t0) / 1e9 : plan.timing().seconds();
      return Recorder.merge(parts, window, inFlight);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Recorder get(Future<Recorder> f) throws LoadException, InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LoadException le) {
        throw le;
      }
      throw new LoadException("worker failed: " + e.getCause());
    }
  }

  private LoadPlan plan() throws LoadException, IOException {
    if (ids < 1 || concurrency < 1 || threads < 1 || keReuse < 1 || tries < 1 || retransmitMs < 1) {
      throw new LoadException("--ids, --concurrency, --threads, --ke-reuse, --tries and --retransmit-ms must be >= 1");
    }
    if (seconds <= 0 || warmup < 0) {
      throw new LoadException("--seconds must be > 0 and --warmup >= 0");
    }
    if (count < 0 || (count > 0 && warmup > 0)) {
      throw new LoadException("--count must be >= 0, and a counted run has no warm-up (give --warmup 0)");
    }
    if (!idFormat.contains("%d")) {
      throw new LoadException("--id-format needs a %d for the ID number, got '" + idFormat + "'");
    }
    int at = idFormat.indexOf("%d");
    LoadPlan.Identities idents = new LoadPlan.Identities(idFormat.substring(0, at), ids, idFormat.substring(at + 2));
    Suite suite;
    try {
      suite = new Suite(keyBits);
    } catch (IllegalArgumentException e) {
      throw new LoadException("--key-bits: " + e.getMessage());
    }
    List<InetAddress> src = Addresses.parseList(sources, "--sources");
    if (threads > src.size()) {
      throw new LoadException("--threads " + threads + " exceeds the " + src.size() + " source address(es)");
    }
    return new LoadPlan(Addresses.parseTarget(target), src, idents, selectors(),
        new LoadPlan.Shape(concurrency, threads, keReuse, !noDelete, suite, initOnly),
        new LoadPlan.Timing(warmup, seconds, retransmitMs, tries, count), readPsk());
  }

  private LoadPlan.Selectors selectors() throws LoadException {
    InetAddress base = tsiBase == null ? null : Addresses.parseList(tsiBase, "--tsi-base").get(0);
    org.openswanj.pluto.ike.wire.TrafficSelector r = null;
    if (tsr != null) {
      List<InetAddress> range = Addresses.parseList(tsr, "--tsr");
      r = org.openswanj.pluto.ike.wire.TrafficSelector.ofRange(range.get(0), range.get(range.size() - 1));
    }
    return new LoadPlan.Selectors(base, r, ids);
  }

  private byte[] readPsk() throws LoadException, IOException {
    if ((psk == null) == (pskFile == null)) {
      throw new LoadException("give the pre-shared key with exactly one of --psk-file FILE or --psk KEY");
    }
    String k = psk != null ? psk : Files.readString(pskFile, StandardCharsets.UTF_8).strip();
    if (k.isEmpty()) {
      throw new LoadException("the pre-shared key is empty" + (pskFile != null ? " in " + pskFile : ""));
    }
    return k.getBytes(StandardCharsets.UTF_8);
  }
}
