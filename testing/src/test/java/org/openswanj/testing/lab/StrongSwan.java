package org.openswanj.testing.lab;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * strongSwan's charon on one lab host (kernel-libipsec: ESP in user space over UDP 4500), driven by
 * {@code testing/lab/charon-start} and swanctl over its vici socket. Configs and keys live in
 * {@code <hostdir>/swanctl/}, the log in {@code <hostdir>/charon.log}.
 */
public final class StrongSwan {
  private static final Duration SWANCTL_TIMEOUT = Duration.ofSeconds(40);
  private final Host host;

  StrongSwan(Host host) {
    this.host = host;
  }

  /** Starts charon in the host's namespace; returns when its vici socket answers. */
  public void start() {
    Lab.requireCharon();
    host.lab().script("charon-start", host.name()).requireOk();
  }

  /** Starts charon sending the Cisco Unity vendor ID ({@code charon.cisco_unity = yes}), as a Unity client does. */
  public void startCiscoUnity() {
    Commands.write(host.dir().resolve("cisco-unity"), "yes\n");
    start();
  }

  public void stop() {
    host.lab().script("charon-stop", host.name()).requireOk();
  }

  public Path confDir() {
    return host.dir().resolve("swanctl");
  }

  /** Writes {@code swanctl.conf} and loads it with {@code --load-all} (conns not in it are unloaded). */
  public void load(String swanctlConf) {
    Path file = confDir().resolve("swanctl.conf");
    Commands.write(file, swanctlConf);
    swanctl("--load-all", "--noprompt", "--file", file.toString()).requireOk();
  }

  public void load(SwanctlConn... conns) {
    load(SwanctlConn.render(conns));
  }

  /** Writes a key pair as {@code private/BASE.pem} (PKCS#8) and {@code pubkey/BASE.pub.pem}. */
  public void installKeyPair(String base, KeyPair keys) {
    Commands.write(confDir().resolve("private").resolve(base + ".pem"), pem(keys));
    installPublicKey(base, keys.getPublic());
  }

  /** Writes a (peer's) public key as {@code pubkey/BASE.pub.pem}; name it in {@link SwanctlConn#rsa}. */
  public void installPublicKey(String base, PublicKey key) {
    Commands.write(confDir().resolve("pubkey").resolve(base + ".pub.pem"), pem(key));
  }

  private static String pem(Object o) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o instanceof KeyPair kp ? new JcaPKCS8Generator(kp.getPrivate(), null) : o);
    } catch (IOException e) {
      throw new LabException("cannot encode a key as PEM: " + e.getMessage(), e);
    }
    return w.toString();
  }

  /** Initiates child {@code child} (and its IKE SA) and waits for the result; fails if it did not come up. */
  public Result initiate(String child) {
    return swanctl("--initiate", "--child", child, "--timeout", "30").requireOk();
  }

  /** Initiates only the IKE SA of conn {@code ike}. */
  public Result initiateIke(String ike) {
    return swanctl("--initiate", "--ike", ike, "--timeout", "30").requireOk();
  }

  /** Every IKE SA charon has, with its children. */
  public List<IkeSaInfo> listSas() {
    return IkeSaInfo.parseList(swanctl("--list-sas", "--pretty").requireOk().stdout());
  }

  /** The ESTABLISHED IKE SA of conn {@code name}; fails, listing what there is, if there is none. */
  public IkeSaInfo established(String name) {
    List<IkeSaInfo> sas = listSas();
    return sas.stream().filter(s -> s.name().equals(name) && s.state().equals("ESTABLISHED")).findFirst()
        .orElseThrow(() -> new LabException("charon on " + host.name() + " has no ESTABLISHED IKE SA '" + name
            + "'; it has " + sas + "\n--- end of charon.log ---\n" + Commands.tail(logFile(), 30)));
  }

  /** Deletes the IKE SA(s) of conn {@code name} (and their children) and waits for the peer's answer. */
  public Result terminateIke(String name) {
    return swanctl("--terminate", "--ike", name, "--timeout", "30").requireOk();
  }

  /** Asks charon to rekey the child SA(s) of child config {@code name} (charon does it asynchronously). */
  public Result rekeyChild(String name) {
    return swanctl("--rekey", "--child", name).requireOk();
  }

  public Result rekeyIke(String name) {
    return swanctl("--rekey", "--ike", name).requireOk();
  }

  /** Everything charon has logged so far. */
  public String log() {
    return Commands.readString(logFile());
  }

  public Path logFile() {
    return host.dir().resolve("charon.log");
  }

  /** Runs {@code swanctl ARGS} against this host's charon (inside its namespaces). */
  public Result swanctl(String... args) {
    List<String> a = new ArrayList<>(List.of(host.name()));
    a.addAll(List.of(args));
    return host.lab().scriptWithTimeout(SWANCTL_TIMEOUT, "swanctl", a.toArray(String[]::new));
  }
}
