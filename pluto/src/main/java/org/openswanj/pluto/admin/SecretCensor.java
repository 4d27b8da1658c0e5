package org.openswanj.pluto.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Censors key material for a support dump, as Openswan's _secretcensor: ipsec.secrets keeps its selectors and
 * key types, every secret becomes {@code [sums to abcd...]} (the first 16 bits of its MD5, enough to compare two
 * dumps); in an RSA block every field value goes. Kernel SA dumps ({@code ip xfrm state}) lose their key bytes.
 */
final class SecretCensor {
  private static final Pattern SECRET_LINE = Pattern.compile(
      "^(.*:\\s*(PSK|XAUTH|EAP|PIN|NTLM|RSA|ECDSA|CLUSTER)\\b)(.*)$", Pattern.CASE_INSENSITIVE);
  private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"");
  private static final Pattern KERNEL_KEY = Pattern.compile("^(\\s*(?:enc|auth|auth-trunc|aead|comp)\\s+\\S+\\s+)0x[0-9a-fA-F]+");

  private SecretCensor() {}

  static String secrets(String text) {
    StringBuilder out = new StringBuilder();
    boolean block = false;
    for (String line : text.split("\n", -1)) {
      String t = line.trim();
      if (block) {
        block = !t.startsWith("}");
        out.append(block && !t.startsWith("#") && !t.isEmpty() ? blockField(line) : line);
      } else if (t.startsWith("#") || t.isEmpty() || t.startsWith("include")) {
        out.append(line);
      } else {
        Matcher m = SECRET_LINE.matcher(line);
        if (!m.matches()) {
          out.append(line); // a selector-only continuation: no secret in it
        } else if (m.group(3).trim().startsWith("{")) {
          block = !m.group(3).contains("}");
          out.append(m.group(1)).append(" {");
        } else if (m.group(2).equalsIgnoreCase("RSA") || m.group(2).equalsIgnoreCase("ECDSA")) {
          out.append(m.group(1)).append(QUOTED.matcher(m.group(3)).replaceAll(q -> '"' + sum(q.group()) + '"'));
        } else {
          out.append(m.group(1)).append(' ').append(sum(m.group(3).trim()));
        }
      }
      out.append('\n');
    }
    out.setLength(Math.max(0, out.length() - 1));
    return out.toString();
  }

  private static String blockField(String line) {
    int colon = line.indexOf(':');
    return colon < 0 ? "\t[censored]" : line.substring(0, colon + 1) + " " + sum(line.substring(colon + 1).trim());
  }

  static String kernelState(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      out.append(KERNEL_KEY.matcher(line).replaceAll("$1[censored]")).append('\n');
    }
    out.setLength(Math.max(0, out.length() - 1));
    return out.toString();
  }

  private static String sum(String secret) {
    try {
      byte[] d = MessageDigest.getInstance("MD5").digest(secret.getBytes(StandardCharsets.UTF_8));
      return "[sums to " + HexFormat.of().formatHex(d, 0, 2) + "...]";
    } catch (NoSuchAlgorithmException e) {
      return "[censored]";
    }
  }
}
