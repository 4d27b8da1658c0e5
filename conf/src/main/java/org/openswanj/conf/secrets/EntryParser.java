package org.openswanj.conf.secrets;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.conf.Patterns;
import org.openswanj.conf.id.Identity;
import org.openswanj.conf.id.IdentityException;
import org.openswanj.conf.secrets.SecretsLexer.Token;

/**
 * Turns one record of ipsec.secrets into a {@link SecretEntry}: the index list, then ':' and the key
 * part (PSK, XAUTH, RSA { ... }, RSA file [passphrase|%prompt], ECDSA file [passphrase]), or the legacy form, a quoted PSK with
 * no ':' (ipsec.secrets(5)). Error messages quote indices (not secret) but never the key part.
 */
final class EntryParser {
  private static final java.util.regex.Pattern HOST_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
  /** The BIND 8.2 field names of an RSA key, in the fixed order Openswan requires. */
  private static final String[] RSA_FIELDS = {"Modulus", "PublicExponent", "PrivateExponent", "Prime1",
      "Prime2", "Exponent1", "Exponent2", "Coefficient"};

  /** A record that cannot become an entry; {@code line} is where the problem is. */
  static final class RecordException extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;

    RecordException(int line, String message) {
      super(message);
      this.line = line;
    }
  }

  private final Path file;
  private final Path ipsecDir;
  private final HostResolver resolver;
  private List<Token> tokens;
  private int pos;

  EntryParser(Path file, Path ipsecDir, HostResolver resolver) {
    this.file = file;
    this.ipsecDir = ipsecDir;
    this.resolver = resolver;
  }

  SecretEntry parse(SecretsLexer.Record record) throws RecordException {
    tokens = record.tokens();
    pos = 0;
    boolean noColon = tokens.stream().noneMatch(t -> t.is(":"));
    if (noColon) {
      // No ':' and no legacy quoted secret: the secret is somewhere among the words, so none of them is shown,
      // and none is looked up in DNS as a host name (it would send the secret to the resolver). With a quoted
      // last word the words are indices, unless a key kind among them says the ':' was forgotten: that is said
      // before any index is checked (a bad index would be shown, and the words around PSK may be a secret)
      for (Token t : tokens) {
        if (t.is("PSK") || t.is("RSA") || t.is("ECDSA") || t.is("XAUTH")) {
          throw new RecordException(t.line(), "missing ':' before " + t.text().toUpperCase()
              + " (the indices and the key part are separated by ':')");
        }
      }
    }
    if (noColon && !last().quoted()) {
      throw new RecordException(last().line(), "no ':' in this entry: the indices and the secret are separated by"
          + " ':' (the entry is not shown, and no word of it was looked up as a host name)");
    }
    List<Identity> selectors = new ArrayList<>();
    while (pos < tokens.size()) {
      Token t = tokens.get(pos);
      if (t.is(":")) {
        pos++;
        return entry(selectors, secret(t.line()), record.line());
      }
      if (t.quoted() && pos == tokens.size() - 1) {
        pos++; // legacy form: indices then a quoted PSK, no ':'
        return entry(selectors, new Psk(bytes(t)), record.line());
      }
      if (t.is("PSK") || t.is("RSA") || t.is("ECDSA") || t.is("XAUTH")) {
        throw new RecordException(t.line(), "missing ':' before " + t.text().toUpperCase()
            + " (the indices and the key part are separated by ':')");
      }
      selectors.add(selector(t));
      pos++;
    }
    throw new RecordException(last().line(), "unexpected end of id list: no ':' and no secret");
  }

  private SecretEntry entry(List<Identity> selectors, Secret secret, int line) throws RecordException {
    if (pos < tokens.size()) {
      throw new RecordException(tokens.get(pos).line(),
          "expected record boundary in key: extra text after the secret");
    }
    return new SecretEntry(selectors, secret.kind(), secret, file, line);
  }

  private Identity selector(Token t) throws RecordException {
    String text = utf8(t.text());
    try {
      return Identity.parse(text);
    } catch (IdentityException e) {
      if (t.quoted() && text.indexOf('=') < 0) {
        // Not shown: a quoted token that is no DN is more likely a secret with its ':' missing.
        throw new RecordException(t.line(), "quoted index is not a distinguished name"
            + " (is a ':' missing before a secret?)");
      }
      if (HOST_NAME.matcher(text).matches() && !Patterns.dottedDigits(text)) {
        Optional<InetAddress> a = resolver.resolve(text);
        if (a.isPresent()) {
          return Identity.ofAddress(a.get());
        }
        throw new RecordException(t.line(), "index \"" + text + "\": cannot resolve host name"
            + " (write @" + text + " for an FQDN identity)");
      }
      if (text.indexOf('"') >= 0) {
        // Not shown either: a quote inside an index is a quoted secret run into it (a ':' or space missing).
        throw new RecordException(t.line(), "index with a '\"' inside is not an identity"
            + " (is a ':' missing before a secret?)");
      }
      throw new RecordException(t.line(), "index \"" + text + "\": " + e.getMessage());
    }
  }

  private Secret secret(int colonLine) throws RecordException {
    Token t = next(colonLine, "missing secret after ':'");
    if (t.quoted()) {
      return new Psk(bytes(t)); // "A B : "secret"": PSK is the default kind
    }
    if (t.is("PSK")) {
      return new Psk(pskData(next(t.line(), "unexpected end of record in PSK")));
    }
    if (t.is("XAUTH")) {
      Token v = next(t.line(), "unexpected end of record in XAUTH");
      return new XauthPassword(v.quoted() ? bytes(v) : ttodata(v, "XAUTH data malformed"));
    }
    if (t.is("RSA")) {
      Token v = next(t.line(), "bad RSA key syntax: expected '{' or a key file name");
      return v.is("{") ? new RsaBlock(this).parse(v.line()) : keyFile(v, SecretKind.RSA);
    }
    if (t.is("ECDSA")) {
      return keyFile(next(t.line(), "bad ECDSA key syntax: expected a key file name"), SecretKind.ECDSA);
    }
    if (t.is("CLUSTER")) {
      return clusterKey(t);
    }
    if (t.is("PIN")) {
      throw new RecordException(t.line(), "PIN (smartcard) secrets are not supported");
    }
    throw new RecordException(t.line(), "unrecognized key format (expected PSK, RSA, ECDSA, XAUTH or a quoted secret)");
  }

  /** {@code : CLUSTER 0x<64 hex digits>}: exactly 32 bytes (AES-256); the data is never repeated in errors. */
  private Secret clusterKey(Token t) throws RecordException {
    Token v = next(t.line(), "unexpected end of record in CLUSTER: expected 0x and 64 hex digits");
    if (v.quoted() || !v.text().startsWith("0")) {
      throw new RecordException(v.line(), "CLUSTER key malformed: expected 0x and 64 hex digits (AES-256)");
    }
    byte[] key = ttodata(v, "CLUSTER key malformed");
    if (key.length != ClusterSecret.KEY_BYTES) {
      int n = key.length;
      java.util.Arrays.fill(key, (byte) 0);
      throw new RecordException(v.line(), "CLUSTER key is " + n + " bytes, expected " + ClusterSecret.KEY_BYTES
          + " (0x and 64 hex digits, AES-256)");
    }
    ClusterSecret s = new ClusterSecret(key);
    java.util.Arrays.fill(key, (byte) 0);
    return s;
  }

  private byte[] pskData(Token v) throws RecordException {
    if (v.quoted()) {
      return bytes(v);
    }
    if (!v.text().startsWith("0")) {
      throw new RecordException(v.line(), "PSK data malformed: PSK must start with a double-quote or a zero");
    }
    return ttodata(v, "PSK data malformed");
  }

  byte[] ttodata(Token v, String what) throws RecordException {
    try {
      return TtoData.decode(v.text());
    } catch (SecretsException e) {
      throw new RecordException(v.line(), what + " (" + e.getMessage() + ")");
    }
  }

  /** {@code RSA file [passphrase|%prompt]} or {@code ECDSA file [passphrase]}; relative names under ipsec.d/private. */
  private Secret keyFile(Token name, SecretKind kind) throws RecordException {
    if (name.is("{")) {
      throw new RecordException(name.line(), "ECDSA keys are read from PEM files only, not from a { } block");
    }
    Path p;
    try {
      p = ipsecDir.getFileSystem().getPath(utf8(name.text()));
    } catch (java.nio.file.InvalidPathException e) {
      throw new RecordException(name.line(), kind + " private key file name is not a valid path (" + e.getReason()
          + ")");
    }
    Path keyPath = p.isAbsolute() ? p : OpenswanPaths.privateKeys(ipsecDir).resolve(p);
    Token pass = pos < tokens.size() ? tokens.get(pos++) : null;
    if (pos < tokens.size()) {
      throw new RecordException(tokens.get(pos).line(),
          kind + " private key file -- unexpected token after passphrase");
    }
    try {
      if (pass != null && pass.is("%prompt")) {
        if (kind == SecretKind.ECDSA) {
          throw new RecordException(pass.line(), "%prompt is supported for RSA key files only");
        }
        return PemKeys.isEncrypted(keyPath) ? new LockedRsaKey(keyPath) : PemKeys.read(keyPath, null);
      }
      if (pass != null && !pass.quoted()) {
        throw new RecordException(pass.line(), kind + " private key passphrase must be quoted"
            + (kind == SecretKind.RSA ? " or %prompt" : ""));
      }
      char[] pw = pass == null ? null : utf8(pass.text()).toCharArray();
      return kind == SecretKind.ECDSA ? PemKeys.readEc(keyPath, pw) : PemKeys.read(keyPath, pw);
    } catch (SecretsException e) {
      throw new RecordException(name.line(), e.getMessage());
    }
  }

  Token next(int line, String ifMissing) throws RecordException {
    if (pos >= tokens.size()) {
      throw new RecordException(line, ifMissing);
    }
    return tokens.get(pos++);
  }

  private Token last() {
    return tokens.get(tokens.size() - 1);
  }

  private static byte[] bytes(Token t) {
    return t.text().getBytes(StandardCharsets.ISO_8859_1); // the file's bytes, exactly
  }

  /** The file is read byte for byte (ISO-8859-1); names and DNs in it are UTF-8. */
  private static String utf8(String raw) {
    return new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  /** The {@code RSA { Modulus: ... Coefficient: ... }} block. */
  private static final class RsaBlock {
    private final EntryParser p;

    RsaBlock(EntryParser p) {
      this.p = p;
    }

    Secret parse(int line) throws RecordException {
      BigInteger[] v = new BigInteger[RSA_FIELDS.length];
      int at = line;
      for (int i = 0; i < RSA_FIELDS.length; i++) {
        String field = RSA_FIELDS[i];
        Token name = p.next(at, "premature end of RSA key: " + field + " missing");
        if (!name.is(field)) {
          throw new RecordException(name.line(), field + " keyword not found where expected in RSA key");
        }
        Token value = p.next(name.line(), "premature end of RSA key: no value for " + field);
        if (value.is(":")) {
          value = p.next(name.line(), "premature end of RSA key: no value for " + field);
        }
        v[i] = new BigInteger(1, p.ttodata(value, "RSA data malformed in " + field));
        at = value.line();
      }
      Token close = p.next(at, "premature end of RSA key: missing '}'");
      if (close.is("CKAIDNSS")) {
        Token value = p.next(close.line(), "premature end of RSA key: no value for CKAIDNSS");
        if (value.is(":")) {
          p.next(close.line(), "premature end of RSA key: no value for CKAIDNSS");
        }
        close = p.next(at, "premature end of RSA key: missing '}'");
      }
      if (!close.is("}")) {
        throw new RecordException(close.line(), "expected '}' after Coefficient in RSA key");
      }
      try {
        return RsaKeys.fromParts(v);
      } catch (SecretsException e) {
        throw new RecordException(line, e.getMessage());
      }
    }
  }
}
