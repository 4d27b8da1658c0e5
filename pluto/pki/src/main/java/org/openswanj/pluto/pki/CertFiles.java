package org.openswanj.pluto.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;

/**
 * Reads certificates and CRLs from PEM or DER files, as Openswan 2.6 accepts them (PEM may carry other text
 * around the BEGIN/END blocks, as {@code openssl pkcs12} writes it). Every failure becomes a {@link PkiProblem}.
 */
public final class CertFiles {
  /** Far above any real certificate or CRL file; keeps a wrong path (a disk image) from filling the heap. */
  static final long MAX_FILE = 64L << 20;

  private CertFiles() {}

  /**
   * What a file or directory gave, and what was wrong.
   *
   * @param <T> certificates or CRLs
   * @param items what was read
   * @param problems one line per unusable file
   */
  public record Loaded<T>(List<T> items, List<PkiProblem> problems) {
    public Loaded {
      items = List.copyOf(items);
      problems = List.copyOf(problems);
    }
  }

  public static Loaded<X509Certificate> certificates(Path file) {
    return read(file, Kind.CERTIFICATE, X509Certificate.class);
  }

  public static Loaded<X509CRL> crls(Path file) {
    return read(file, Kind.CRL, X509CRL.class);
  }

  /** Every regular file in {@code dir}, in name order; a missing directory is a problem, an empty one is not. */
  public static Loaded<X509Certificate> certificateDir(Path dir) {
    return readDir(dir, Kind.CERTIFICATE, X509Certificate.class);
  }

  public static Loaded<X509CRL> crlDir(Path dir) {
    return readDir(dir, Kind.CRL, X509CRL.class);
  }

  private enum Kind {
    CERTIFICATE("certificate"),
    CRL("CRL");

    final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  private static <T> Loaded<T> readDir(Path dir, Kind kind, Class<T> type) {
    List<T> items = new ArrayList<>();
    List<PkiProblem> problems = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(files::add);
    } catch (NoSuchFileException e) {
      return new Loaded<>(items, List.of(new PkiProblem(dir, "no such directory")));
    } catch (IOException | RuntimeException e) {
      return new Loaded<>(items, List.of(new PkiProblem(dir, "cannot list directory: " + e.getMessage())));
    }
    files.sort(null);
    for (Path f : files) {
      if (Files.isRegularFile(f)) {
        Loaded<T> one = read(f, kind, type);
        items.addAll(one.items());
        problems.addAll(one.problems());
      }
    }
    return new Loaded<>(items, problems);
  }

  private static <T> Loaded<T> read(Path file, Kind kind, Class<T> type) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE) {
        return failed(file, "file of " + Files.size(file) + " bytes is too large for a " + kind.word);
      }
      bytes = org.openswanj.conf.RegularFiles.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return failed(file, "no such file");
    } catch (IOException | RuntimeException e) {
      return failed(file, "cannot read: " + e.getMessage());
    }
    try {
      List<T> items = isDer(bytes) ? der(bytes, kind, type) : pem(bytes, kind, type);
      return items.isEmpty() ? failed(file, "no " + kind.word + " found (expected PEM or DER)")
          : new Loaded<>(items, List.of());
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return failed(file, "not a valid PEM or DER " + kind.word + " (" + reason(e) + ")");
    }
  }

  /** DER starts with a SEQUENCE tag; PEM with text. */
  private static boolean isDer(byte[] b) {
    return b.length > 1 && (b[0] & 0xff) == 0x30;
  }

  private static <T> List<T> der(byte[] bytes, Kind kind, Class<T> type) throws GeneralSecurityException {
    CertificateFactory f = CertificateFactory.getInstance("X.509");
    Object o = kind == Kind.CERTIFICATE ? f.generateCertificate(new ByteArrayInputStream(bytes))
        : f.generateCRL(new ByteArrayInputStream(bytes));
    return List.of(type.cast(o));
  }

  private static <T> List<T> pem(byte[] bytes, Kind kind, Class<T> type) throws IOException, GeneralSecurityException {
    List<T> out = new ArrayList<>();
    CertificateFactory f = CertificateFactory.getInstance("X.509");
    try (PEMParser p = new PEMParser(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)))) {
      for (Object o = p.readObject(); o != null; o = p.readObject()) {
        if (kind == Kind.CERTIFICATE && o instanceof X509CertificateHolder h) {
          out.add(type.cast(f.generateCertificate(new ByteArrayInputStream(h.getEncoded()))));
        } else if (kind == Kind.CRL && o instanceof X509CRLHolder h) {
          out.add(type.cast(f.generateCRL(new ByteArrayInputStream(h.getEncoded()))));
        }
      }
    }
    return out;
  }

  private static <T> Loaded<T> failed(Path file, String reason) {
    return new Loaded<>(List.of(), List.of(new PkiProblem(file, reason)));
  }

  private static String reason(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
