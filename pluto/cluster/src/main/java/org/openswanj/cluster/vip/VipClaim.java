package org.openswanj.cluster.vip;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Claims a virtual IPv4 address on a LAN interface for the node that became active: adds it ({@code ip addr
 * add}) and announces it with gratuitous ARP ({@code arping -U}, RFC 5227 §3 "ARP Announcement"), so hosts
 * and routers on the LAN move their neighbour entry to our MAC at once instead of when it times out. Release
 * removes the address (a fenced node must stop answering ARP for it). IPv6 (unsolicited neighbour
 * advertisements) is not done yet and is refused by name.
 *
 * <p>An address claimed with a lifetime ({@link #add(InetAddress, Duration)}) is the kernel's to remove when it
 * runs out ({@code valid_lft}): the holder renews it while it lives, so a node whose daemon died ({@code kill
 * -9}, a crash: nobody left to release it) stops answering ARP for the address within that time instead of
 * holding it until the daemon is started again.
 *
 * <p>{@code commandPrefix} runs the commands elsewhere, e.g. {@code ip netns exec NS} in tests; empty for the
 * host itself. Commands run on the caller's thread and are bounded by a timeout.
 */
public final class VipClaim {
  private static final long TIMEOUT_S = 10;
  private static final int ANNOUNCEMENTS = 2;

  private final List<String> commandPrefix;
  private final String device;

  public VipClaim(List<String> commandPrefix, String device) {
    this.commandPrefix = List.copyOf(commandPrefix);
    this.device = device;
  }

  public void claim(InetAddress vip) throws VipClaimException {
    add(vip);
    announce(vip);
  }

  /** The address alone, for good ({@code ip addr add VIP/32}): a takeover can start while {@link #announce} runs. */
  public void add(InetAddress vip) throws VipClaimException {
    String a = ipv4(vip);
    Result add = run(List.of("ip", "addr", "add", a + "/32", "dev", device));
    if (add.code != 0 && !add.output.contains("File exists") && !add.output.contains("already assigned")) {
      throw failed("ip addr add " + a + "/32 dev " + device, add);
    }
  }

  /**
   * The address for {@code lifetime} (whole seconds, at least 1), from now: {@code ip addr replace VIP/32 dev D
   * valid_lft S preferred_lft S}, which adds it or renews one we hold. The kernel removes it when the time runs
   * out unless this is called again first.
   */
  public void add(InetAddress vip, Duration lifetime) throws VipClaimException {
    String a = ipv4(vip);
    String secs = Long.toString(Math.max(1, lifetime.toSeconds()));
    Result add = run(List.of("ip", "addr", "replace", a + "/32", "dev", device, "valid_lft", secs, "preferred_lft",
        secs));
    if (add.code != 0) {
      throw failed("ip addr replace " + a + "/32 dev " + device + " valid_lft " + secs, add);
    }
  }

  /** Gratuitous ARP for an address we hold (RFC 5227 §3); returns after the last announcement. */
  public void announce(InetAddress vip) throws VipClaimException {
    String a = ipv4(vip);
    Result garp = run(List.of("arping", "-U", "-c", String.valueOf(ANNOUNCEMENTS), "-w", "2", "-I", device, a));
    // arping -U exits 1 because nobody replies to an announcement; only a failure to send is an error
    if (garp.code > 1 || garp.output.contains("Cannot") || garp.output.contains("unknown iface")) {
      throw failed("arping -U -I " + device + " " + a, garp);
    }
  }

  public void release(InetAddress vip) throws VipClaimException {
    String a = ipv4(vip);
    Result del = run(List.of("ip", "addr", "del", a + "/32", "dev", device));
    if (del.code != 0 && !del.output.contains("Cannot assign requested address")
        && !del.output.contains("Address not found")) {
      throw failed("ip addr del " + a + "/32 dev " + device, del);
    }
  }

  private static String ipv4(InetAddress vip) throws VipClaimException {
    if (!(vip instanceof Inet4Address)) {
      throw new VipClaimException("cluster-vip=" + vip.getHostAddress() + ": only IPv4 virtual addresses can be "
          + "claimed so far (no unsolicited neighbour advertisements yet)");
    }
    return vip.getHostAddress();
  }

  private record Result(int code, String output) {}

  private Result run(List<String> cmd) throws VipClaimException {
    List<String> full = new ArrayList<>(commandPrefix);
    full.addAll(cmd);
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new VipClaimException(String.join(" ", cmd) + ": no answer within " + TIMEOUT_S + " s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new VipClaimException(String.join(" ", cmd) + ": cannot run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VipClaimException(String.join(" ", cmd) + ": interrupted");
    }
  }

  private static VipClaimException failed(String what, Result r) {
    String first = r.output.lines().findFirst().orElse("");
    return new VipClaimException(what + ": exit " + r.code + (first.isEmpty() ? "" : ": " + first));
  }
}
