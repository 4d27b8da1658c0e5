package org.openswanj.pluto.pki;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The little text forms Openswan 2.6's listings use (lib/libopenswan/oswtime.c, datatot.c; lib/libpluto/defs.c). */
final class OpenswanFormat {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ENGLISH);

  private OpenswanFormat() {}

  /** timetoa: "Nov 24 22:53:20 2010", or "Nov 24 22:53:20 UTC 2010" when listing in UTC. */
  static String time(Instant t, ZoneId zone) {
    var z = t.atZone(zone);
    boolean utc = zone.normalized().equals(ZoneOffset.UTC);
    return DAY.format(z) + (utc ? " UTC " : " ") + String.format(Locale.ROOT, "%04d", z.getYear());
  }

  /** datatot(..., ':'): lower-case hex bytes joined by ':' ("00:c3:5f"). */
  static String colonHex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < b.length; i++) {
      s.append(i == 0 ? "" : ":").append(String.format(Locale.ROOT, "%02x", b[i] & 0xff));
    }
    return s.toString();
  }

  /** A serial number as Openswan prints it: its DER content bytes in colon hex. */
  static String serial(BigInteger serial) {
    return colonHex(serial.toByteArray());
  }

  /** datatot(..., 'G'): upper-case hex in groups of four digits ("A1B2 C3D4"), as for the CKAID. */
  static String groupedHex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < b.length; i++) {
      s.append(i > 0 && i % 2 == 0 ? " " : "").append(String.format(Locale.ROOT, "%02X", b[i] & 0xff));
    }
    return s.toString();
  }

  /** check_expiry: "ok", "fatal (expired)" / "warning (expired)", "warning (expires in 3 days)". */
  static String expiry(Instant expires, Instant now, int warningDays, RevocationPolicy.Strict strict) {
    long left = Duration.between(now, expires).getSeconds();
    if (left < 0) {
      return strict == RevocationPolicy.Strict.YES ? "fatal (expired)" : "warning (expired)";
    }
    if (left > 86400L * warningDays) {
      return "ok";
    }
    String unit = "second";
    if (left > 172800) {
      left /= 86400;
      unit = "day";
    } else if (left > 7200) {
      left /= 3600;
      unit = "hour";
    } else if (left > 120) {
      left /= 60;
      unit = "minute";
    }
    return "warning (expires in " + left + " " + unit + (left == 1 ? "" : "s") + ")";
  }
}
