package org.openswanj.pluto.tools;

import com.google.common.io.BaseEncoding;
import com.google.common.net.InetAddresses;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.openswanj.conf.id.Identity;
import org.openswanj.conf.id.IdentityException;
import org.openswanj.conf.secrets.LockedRsaKey;
import org.openswanj.conf.secrets.Psk;
import org.openswanj.conf.secrets.RsaPrivateKey;
import org.openswanj.conf.secrets.SecretEntry;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.conf.secrets.XauthPassword;
import org.openswanj.pluto.oe.OpenswanTxt;
import org.xbill.DNS.DClass;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/** showhostkey's key choice and output forms; the DNS records are formatted by dnsjava. */
final class HostKeyOutput {
  /** The key shown, and how it was picked ({@code null} for the default key). */
  record Picked(RsaPrivateKey key, String pickedBy) {}

  private final PrintStream out;

  HostKeyOutput(PrintStream out) {
    this.out = out;
  }

  /**
   * By key id, by ID (as pluto picks its own key for that ID), or else the first RSA key in the file, which is
   * Openswan's default (its list is in reverse file order and it takes the last element).
   */
  static Picked pick(Secrets secrets, String id, String rsaid) throws ToolException {
    if (rsaid != null) {
      for (SecretEntry e : secrets.entries()) {
        if (e.secret() instanceof RsaPrivateKey k && k.keyId().equals(rsaid)) {
          return new Picked(k, "rsakeyid=" + rsaid);
        }
      }
      throw new ToolException(5, "can not find key with rsakeyid " + rsaid);
    }
    if (id != null) {
      Identity want;
      try {
        want = Identity.parse(id);
      } catch (IdentityException e) {
        throw new ToolException(4, "key '" + id + "' is invalid");
      }
      RsaPrivateKey k = secrets.findRsaKey(want, null)
          .orElseThrow(() -> new ToolException(5, "can not find key: " + id + " (" + want + ")"));
      return new Picked(k, "keyid=" + id);
    }
    for (SecretEntry e : secrets.entries()) {
      if (e.secret() instanceof RsaPrivateKey k) {
        return new Picked(k, null);
      }
      if (e.secret() instanceof LockedRsaKey) {
        throw new ToolException(5, "the first RSA key (" + e.file() + ":" + e.line()
            + ") is a locked key file (%prompt): its public key cannot be shown");
      }
    }
    throw new ToolException(20, "No keys found");
  }

  /** The owner name of a record: an address stands for its reverse name (RFC 1035 §3.5, RFC 3596 §2.5). */
  static Name owner(String nameOrAddress) throws ToolException {
    if (InetAddresses.isInetAddress(nameOrAddress)) {
      return ReverseMap.fromAddress(InetAddresses.forString(nameOrAddress));
    }
    try {
      return Name.fromString(nameOrAddress, Name.root);
    } catch (TextParseException e) {
      throw new ToolException(Tools.USAGE, "bad --hostname '" + nameOrAddress + "': " + e.getMessage());
    }
  }

  void confKey(Picked p, String side) {
    out.println("\t# rsakey " + p.key().keyId());
    out.println("\t" + side + "rsasigkey=" + HostKeys.base64Key(p.key().publicKey()));
  }

  /** RFC 4025 §3.1 presentation: precedence, gateway type, algorithm 2 (RSA), gateway, base64 key. */
  void ipseckey(Picked p, Name owner, int precedence, String gateway) throws ToolException {
    int type = IPSECKEYRecord.Gateway.None;
    Object gw = null;
    if (gateway != null) {
      if (InetAddresses.isInetAddress(gateway)) {
        InetAddress a = InetAddresses.forString(gateway);
        type = a instanceof Inet4Address ? IPSECKEYRecord.Gateway.IPv4 : IPSECKEYRecord.Gateway.IPv6;
        gw = a;
      } else {
        type = IPSECKEYRecord.Gateway.Name;
        gw = owner(gateway);
      }
    }
    IPSECKEYRecord r = new IPSECKEYRecord(owner, DClass.IN, 0, precedence, type, IPSECKEYRecord.Algorithm.RSA, gw,
        p.key().rfc3110());
    pickedBy(p);
    out.println(owner + "    IN    IPSECKEY  " + r.rdataToString());
  }

  /** Openswan 2.6's TXT form: gateway in the first string, then the key in strings of 240 digits. */
  void txt(Picked p, Name owner, int precedence, String gateway) throws ToolException {
    OpenswanTxt txt;
    try {
      txt = OpenswanTxt.of(precedence, gateway, p.key().rfc3110());
    } catch (IllegalArgumentException e) {
      throw new ToolException(Tools.USAGE, e.getMessage());
    }
    TXTRecord r = new TXTRecord(owner, DClass.IN, 0, txt.strings());
    pickedBy(p);
    out.println("; info about key: " + p.key().keyId());
    out.println(owner + "    IN    TXT    " + r.rdataToString());
  }

  private void pickedBy(Picked p) {
    // a zone-file comment; --left/--right leave it out, since ipsec.conf has no ';' comments
    if (p.pickedBy() != null) {
      out.println("; picking by " + p.pickedBy());
    }
  }

  /**
   * One line per index of each entry, {@code LINE(N): KIND keyid: ...}, in Openswan's order (the reverse of the
   * file's); an entry without indices has Openswan's two implicit ones, printed "(none)".
   */
  void list(Secrets secrets, boolean disclose) {
    List<SecretEntry> entries = new ArrayList<>(secrets.entries());
    java.util.Collections.reverse(entries);
    for (SecretEntry e : entries) {
      List<String> ids = new ArrayList<>();
      e.selectors().forEach(i -> ids.add(i.toString()));
      if (ids.isEmpty()) {
        ids.addAll(List.of("(none)", "(none)"));
      }
      for (int n = 0; n < ids.size(); n++) {
        String head = e.line() + "(" + (n + 1) + "): ";
        switch (e.kind()) {
          case RSA -> out.println(head + "RSA keyid: " + keyId(e) + " with id: " + ids.get(n));
          case ECDSA -> out.println(head + "ECDSA key with id: " + ids.get(n));
          case PSK -> {
            out.println(head + "PSK keyid: " + ids.get(n));
            if (disclose) {
              out.println("    psk: \"0x" + hex(((Psk) e.secret()).bytes()) + "\"");
            }
          }
          case CLUSTER -> out.println(head + "CLUSTER key"); // never disclosed
          case XAUTH -> {
            out.println(head + "XAUTH keyid: " + ids.get(n));
            if (disclose) {
              out.println("    xauth: \"0x" + hex(((XauthPassword) e.secret()).bytes()) + "\"");
            }
          }
        }
      }
    }
  }

  private static String keyId(SecretEntry e) {
    return e.secret() instanceof RsaPrivateKey k ? k.keyId() : "(locked)";
  }

  private static String hex(byte[] b) {
    return BaseEncoding.base16().lowerCase().encode(b);
  }
}
