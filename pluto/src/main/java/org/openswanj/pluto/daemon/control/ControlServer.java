package org.openswanj.pluto.daemon.control;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.whack.proto.Rc;
import org.openswanj.whack.proto.WhackCodec;
import org.openswanj.whack.proto.WhackProtocolException;
import org.openswanj.whack.proto.WhackRequest;

/**
 * pluto's control socket {@code <ctlbase>.ctl}: a unix-domain stream socket, mode 0600. Per client:
 * read ONE request (within 10 s), check the peer ({@link PeerCheck}, by default
 * uid 0 via SO_PEERCRED), hand it to {@link PlutoControl}, stream the reply lines until the daemon
 * closes the exchange. A bad request gets one line {@code 001 whack: <what was wrong>}; nothing a
 * client sends can stop the accept thread.
 *
 * <p>Threads: one accept thread; one thread per open exchange (at most {@link #MAX_CLIENTS}), which
 * reads the request and then writes the queued reply lines. The daemon's handler runs on that thread
 * and must only post to the event loop.
 */
public final class ControlServer implements AutoCloseable {
  static final int READ_TIMEOUT_MILLIS = 10_000;
  /** An exchange the daemon never closes is ended after this long, so a bug cannot pin a thread forever. */
  static final long MAX_EXCHANGE_MILLIS = TimeUnit.HOURS.toMillis(1);
  /** How long a refused client has to finish writing its request before we answer and close. */
  static final long REFUSAL_WAIT_MILLIS = 500;
  static final int MAX_CLIENTS = 32;
  private static final Logger LOG = LogManager.getLogger(ControlServer.class);
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private final Path socket;
  private final long readTimeoutMillis;
  private final PlutoControl control;
  private final PeerCheck peerCheck;
  private final ServerSocketChannel server;
  private final ExecutorService sessions;
  private final ScheduledExecutorService timeouts;
  private Thread acceptThread;

  /** Binds {@code ctlSocket}, accepting only root. */
  public ControlServer(Path ctlSocket, PlutoControl control) throws IOException {
    this(ctlSocket, control, PeerCheck.rootOnly());
  }

  /** Binds {@code ctlSocket} (mode 0600), removing a stale socket file that no pluto answers on. */
  public ControlServer(Path ctlSocket, PlutoControl control, PeerCheck peerCheck) throws IOException {
    this(ctlSocket, control, peerCheck, READ_TIMEOUT_MILLIS);
  }

  ControlServer(Path ctlSocket, PlutoControl control, PeerCheck peerCheck, long readTimeoutMillis)
      throws IOException {
    this.readTimeoutMillis = readTimeoutMillis;
    this.socket = ctlSocket;
    this.control = control;
    this.peerCheck = peerCheck;
    removeStale(ctlSocket);
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      bindPrivately(server, ctlSocket);
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot bind control socket \"" + ctlSocket + "\": " + e.getMessage(), e);
    }
    this.sessions = new ThreadPoolExecutor(0, MAX_CLIENTS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> daemon(r, "whack-session"));
    this.timeouts = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "whack-timeouts"));
  }

  public Path socket() {
    return socket;
  }

  /** Starts the accept thread. */
  public synchronized void start() {
    if (acceptThread != null) {
      throw new IllegalStateException("control server already started");
    }
    acceptThread = daemon(this::acceptLoop, "whack-accept");
    acceptThread.start();
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (server.isOpen()) {
          LOG.warn("control socket \"{}\": accept failed: {}", socket, e.getMessage());
        }
        continue;
      }
      try {
        sessions.execute(() -> serve(client));
      } catch (RejectedExecutionException e) {
        refuseBusy(client);
      }
    }
  }

  /** One exchange, on its own thread. */
  private void serve(SocketChannel client) {
    ClientSession reply = new ClientSession(client);
    try {
      // the peer's credentials first: nothing of a refused client's request is decoded
      Optional<String> refusal = peerCheck.refuse(client);
      if (refusal.isPresent()) {
        LOG.warn("control socket: refused a whack connection: {}", refusal.get());
        // the client writes its request before it reads: let it finish (unread, undecoded), or closing
        // first would break its write and it would never see why
        reply.discardRequest(REFUSAL_WAIT_MILLIS);
        reply.line(Rc.WHACK_PROBLEM, "whack: " + refusal.get());
        reply.close();
      } else {
        readRequest(client, reply).ifPresent(request -> dispatch(request, reply));
      }
    } catch (IOException | RuntimeException e) {
      reply.line(Rc.WHACK_PROBLEM, "whack: " + e.getMessage());
      reply.close();
    }
    reply.drain(MAX_EXCHANGE_MILLIS);
  }

  private Optional<WhackRequest> readRequest(SocketChannel client, ClientSession reply) {
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> timer = timeouts.schedule(() -> {
      timedOut.set(true);
      try {
        client.shutdownInput(); // wakes the blocked read with end-of-stream
      } catch (IOException ignored) {
        // already closed
      }
    }, readTimeoutMillis, TimeUnit.MILLISECONDS);
    try {
      return Optional.of(WhackCodec.read(new DataInputStream(Channels.newInputStream(client))));
    } catch (WhackProtocolException | IOException e) {
      reply.line(Rc.WHACK_PROBLEM, "whack: " + (timedOut.get()
          ? "no complete request within " + (readTimeoutMillis % 1000 == 0
          ? readTimeoutMillis / 1000 + " s" : readTimeoutMillis + " ms")
          : e instanceof WhackProtocolException ? e.getMessage() : "reading the request failed: " + e.getMessage()));
    } finally {
      timer.cancel(false);
    }
    reply.close();
    return Optional.empty();
  }

  /** The daemon's handler; whatever it throws ends this exchange only, never the server. */
  private void dispatch(WhackRequest request, ClientSession reply) {
    try {
      control.handle(request, reply);
    } catch (RuntimeException e) {
      LOG.error("whack {} request failed inside pluto", request.type(), e);
      reply.line(Rc.INTERNALERR, "internal error handling " + request.type() + ": " + e);
      reply.close();
    }
  }

  private void refuseBusy(SocketChannel client) {
    ClientSession reply = new ClientSession(client);
    reply.line(Rc.WHACK_PROBLEM, "whack: pluto is busy (" + MAX_CLIENTS + " whack exchanges open); try again");
    reply.close();
    reply.drain(1000);
  }

  /** A socket file left by a dead pluto is removed; a live pluto, or a file that is no socket, is an error. */
  /**
   * Binds {@code target} with no moment at which another user could connect: the socket is bound inside a
   * fresh directory of mode 0700 next to the target, made 0600 there, then linked into place (a bound Unix
   * socket listens under every name of its inode).
   */
  static void bindPrivately(ServerSocketChannel server, Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Path privateDir = Files.createTempDirectory(parent, ".pluto-ctl-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path inside = privateDir.resolve("s");
    try {
      server.bind(UnixDomainSocketAddress.of(inside));
      Files.setPosixFilePermissions(inside, PosixFilePermissions.fromString("rw-------"));
      Files.createLink(target, inside); // link(2): atomic, and never replaces a socket that appeared meanwhile
    } finally {
      Files.deleteIfExists(inside);
      Files.deleteIfExists(privateDir);
    }
  }

  static void removeStale(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new IOException("\"" + path + "\" exists and is not a socket; not removing it");
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(path));
      throw new IOException("pluto is already running: \"" + path + "\" answers");
    } catch (java.net.ConnectException e) {
      Files.deleteIfExists(path); // nobody listens: stale
    }
  }

  @Override
  public void close() {
    closeQuietly(server);
    sessions.shutdownNow();
    timeouts.shutdownNow();
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.warn("cannot remove control socket \"{}\": {}", socket, e.getMessage());
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing: nothing to do
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
