package org.openswanj.cluster.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay between one cluster node and etcd; {@link #cut} drops every connection and stops
 * accepting, which to etcd looks exactly like the node's machine dying (keep-alives stop, nothing says goodbye).
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  /** etcd's answers are held back until then (nanoTime), as if the first calls crossed a very slow machine. */
  private volatile long holdAnswersUntil;

  TcpProxy(int targetPort) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = targetPort;
    Thread t = new Thread(this::accept, "proxy-" + targetPort);
    t.setDaemon(true);
    t.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(in);
        open.add(out);
        pump(in, out, false);
        pump(out, in, true);
      } catch (IOException e) {
        return;
      }
    }
  }

  /** Holds back etcd's answers (what it sends to the node) for {@code hold} from now. */
  void holdAnswers(java.time.Duration hold) {
    holdAnswersUntil = System.nanoTime() + hold.toNanos();
  }

  private void pump(Socket from, Socket to, boolean answers) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
        for (int n; (n = i.read(buf)) > 0; ) {
          long wait = answers ? holdAnswersUntil - System.nanoTime() : 0;
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          o.write(buf, 0, n);
        }
      } catch (IOException e) {
        // cut
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pump");
    t.setDaemon(true);
    t.start();
  }

  void cut() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
