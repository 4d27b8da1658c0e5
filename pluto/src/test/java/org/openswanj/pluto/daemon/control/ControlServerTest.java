package org.openswanj.pluto.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openswanj.whack.proto.Rc;
import org.openswanj.whack.proto.WhackCodec;
import org.openswanj.whack.proto.WhackRequest;

@Timeout(30)
class ControlServerTest {
  @TempDir
  Path dir;

  final List<WhackRequest> handled = new CopyOnWriteArrayList<>();

  /** A daemon stand-in: answers Status with two lines, Initiate later from another thread, throws on Look. */
  final PlutoControl fake = (request, reply) -> {
    handled.add(request);
    if (request instanceof WhackRequest.Initiate) {
      new Thread(() -> {
        reply.line(Rc.NEW_STATE.code() + 17, "\"c\" #1: STATE_MAIN_I1: initiate");
        reply.line(Rc.SUCCESS, "\"c\" #2: IPsec SA established");
        reply.close();
        reply.line(Rc.LOG, "after close: dropped");
      }).start();
      return;
    }
    if (request instanceof WhackRequest.Look) {
      throw new IllegalStateException("boom");
    }
    reply.line(Rc.COMMENT, "interface lo/lo 127.0.0.1\nsecond line");
    reply.close();
  };

  Path sock() {
    return dir.resolve("pluto.ctl");
  }

  String exchange(byte[] request) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(sock()));
      ch.write(ByteBuffer.wrap(request));
      ch.shutdownOutput(); // as a short request would: the server sees its end
      InputStream in = Channels.newInputStream(ch);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void servesRequestsAndStreamsLines() throws Exception {
    try (ControlServer server = new ControlServer(sock(), fake, PeerCheck.anyone())) {
      server.start();
      assertEquals("000 interface lo/lo 127.0.0.1\n000 second line\n",
          exchange(WhackCodec.encode(new WhackRequest.Status(false))));
      assertEquals("117 \"c\" #1: STATE_MAIN_I1: initiate\n004 \"c\" #2: IPsec SA established\n",
          exchange(WhackCodec.encode(new WhackRequest.Initiate("c", false))));
      assertEquals(List.of(new WhackRequest.Status(false), new WhackRequest.Initiate("c", false)), handled);
    }
  }

  @Test
  void socketIsMode0600AndRemovedOnClose() throws Exception {
    try (ControlServer server = new ControlServer(sock(), fake, PeerCheck.anyone())) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock())));
    }
    assertTrue(Files.notExists(sock()));
  }

  @Test
  void rootIsAllowedByTheRealPeerCheck() throws Exception {
    // the tests run as root (the brief's machine); a non-root peer is simulated below
    try (ControlServer server = new ControlServer(sock(), fake)) {
      server.start();
      assertTrue(exchange(WhackCodec.encode(new WhackRequest.Status(false))).startsWith("000 interface"));
    }
  }

  @Test
  void aRefusedPeerGetsOneClearLineAndNothingIsDispatched() throws Exception {
    PeerCheck nonRoot = peer -> Optional.of("permission denied: only root may control pluto (peer is user alice)");
    try (ControlServer server = new ControlServer(sock(), fake, nonRoot)) {
      server.start();
      assertEquals("001 whack: permission denied: only root may control pluto (peer is user alice)\n",
          exchange(WhackCodec.encode(new WhackRequest.Shutdown())));
      assertTrue(handled.isEmpty());
    }
  }

  @Test
  void wrongMagicGetsARefusalLine() throws Exception {
    try (ControlServer server = new ControlServer(sock(), fake, PeerCheck.anyone())) {
      server.start();
      byte[] frame = WhackCodec.encode(new WhackRequest.Listen());
      frame[0] = 0;
      String reply = exchange(frame);
      assertTrue(reply.startsWith("001 whack: bad magic 0x00484b4a"), reply);
      frame = WhackCodec.encode(new WhackRequest.Listen());
      frame[5] = 9;
      assertTrue(exchange(frame).startsWith("001 whack: protocol version 9 not supported"));
      assertTrue(handled.isEmpty());
    }
  }

  @Test
  void garbageNeverKillsTheServer() throws Exception {
    try (ControlServer server = new ControlServer(sock(), fake, PeerCheck.anyone())) {
      server.start();
      Random random = new Random(42);
      for (int i = 0; i < 200; i++) {
        byte[] junk = new byte[random.nextInt(64)];
        random.nextBytes(junk);
        if (i % 2 == 1 && junk.length >= 12) { // a valid header over a random body
          System.arraycopy(WhackCodec.encode(new WhackRequest.Route("x")), 0, junk, 0, 8);
          junk[8] = junk[9] = junk[10] = 0;
          junk[11] = (byte) (junk.length - 12);
        }
        String reply = exchange(junk);
        assertTrue(reply.startsWith("001 whack: ") && reply.lines().count() == 1, reply);
      }
      assertEquals("000 interface lo/lo 127.0.0.1\n000 second line\n",
          exchange(WhackCodec.encode(new WhackRequest.Status(false))));
    }
  }

  @Test
  void aThrowingHandlerEndsOnlyItsExchange() throws Exception {
    try (ControlServer server = new ControlServer(sock(), fake, PeerCheck.anyone())) {
      server.start();
      String reply = exchange(WhackCodec.encode(new WhackRequest.Look()));
      assertEquals("032 internal error handling LOOK: java.lang.IllegalStateException: boom\n", reply);
      assertTrue(exchange(WhackCodec.encode(new WhackRequest.Status(false))).startsWith("000 "));
    }
  }

  @Test
  void aSilentClientDoesNotBlockOthers() throws Exception {
    try (ControlServer server = new ControlServer(sock(), fake, PeerCheck.anyone());
        SocketChannel idle = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.start();
      idle.connect(UnixDomainSocketAddress.of(sock()));
      idle.write(ByteBuffer.wrap(new byte[] {'W', 'H'})); // half a magic, then nothing
      assertTrue(exchange(WhackCodec.encode(new WhackRequest.Status(false))).startsWith("000 "));
    }
  }

  @Test
  void aRefusedPeerIsToldAtOnceWithoutItsRequestBeingRead() throws Exception {
    PeerCheck nonRoot = peer -> Optional.of("permission denied: only root may control pluto (peer is user alice)");
    try (ControlServer server = new ControlServer(sock(), fake, nonRoot, 20_000);
        SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.start();
      silent.connect(UnixDomainSocketAddress.of(sock()));
      // sends nothing: the refusal must not wait for a request (nor for the 20 s read timeout)
      long t0 = System.nanoTime();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      Channels.newInputStream(silent).transferTo(all);
      assertEquals("001 whack: permission denied: only root may control pluto (peer is user alice)\n",
          all.toString(StandardCharsets.UTF_8));
      assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "refused before any read timeout");
      assertTrue(handled.isEmpty());
    }
  }

  @Test
  void bindingLeavesOnlyTheSocketBehind() throws Exception {
    try (ControlServer server = new ControlServer(sock(), fake, PeerCheck.anyone())) {
      try (var entries = Files.list(dir)) {
        assertEquals(List.of(sock()), entries.toList(), "the private 0700 bind directory is gone");
      }
      server.start();
      assertTrue(exchange(WhackCodec.encode(new WhackRequest.Status(false))).contains("interface lo/lo"));
    }
  }

  @Test
  void aClientThatNeverFinishesItsRequestIsTimedOut() throws Exception {
    try (ControlServer server = new ControlServer(sock(), fake, PeerCheck.anyone(), 300);
        SocketChannel slow = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.start();
      slow.connect(UnixDomainSocketAddress.of(sock()));
      slow.write(ByteBuffer.wrap(new byte[] {'W', 'H', 'K'}));
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      Channels.newInputStream(slow).transferTo(all);
      assertEquals("001 whack: no complete request within 300 ms\n", all.toString(StandardCharsets.UTF_8));
      assertTrue(handled.isEmpty());
    }
  }

  @Test
  void staleSocketIsReplacedButALiveOneIsNot() throws Exception {
    ControlServer first = new ControlServer(sock(), fake, PeerCheck.anyone());
    first.start();
    IOException live = assertThrows(IOException.class, () -> new ControlServer(sock(), fake, PeerCheck.anyone()));
    assertTrue(live.getMessage().contains("pluto is already running"), live.getMessage());
    // a dead pluto leaves its socket file behind: simulate by binding and closing without cleanup
    first.close();
    try (var dead = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(sock()));
    }
    assertTrue(Files.exists(sock()));
    try (ControlServer second = new ControlServer(sock(), fake, PeerCheck.anyone())) {
      second.start();
      assertTrue(exchange(WhackCodec.encode(new WhackRequest.Status(false))).startsWith("000 "));
    }
  }

  @Test
  void aRegularFileInTheWayIsNotDeleted() throws Exception {
    Files.writeString(sock(), "not a socket");
    IOException e = assertThrows(IOException.class, () -> new ControlServer(sock(), fake, PeerCheck.anyone()));
    assertTrue(e.getMessage().contains("is not a socket"), e.getMessage());
    assertEquals("not a socket", Files.readString(sock()));
  }
}
