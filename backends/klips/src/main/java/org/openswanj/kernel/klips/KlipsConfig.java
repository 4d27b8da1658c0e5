package org.openswanj.kernel.klips;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.openswanj.kernel.KernelException;

/**
 * How the klips backend is set up: which {@code ipsecN} devices to create and the physical interface each
 * is bound to (Openswan's {@code interfaces="ipsec0=eth0"}), an optional {@code overridemtu}, the number
 * of queues per {@code ipsecN} device ({@code workers}: each queue has one thread that reads, encrypts and
 * sends; default 2, one per core of a small gateway) and the NAT-T keepalive interval (RFC 3948 §4, 20 s
 * by default).
 */
public record KlipsConfig(List<Binding> interfaces, int overrideMtu, int workers, Duration natKeepalive) {

  /** {@code ipsecN=physical}. */
  public record Binding(String ipsecName, String physical) {
    public Binding {
      Objects.requireNonNull(ipsecName, "ipsecName");
      Objects.requireNonNull(physical, "physical");
    }
  }

  public KlipsConfig {
    interfaces = List.copyOf(interfaces);
    Objects.requireNonNull(natKeepalive, "natKeepalive");
  }

  public static KlipsConfig of(List<Binding> interfaces) {
    return new KlipsConfig(interfaces, 0, 2, Duration.ofSeconds(20));
  }

  /**
   * Parses Openswan's {@code interfaces=} value: space-separated {@code ipsecN=dev} pairs, where
   * {@code dev} may be {@code %defaultroute}; {@code %defaultroute} alone means {@code ipsec0=} the
   * default-route interface (read from {@code /proc/net/route}).
   */
  public static KlipsConfig parse(String value) throws KernelException {
    List<Binding> out = new ArrayList<>();
    String v = value == null ? "" : value.trim();
    if (v.isEmpty() || v.equals("%defaultroute")) {
      out.add(new Binding("ipsec0", defaultRouteInterface(Path.of("/proc/net/route"))));
      return of(out);
    }
    for (String pair : v.split("\\s+")) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1 || !pair.substring(0, eq).matches("ipsec[0-9]+")) {
        throw new KernelException("interfaces=: \"" + pair + "\" is not of the form ipsecN=device");
      }
      String dev = pair.substring(eq + 1);
      out.add(new Binding(pair.substring(0, eq),
          dev.equals("%defaultroute") ? defaultRouteInterface(Path.of("/proc/net/route")) : dev));
    }
    return of(out);
  }

  /** The interface of the IPv4 default route in a {@code /proc/net/route}-format file. */
  static String defaultRouteInterface(Path routes) throws KernelException {
    try {
      for (String line : Files.readAllLines(routes)) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 8 && f[1].equals("00000000") && f[7].equals("00000000")) {
          return f[0];
        }
      }
    } catch (IOException e) {
      throw new KernelException("%defaultroute: cannot read " + routes + ": " + e.getMessage());
    }
    throw new KernelException("%defaultroute: there is no IPv4 default route in " + routes);
  }
}
