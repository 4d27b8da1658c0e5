package org.openswanj.whack.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.openswanj.conf.DebugWord;
import org.openswanj.conf.OpenswanPaths;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options of {@code ipsec whack}, as Openswan's whack takes them, declared as one table for picocli.
 * Options are applied in command-line order, which the connection-defining form needs ({@code --to}
 * switches from the left end to the right one).
 */
final class WhackArgs {
  /** Actions, in the order pluto carries them out when several are given (as Openswan's whack_handle). */
  enum Action { LISTEN, UNLISTEN, REREAD_SECRETS, REREAD_CACERTS, REREAD_CRLS, REREAD_ALL, LIST_PUBKEYS,
    LIST_CERTS, LIST_CACERTS, LIST_CRLS, LIST_ALL, DELETE, ROUTE, UNROUTE, INITIATE, OPPO_INITIATE, TERMINATE, DELETE_STATE, STATUS, TRAFFIC_STATUS, SHUNT_STATUS,
    LIST_EVENTS, METRICS, SHUTDOWN }

  String ctlbase = OpenswanPaths.CTLBASE;
  String name;
  boolean async;
  boolean json;
  boolean utc;
  boolean help;
  boolean version;
  long deleteState;
  /** --xauthname / --xauthpass, sent with --initiate. */
  String xauthName;
  String xauthPass;
  /** --oppohere / --oppothere: opportunistic encryption started by hand between these two addresses. */
  String oppoHere;
  String oppoThere;
  final Set<Action> actions = EnumSet.noneOf(Action.class);
  final List<String> debug = new ArrayList<>();
  final ConnDefinition conn = new ConnDefinition();

  /** The picocli model bound to this object. */
  CommandSpec spec() {
    CommandSpec spec = CommandSpec.create().name("ipsec whack");
    spec.parser().overwrittenOptionsAllowed(true);
    flag(spec, () -> help = true, "--help", "-h");
    flag(spec, () -> version = true, "--version");
    value(spec, v -> ctlbase = v, "--ctlbase");
    value(spec, v -> name = v, "--name");
    flag(spec, () -> async = true, "--asynchronous");
    flag(spec, () -> json = true, "--json");
    flag(spec, () -> utc = true, "--utc");
    action(spec, Action.INITIATE, "--initiate");
    value(spec, v -> xauthName = v, "--xauthname");
    value(spec, v -> xauthPass = v, "--xauthpass");
    value(spec, v -> {
      oppoHere = address("--oppohere", v);
      actions.add(Action.OPPO_INITIATE);
    }, "--oppohere");
    value(spec, v -> {
      oppoThere = address("--oppothere", v);
      actions.add(Action.OPPO_INITIATE);
    }, "--oppothere");
    action(spec, Action.TERMINATE, "--terminate");
    action(spec, Action.DELETE, "--delete");
    action(spec, Action.ROUTE, "--route");
    action(spec, Action.UNROUTE, "--unroute");
    action(spec, Action.STATUS, "--status");
    action(spec, Action.TRAFFIC_STATUS, "--trafficstatus");
    action(spec, Action.SHUNT_STATUS, "--shuntstatus");
    action(spec, Action.LIST_EVENTS, "--listevents");
    action(spec, Action.METRICS, "--metrics");
    value(spec, v -> {
      try {
        deleteState = Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new UsageException("--deletestate takes a state number, not \"" + v + "\"", 1);
      }
      if (deleteState <= 0) {
        throw new UsageException("--deletestate takes a state number, not \"" + v + "\"", 1);
      }
      actions.add(Action.DELETE_STATE);
    }, "--deletestate");
    action(spec, Action.LISTEN, "--listen");
    action(spec, Action.UNLISTEN, "--unlisten");
    action(spec, Action.SHUTDOWN, "--shutdown");
    action(spec, Action.REREAD_SECRETS, "--rereadsecrets");
    action(spec, Action.REREAD_CACERTS, "--rereadcacerts");
    action(spec, Action.REREAD_CRLS, "--rereadcrls");
    action(spec, Action.REREAD_ALL, "--rereadall");
    action(spec, Action.LIST_PUBKEYS, "--listpubkeys");
    action(spec, Action.LIST_CERTS, "--listcerts");
    action(spec, Action.LIST_CACERTS, "--listcacerts");
    action(spec, Action.LIST_CRLS, "--listcrls");
    action(spec, Action.LIST_ALL, "--listall");
    for (String word : DebugWord.words()) {
      flag(spec, () -> debug.add(DebugWord.canonical(word).orElseThrow()), "--debug-" + word);
    }
    endOptions(spec);
    connOptions(spec);
    return spec;
  }

  /** An IPv4 or IPv6 address as Openswan's whack takes it for --oppohere/--oppothere (a literal, no name). */
  private static String address(String option, String v) throws UsageException {
    try {
      org.openswanj.conf.Subnet.parseAddress(v, v);
      return v;
    } catch (org.openswanj.conf.ConfigException e) {
      throw new UsageException(option + " takes an IP address, not \"" + v + "\"", 1);
    }
  }

  private void endOptions(CommandSpec spec) {
    value(spec, v -> conn.end("", v), "--host");
    value(spec, v -> conn.end("id", v), "--id");
    value(spec, v -> conn.end("subnet", v), "--client");
    value(spec, v -> conn.end("nexthop", v), "--nexthop");
    value(spec, v -> conn.end("protoport", v), "--clientprotoport");
    value(spec, v -> conn.end("updown", v), "--updown");
    value(spec, v -> conn.end("sourceip", v), "--srcip");
    value(spec, v -> conn.end("ikeport", v), "--ikeport");
    value(spec, v -> conn.end("cert", v), "--cert");
    value(spec, v -> conn.end("ca", v), "--ca");
    value(spec, v -> conn.end("sendcert", v), "--sendcert");
    flag(spec, conn::to, "--to");
  }

  private void connOptions(CommandSpec spec) {
    flag(spec, conn::psk, "--psk");
    flag(spec, conn::rsasig, "--rsasig");
    flag(spec, conn::encrypt, "--encrypt");
    flag(spec, conn::authenticate, "--authenticate");
    flag(spec, conn::tunnel, "--tunnel");
    flag(spec, () -> conn.conn("pfs", "yes"), "--pfs");
    flag(spec, () -> conn.conn("aggrmode", "yes"), "--aggrmode");
    flag(spec, () -> conn.conn("compress", "yes"), "--compress");
    flag(spec, () -> conn.conn("rekey", "no"), "--dontrekey");
    flag(spec, () -> conn.conn("forceencaps", "yes"), "--forceencaps");
    flag(spec, () -> conn.conn("ikev2", "insist"), "--ikev2-insist");
    flag(spec, () -> conn.conn("ikev2", "propose"), "--ikev2-propose");
    flag(spec, () -> conn.conn("ikev2", "permit"), "--ikev2-allow");
    flag(spec, () -> conn.conn("ikev2", "never"), "--ikev1");
    value(spec, v -> conn.conn("ike", v), "--ike", "--ikealg");
    value(spec, v -> conn.conn("phase2alg", v), "--esp");
    value(spec, v -> conn.conn("pfsgroup", v), "--pfsgroup");
    seconds(spec, "ikelifetime", "--ikelifetime");
    seconds(spec, "salifetime", "--ipseclifetime");
    seconds(spec, "rekeymargin", "--rekeymargin");
    seconds(spec, "dpddelay", "--dpddelay");
    seconds(spec, "dpdtimeout", "--dpdtimeout");
    value(spec, v -> conn.conn("rekeyfuzz", v + (v.endsWith("%") ? "" : "%")), "--rekeyfuzz");
    value(spec, v -> conn.conn("keyingtries", number("--keyingtries", v)), "--keyingtries");
    value(spec, v -> conn.conn("dpdaction", v), "--dpdaction");
  }

  private void seconds(CommandSpec spec, String keyword, String option) {
    value(spec, v -> conn.conn(keyword, number(option, v) + "s"), option);
  }

  private static String number(String option, String v) throws UsageException {
    if (!v.matches("[0-9]{1,9}")) {
      throw new UsageException(option + " takes a number of seconds, not \"" + v + "\"", 2);
    }
    return v;
  }

  /** An option action that may refuse its argument. */
  interface ValueAction {
    void apply(String value) throws UsageException;
  }

  interface FlagAction {
    void apply() throws UsageException;
  }

  private void action(CommandSpec spec, Action action, String name) {
    flag(spec, () -> actions.add(action), name);
  }

  private static void flag(CommandSpec spec, FlagAction action, String... names) {
    spec.addOption(OptionSpec.builder(names).arity("0").type(boolean.class).setter(new ISetter() {
      @Override
      public <T> T set(T value) throws UsageException {
        if (Boolean.TRUE.equals(value)) { // picocli also resets options to their initial value: ignore
          action.apply();
        }
        return null;
      }
    }).build());
  }

  private static void value(CommandSpec spec, ValueAction action, String... names) {
    spec.addOption(OptionSpec.builder(names).arity("1").type(String.class).paramLabel("VALUE")
        .setter(new ISetter() {
          @Override
          public <T> T set(T value) throws UsageException {
            if (value != null) {
              action.apply((String) value);
            }
            return null;
          }
        }).build());
  }
}
