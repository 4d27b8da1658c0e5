package org.openswanj.conf.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.conf.secrets.LockedRsaKey;
import org.openswanj.conf.secrets.RsaPrivateKey;
import org.openswanj.conf.secrets.SecretEntry;
import org.openswanj.conf.secrets.SecretsLoader;
import org.openswanj.conf.secrets.SecretsResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ipsec secrets --check}: reads ipsec.secrets as pluto would and prints one line per entry,
 * {@code FILE:LINE: SELECTORS : KIND}, never a secret; problems go to stderr as {@code FILE:LINE: message}.
 * Exit 0 when valid (warnings allowed), 1 on errors, 2 on a usage error.
 */
@Command(name = "secrets", mixinStandardHelpOptions = true,
    description = "Check ipsec.secrets: one line per entry (indices and kind, never the secret).")
public final class SecretsMain implements Callable<Integer> {
  @Option(names = "--secretsfile", paramLabel = "FILE", description = "secrets file (default ${DEFAULT-VALUE})")
  Path secretsFile = OpenswanPaths.SECRETS;
  @Option(names = "--ipsecdir", paramLabel = "DIR",
      description = "ipsec.d directory; key files are read from DIR/private (default ${DEFAULT-VALUE})")
  Path ipsecDir = OpenswanPaths.IPSEC_DIR;
  @Option(names = "--check", required = true, description = "validate the file and list its entries")
  boolean check;

  private final PrintStream out;
  private final PrintStream err;

  public SecretsMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new SecretsMain(out, err));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    SecretsResult r = SecretsLoader.load(secretsFile, ipsecDir);
    for (SecretEntry e : r.secrets().entries()) {
      out.println(describe(e));
    }
    for (Diagnostic d : r.diagnostics()) {
      err.println(d.format());
    }
    return r.hasErrors() ? 1 : 0;
  }

  /** {@code FILE:LINE: SELECTORS : KIND [key facts]}; public facts only. */
  static String describe(SecretEntry e) {
    StringBuilder b = new StringBuilder();
    b.append(e.file()).append(':').append(e.line()).append(": ");
    String sel = e.selectorText();
    b.append(sel).append(sel.isEmpty() ? ": " : " : ").append(e.kind());
    if (e.secret() instanceof RsaPrivateKey k) {
      b.append(' ').append(k.modulusBits()).append(" bits, keyid ").append(k.keyId())
          .append(", ckaid ").append(k.ckaid());
    } else if (e.secret() instanceof org.openswanj.conf.secrets.EcdsaPrivateKey k) {
      b.append(' ').append(k.fieldBits()).append(" bits");
    } else if (e.secret() instanceof LockedRsaKey k) {
      b.append(" file ").append(k.file()).append(" (locked: passphrase asked for with %prompt)");
    }
    return b.toString();
  }
}
