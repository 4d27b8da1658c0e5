package org.openswanj.pluto.ike.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loads the captured messages in src/test/resources/fixtures/*.hex (see capture.sh there). */
final class Fixtures {
  static final String[] FILES = {"ikev2", "ikev2-invalid-ke", "ikev1-main", "ikev1-aggressive"};

  private Fixtures() {}

  /** name → datagram, in capture order. */
  static Map<String, byte[]> load(String file) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + file + ".hex")) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + file);
      }
      Map<String, byte[]> out = new LinkedHashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        out.put(f[0], IkeCodec.unhex(f[1]));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every fixture as "file/name" → datagram. */
  static Map<String, byte[]> all() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String f : FILES) {
      load(f).forEach((k, v) -> out.put(f + "/" + k, v));
    }
    return out;
  }

  static byte[] get(String file, String name) {
    byte[] b = load(file).get(name);
    if (b == null) {
      throw new IllegalStateException("no " + name + " in " + file);
    }
    return b.clone();
  }
}
