package org.openswanj.conf.cli;

import java.util.ArrayList;
import java.util.List;
import org.openswanj.conf.ConfigException;
import org.openswanj.conf.Keyword;
import org.openswanj.conf.SetupConfig;
import org.openswanj.conf.Values;

/**
 * {@code ipsec addconn --configsetup --varprefix PREFIX}: {@code config setup} as shell assignments that Openswan's
 * init scripts {@code eval} (programs/setup/setup.in: {@code eval `ipsec addconn --varprefix IPSEC --configsetup`}),
 * in the keyword table's order and the form of Openswan 2.6's addconn.c: {@code export IPSECprotostack='netkey'}.
 * Strings are exported when set, booleans and lists always, numbers and times when set (times in seconds);
 * obsolete keywords become a comment; our hyphenated extensions export with '_' ({@code IPSECdnssec_enable}). Values are single-quoted for the shell, a quote inside as {@code '\''}.
 */
final class ConfigSetupExport {
  private ConfigSetupExport() {}

  static List<String> lines(SetupConfig setup, String prefix) throws ConfigException {
    List<String> out = new ArrayList<>();
    out.add("export " + prefix + "confreadstatus=''");
    for (Keyword k : Keyword.values()) {
      if (k.section() != Keyword.Section.SETUP) {
        continue;
      }
      String name = prefix + k.keywordName().replace('-', '_'); // a shell name has no '-' (dnssec-enable, cluster-*)
      if (k.isObsolete()) {
        out.add("# obsolete option '" + name + "' ignored");
        continue;
      }
      String set = setup.raw().get(k.keywordName());
      String value = switch (k.type()) {
        case BOOL, INVERTBOOL -> Values.bool(k.keywordName(), set != null ? set : k.defaultValue()) ? "yes" : "no";
        case LIST -> String.join(" ", Values.list(set != null ? set : k.defaultValue()));
        case TIME -> set == null ? null : String.valueOf(Values.time(k.keywordName(), set).getSeconds());
        default -> set;
      };
      if (value != null) {
        out.add("export " + name + "=" + quote(value));
      }
    }
    return out;
  }

  private static String quote(String v) {
    return "'" + v.replace("'", "'\\''") + "'";
  }
}
