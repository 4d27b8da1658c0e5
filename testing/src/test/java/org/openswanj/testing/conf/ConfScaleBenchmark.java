package org.openswanj.testing.conf;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;
import org.openswanj.conf.ConfigLoader;
import org.openswanj.conf.LoadResult;

/**
 * Scale benchmark (not a timed test) for ipsec.conf loading: generates configs with 1,000 / 10,000 / 100,000
 * conns (%default, two-level also= chains, mixed keywords), then parses, validates and models each and prints
 * wall and CPU time (best of 3) and the per-conn times, which stay flat when growth is linear. CPU time is
 * shown because wall time on a shared machine includes waiting for a core. Target: 10,000 conns under 2 s.
 *
 * <p>Run through {@code testing/bench/conf-scale}, optionally with the sizes as arguments. {@code --write N FILE
 * LEFT} writes the same config with {@code N} conns, each {@code auto=add} and with {@code left=LEFT} (pluto adds
 * only conns with an end on one of its interfaces), for the script's whack measurement.
 */
public final class ConfScaleBenchmark {
  private ConfScaleBenchmark() {}

  public static void main(String[] args) throws java.io.IOException {
    if (args.length == 4 && args[0].equals("--write")) {
      java.nio.file.Files.writeString(Path.of(args[2]), generate(Integer.parseInt(args[1]), args[3]));
      return;
    }
    int[] sizes = args.length == 0 ? new int[] {1_000, 10_000, 100_000} : parse(args);
    load(generate(2_000), "warm-up"); // let the JIT see the parser once before measuring
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    System.out.printf(Locale.ROOT, "%10s %10s %10s %14s %14s %9s%n", "conns", "wall ms", "cpu ms", "wall us/conn",
        "cpu us/conn", "text MB");
    for (int n : sizes) {
      String text = generate(n);
      long bestWall = Long.MAX_VALUE;
      long bestCpu = Long.MAX_VALUE;
      for (int run = 0; run < 3; run++) {
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        load(text, "n=" + n);
        bestWall = Math.min(bestWall, System.nanoTime() - t0);
        bestCpu = Math.min(bestCpu, cpu.getCurrentThreadCpuTime() - c0);
      }
      System.out.printf(Locale.ROOT, "%10d %10.1f %10.1f %14.2f %14.2f %9.1f%n", n, bestWall / 1e6, bestCpu / 1e6,
          bestWall / 1e3 / n, bestCpu / 1e3 / n, text.length() / 1e6);
    }
  }

  private static int[] parse(String[] args) {
    int[] s = new int[args.length];
    for (int i = 0; i < args.length; i++) {
      s[i] = Integer.parseInt(args[i]);
    }
    return s;
  }

  private static void load(String text, String what) {
    LoadResult r = ConfigLoader.parse(text, Path.of("generated-ipsec.conf"));
    if (r.hasErrors()) {
      throw new IllegalStateException(what + ": generated config has errors: " + r.diagnostics().get(0).format());
    }
  }

  static String generate(int n) {
    return generate(n, null);
  }

  /**
   * A config with {@code n} conns; every conn uses also= (two levels) and %default. With a {@code left} address,
   * every conn has it as its left end and the quarter that would be auto=ignore (the default) is auto=add too.
   */
  static String generate(int n, String left) {
    boolean allAdded = left != null;
    StringBuilder b = new StringBuilder(n * 220);
    b.append("version 2.0\n\nconfig setup\n\tprotostack=netkey\n\tnat_traversal=yes\n")
        .append("\tvirtual_private=%v4:10.0.0.0/8,%v4:!10.255.0.0/16\n\n")
        .append("conn %default\n\tkeyingtries=%forever\n\tikelifetime=8h\n\tkeylife=1h\n\tdpddelay=30\n\n")
        .append("conn crypto-a\n\tike=aes256-sha2_256-modp2048,aes128-sha1;modp1536\n\tphase2alg=aes128-sha1\n\n")
        .append("conn crypto-b\n\tike=aes128gcm16-prfsha256-modp2048\n\tphase2alg=aes_gcm_c-256\n\tikev2=insist\n\n");
    for (int t = 0; t < 16; t++) {
      b.append("conn site").append(t).append("\n\talso=").append(t % 2 == 0 ? "crypto-a" : "crypto-b")
          .append("\n\tleft=").append(allAdded ? left : "192.0.2." + (t + 1)).append("\n\tleftid=@gw").append(t)
          .append(".example.com\n\tleftsubnet=10.").append(t).append(".0.0/16\n\n");
    }
    for (int i = 0; i < n; i++) {
      int a = (i >> 8) & 0xff;
      int c = i & 0xff;
      b.append("conn tunnel").append(i).append("\n\talso=site").append(i % 16)
          .append("\n\tright=198.").append(18 + (i >> 16)).append('.').append(a).append('.').append(c)
          .append("\n\trightsubnet=172.").append(16 + (i >> 16)).append('.').append(a).append(".0/24")
          .append("\n\trightid=@peer").append(i).append(".example.net");
      switch (i % 4) {
        case 0 -> b.append("\n\tauthby=secret\n\tauto=start");
        case 1 -> b.append("\n\tauthby=rsasig\n\trightrsasigkey=%dnsondemand\n\tauto=add");
        case 2 -> b.append("\n\tdpdaction=restart\n\tdpdtimeout=2m\n\tauto=route");
        default -> b.append("\n\trightprotoport=udp/l2tp\n\ttype=transport\n\tpfs=no")
            .append(allAdded ? "\n\tauto=add" : "");
      }
      b.append("\n\n");
    }
    return b.toString();
  }
}
