package org.openswanj.whack.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.openswanj.conf.OpenswanPaths;
import org.openswanj.whack.proto.WhackCodec;
import org.openswanj.whack.proto.WhackRequest;

/**
 * Sends one request to pluto's control socket and streams the reply lines back, computing the exit
 * status the way Openswan's whack does (programs/whack/whack.c): COMMENT and LOG lines leave it alone,
 * SUCCESS sets it to 0, any other code becomes it; with --asynchronous every code leaves it at 0.
 */
public final class WhackClient {
  private final Path socket;

  public WhackClient(Path socket) {
    this.socket = socket;
  }

  /** The client for {@code <ctlbase>.ctl}. */
  public static WhackClient forCtlbase(String ctlbase) {
    return new WhackClient(OpenswanPaths.controlSocket(ctlbase));
  }

  public Path socket() {
    return socket;
  }

  /**
   * Sends {@code request}, hands every received line (without its newline) to {@code sink} as it
   * arrives, and returns the exit status once pluto closes the connection.
   */
  public int send(WhackRequest request, Consumer<String> sink) throws PlutoUnreachableException, IOException {
    return send(request, sink, () -> {});
  }

  /**
   * As {@link #send(WhackRequest, Consumer)}, and runs {@code idle} whenever no further line has arrived
   * yet: a caller that buffers its output flushes there, so progress lines show at once while a status of
   * 100,000 lines goes out in large writes.
   */
  public int send(WhackRequest request, Consumer<String> sink, Runnable idle)
      throws PlutoUnreachableException, IOException {
    boolean async = request instanceof WhackRequest.Initiate i && i.async();
    try (SocketChannel channel = connect()) {
      OutputStream out = Channels.newOutputStream(channel);
      out.write(WhackCodec.encode(request));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
          StandardCharsets.UTF_8));
      ExitStatus status = new ExitStatus(async);
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        sink.accept(line);
        status.accept(line);
        if (!in.ready()) {
          idle.run();
        }
      }
      return status.value();
    }
  }

  private SocketChannel connect() throws PlutoUnreachableException, IOException {
    if (!Files.exists(socket)) {
      throw new PlutoUnreachableException("whack: Pluto is not running (no \"" + socket + "\")");
    }
    if (!Files.isReadable(socket) || !Files.isWritable(socket)) {
      throw new PlutoUnreachableException("whack: no right to communicate with pluto (access(\"" + socket + "\"))");
    }
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return channel;
    } catch (ConnectException e) {
      channel.close();
      throw new PlutoUnreachableException("whack: is Pluto running?  connect() for \"" + socket
          + "\" failed (111 Connection refused)");
    } catch (IOException e) {
      channel.close();
      throw new PlutoUnreachableException("whack: connect() for \"" + socket + "\" failed (" + e.getMessage() + ")");
    }
  }
}
