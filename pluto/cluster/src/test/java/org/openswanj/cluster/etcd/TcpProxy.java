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
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
        for (int n; (n = i.read(buf)) > 0; ) {
          o.write(buf, 0, n);
        }
      } catch (IOException e) {
        // cut
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
