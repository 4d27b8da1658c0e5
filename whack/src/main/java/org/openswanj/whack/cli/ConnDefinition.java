package org.openswanj.whack.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * whack's connection-defining form ({@code --host A --client S --id I --to --host B ... --psk
 * --encrypt --tunnel}) collected in command-line order and turned into ipsec.conf keywords, the form
 * pluto takes in an AddConn request. The first end is "left", the end after {@code --to} is "right".
 */
final class ConnDefinition {
  private final Map<String, String>[] ends = newEnds();
  private final Map<String, String> conn = new LinkedHashMap<>();
  private int end;
  private boolean toSeen;
  private boolean psk;
  private boolean rsasig;
  private boolean encrypt;
  private boolean authenticate;
  private boolean tunnel;

  @SuppressWarnings("unchecked")
  private static Map<String, String>[] newEnds() {
    return new Map[] {new LinkedHashMap<String, String>(), new LinkedHashMap<String, String>()};
  }

  /** An end option: {@code key} is the ipsec.conf keyword without its side ("", "subnet", "id"...). */
  void end(String key, String value) {
    ends[end].put(key, value);
  }

  void to() throws UsageException {
    if (!ends[0].containsKey("")) {
      throw new UsageException("connection missing --host before --to", 1);
    }
    toSeen = true;
    end = 1;
  }

  void conn(String keyword, String value) {
    conn.put(keyword, value);
  }

  void psk() {
    psk = true;
  }

  void rsasig() {
    rsasig = true;
  }

  void encrypt() {
    encrypt = true;
  }

  void authenticate() {
    authenticate = true;
  }

  void tunnel() {
    tunnel = true;
  }

  /** Whether any connection-defining option was given. */
  boolean present() {
    return toSeen || !ends[0].isEmpty() || !conn.isEmpty() || psk || rsasig || encrypt || authenticate || tunnel;
  }

  /** The keywords, checked as whack.c checks a connection description. */
  Map<String, String> keywords() throws UsageException {
    if (!toSeen) {
      throw new UsageException("connection description option, but no --to", 1);
    }
    if (!ends[1].containsKey("")) {
      throw new UsageException("connection missing --host after --to", 1);
    }
    if (!psk && !rsasig) {
      throw new UsageException("must specify --rsasig or --psk for a connection", 1);
    }
    Map<String, String> out = new LinkedHashMap<>();
    String[] sides = {"left", "right"};
    for (int i = 0; i < 2; i++) {
      for (Map.Entry<String, String> e : ends[i].entrySet()) {
        out.put(sides[i] + e.getKey(), e.getValue());
      }
    }
    out.put("authby", psk && rsasig ? "secret|rsasig" : psk ? "secret" : "rsasig");
    out.put("type", tunnel ? "tunnel" : "transport");
    if (authenticate && !encrypt) {
      out.put("phase2", "ah");
    } else if (encrypt) {
      out.put("phase2", "esp");
    }
    out.putAll(conn);
    return out;
  }
}
