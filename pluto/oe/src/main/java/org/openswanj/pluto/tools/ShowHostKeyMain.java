package org.openswanj.pluto.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.conf.secrets.SecretsLoader;
import org.openswanj.conf.secrets.SecretsResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ipsec showhostkey}: prints our RSA public key from ipsec.secrets in the form a peer or a zone needs,
 * with Openswan 2.6's options, output and exit statuses:
 *
 * <ul>
 *   <li>{@code --left} / {@code --right}: {@code \t# rsakey KEYID} and {@code \tleftrsasigkey=0s...};
 *   <li>{@code --ipseckey [--gateway G] [--precedence P]}: an RFC 4025 IPSECKEY record that BIND loads as
 *       printed (Openswan's put the key in quoted strings, which BIND rejects);
 *   <li>{@code --txt G}: Openswan 2.6's {@code X-IPsec-Server(P)=G key} TXT record;
 *   <li>{@code --list} / {@code --dump}: one line per index of every entry (dump adds PSK and XAUTH values).
 * </ul>
 *
 * Beyond Openswan, {@code --hostname NAME|ADDRESS} sets the records' owner (an address stands for its
 * reverse name); Openswan always used gethostname(2). Exit 0; 1 on a usage error; 4 when {@code --id} is not
 * an ID; 5 when it names no key (or the key is not usable); 20 when the file has no RSA key.
 */
@Command(name = "showhostkey", description = "Show our RSA public key for ipsec.conf or for DNS.")
public final class ShowHostKeyMain implements Callable<Integer> {
  @Option(names = "--help", usageHelp = true, description = "show this help")
  boolean help;
  @Option(names = "--left", description = "print leftrsasigkey=")
  boolean left;
  @Option(names = "--right", description = "print rightrsasigkey=")
  boolean right;
  @Option(names = "--ipseckey", description = "print an IPSECKEY record (RFC 4025)")
  boolean ipseckey;
  @Option(names = "--txt", paramLabel = "GATEWAY", description = "print Openswan's X-IPsec-Server TXT record")
  String txtGateway;
  @Option(names = "--dump", description = "list every entry, with PSK and XAUTH values")
  boolean dump;
  @Option(names = "--list", description = "list every entry")
  boolean list;
  @Option(names = "--gateway", paramLabel = "GATEWAY", description = "IPSECKEY gateway: address or domain name")
  String gateway;
  @Option(names = "--precedence", paramLabel = "P", description = "record precedence, 0-255 (default 10)")
  int precedence = 10;
  @Option(names = "--hostname", paramLabel = "NAME", description = "owner of the record: a name, or an address")
  String hostname;
  @Option(names = "--id", paramLabel = "ID", description = "the key for this ID (as pluto would pick it)")
  String id;
  @Option(names = "--rsaid", paramLabel = "KEYID", description = "the key with this key id (e.g. AwEAAcppS)")
  String rsaid;
  @Option(names = "--file", paramLabel = "FILE", description = "secrets file (default ${DEFAULT-VALUE})")
  Path file = NewHostKeyMain.DEFAULT_SECRETS;
  @Option(names = "--verbose", description = "report problems found in the secrets file")
  boolean verbose;

  private final PrintStream out;
  private final PrintStream err;

  ShowHostKeyMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Tools.run(new ShowHostKeyMain(out, err), args, out, err);
  }

  @Override
  public Integer call() throws ToolException {
    checkOperation();
    if (precedence < 0 || precedence > 255) {
      throw new ToolException(Tools.USAGE, "precedence must be between 0 and 255");
    }
    Secrets secrets = load();
    HostKeyOutput show = new HostKeyOutput(out);
    if (list || dump) {
      show.list(secrets, dump);
      return 0;
    }
    HostKeyOutput.Picked key = HostKeyOutput.pick(secrets, id, rsaid);
    if (left || right) {
      show.confKey(key, left ? "left" : "right");
    } else {
      org.xbill.DNS.Name owner = HostKeyOutput.owner(hostname != null ? hostname : Tools.hostName());
      if (ipseckey) {
        show.ipseckey(key, owner, precedence, gateway);
      } else {
        show.txt(key, owner, precedence, txtGateway);
      }
    }
    out.flush();
    return 0;
  }

  private void checkOperation() throws ToolException {
    long ops = List.of(left, right, ipseckey, txtGateway != null, dump, list).stream().filter(b -> b).count();
    if (ops == 0) {
      throw new ToolException(Tools.USAGE,
          "You must specify some operation (--left, --right, --ipseckey, --txt, --dump or --list)");
    }
    if (ops > 1) {
      throw new ToolException(Tools.USAGE, "You must specify only one operation");
    }
    if (gateway != null && !ipseckey) {
      throw new ToolException(Tools.USAGE, "--gateway goes with --ipseckey (--txt takes its gateway itself)");
    }
  }

  private Secrets load() {
    SecretsResult r = SecretsLoader.load(file, OpenswanPaths.ipsecDirBeside(file));
    for (Diagnostic d : r.diagnostics()) {
      if (verbose || d.severity() == org.openswanj.conf.Severity.ERROR) {
        err.println(d.format());
      }
    }
    return r.secrets();
  }
}
