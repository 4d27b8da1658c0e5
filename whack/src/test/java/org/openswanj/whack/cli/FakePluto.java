package org.openswanj.whack.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.openswanj.whack.proto.WhackCodec;
import org.openswanj.whack.proto.WhackRequest;

/** A pluto stand-in on a real unix socket: records each request and answers with scripted lines. */
final class FakePluto implements AutoCloseable {
  final List<WhackRequest> received = new CopyOnWriteArrayList<>();
  private final ServerSocketChannel server;
  private final Thread thread;
  private final Function<WhackRequest, List<String>> script;

  FakePluto(Path ctlbase, Function<WhackRequest, List<String>> script) throws IOException {
    this.script = script;
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(ctlbase + ".ctl"));
    thread = new Thread(this::serve, "fake-pluto");
    thread.setDaemon(true);
    thread.start();
  }

  private void serve() {
    while (server.isOpen()) {
      try (SocketChannel client = server.accept()) {
        WhackRequest request = WhackCodec.read(new DataInputStream(Channels.newInputStream(client)));
        received.add(request);
        OutputStream out = Channels.newOutputStream(client);
        for (String line : script.apply(request)) {
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
      } catch (Exception e) {
        // closed by the test, or a bad request: the test sees it in `received`
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
