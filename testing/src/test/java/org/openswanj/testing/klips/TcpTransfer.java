package org.openswanj.testing.klips;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.openswanj.testing.lab.Host;
import org.openswanj.testing.lab.Lab;
import org.openswanj.testing.lab.LabException;

/**
 * One TCP transfer of a file of random bytes from one host's subnet address to the other's, with Python's
 * socket module on both ends (no netcat in the lab); the receiver reports the byte count and SHA-256 of what
 * arrived.
 */
final class TcpTransfer {
  private static final String PYTHON = "/usr/bin/python3";
  private static final int PORT = 5001;
  private static final String SERVER = String.join("\n",
      "import hashlib, socket, sys",
      "s = socket.socket(socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET)",
      "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
      "s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1); s.settimeout(30)",
      "print('listening', file=sys.stderr, flush=True)",
      "c, _ = s.accept(); c.settimeout(30); h = hashlib.sha256(); n = 0",
      "while True:",
      "    b = c.recv(65536)",
      "    if not b: break",
      "    h.update(b); n += len(b)",
      "print(n, h.hexdigest()); c.close()");
  private static final String CLIENT = String.join("\n",
      "import socket, sys",
      "data = open(sys.argv[4], 'rb').read()",
      "c = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=30, source_address=(sys.argv[1], 0))",
      "c.sendall(data); c.shutdown(socket.SHUT_WR)",
      "c.recv(1)  # the receiver closes once it has read everything",
      "c.close()");

  /** What the receiver got: its byte count and SHA-256 (hex), and what was sent. */
  record Outcome(long sentBytes, String sentSha256, long receivedBytes, String receivedSha256, long millis) {
    boolean intact() {
      return sentBytes == receivedBytes && sentSha256.equals(receivedSha256);
    }
  }

  private TcpTransfer() {}

  /** Sends {@code bytes} random bytes (seeded) from {@code from}'s subnet address to {@code to}'s. */
  static Outcome run(Host from, Host to, int bytes, long seed) {
    return run(from, from.subnetAddress(), to, to.subnetAddress(), bytes, seed);
  }

  /** The same between the given addresses of the two hosts (IPv4 or IPv6). */
  static Outcome run(Host from, String fromAddress, Host to, String toAddress, int bytes, long seed) {
    Lab.requireCommand(PYTHON, "python3");
    byte[] data = new byte[bytes];
    new Random(seed).nextBytes(data);
    Path file = from.dir().resolve("transfer.bin");
    try {
      Files.write(file, data);
    } catch (IOException e) {
      throw new LabException("cannot write " + file + ": " + e.getMessage(), e);
    }
    long t0 = System.nanoTime();
    try (Background server = Background.start(to, "tcp-server", PYTHON, "-c", SERVER, toAddress,
        Integer.toString(PORT))) {
      server.awaitStderr("listening", Duration.ofSeconds(10));
      from.exec(Duration.ofSeconds(60), PYTHON, "-c", CLIENT, fromAddress, toAddress,
          Integer.toString(PORT), file.toString()).requireOk();
      String[] got = server.awaitExit(Duration.ofSeconds(10)).trim().split(" ");
      if (got.length != 2) {
        throw new LabException("the TCP receiver on " + to.name() + " printed '" + String.join(" ", got) + "'");
      }
      return new Outcome(bytes, sha256(data), Long.parseLong(got[0]), got[1], (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
