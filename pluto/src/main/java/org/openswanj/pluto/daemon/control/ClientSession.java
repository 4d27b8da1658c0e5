package org.openswanj.pluto.daemon.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openswanj.whack.proto.ReplyLine;

/**
 * One whack exchange's reply side. {@link #line} only queues (the event loop calls it and must never
 * block on a slow client); the session's own thread writes the queue out in {@link #drain}. A client
 * that lets more than {@link #MAX_QUEUED} lines pile up is dropped.
 */
final class ClientSession implements WhackReply {
  static final int MAX_QUEUED = 100_000;
  private static final byte[] END = new byte[0];
  private static final int DISCARD_LIMIT = 2 << 20;
  private static final int BATCH = 512;

  private final SocketChannel channel;
  private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  ClientSession(SocketChannel channel) {
    this.channel = channel;
  }

  @Override
  public void line(int code, String text) {
    if (closed.get()) {
      return;
    }
    String body = text == null ? "" : text;
    boolean multi = body.indexOf('\n') >= 0 || body.indexOf('\r') >= 0;
    for (String part : multi ? body.split("\r?\n", -1) : new String[] {body}) {
      if (queue.size() >= MAX_QUEUED) {
        close(); // the client does not read; END still gets through: the queue is unbounded
        return;
      }
      queue.add((new ReplyLine(Math.max(0, Math.min(code, 999)), part).format() + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      queue.add(END);
    }
  }

  @Override
  public boolean closed() {
    return closed.get();
  }

  @Override
  public int backlog() {
    return queue.size();
  }

  /**
   * Reads away what the client sent beyond the request (a bad request leaves its rest unread): a unix
   * socket closed with unread input resets the peer, which would then lose the lines written to it.
   */
  private void discardUnreadInput() throws IOException {
    if (!channel.isOpen()) {
      return;
    }
    channel.configureBlocking(false);
    ByteBuffer sink = ByteBuffer.allocate(8192);
    for (int total = 0; total < DISCARD_LIMIT; total += sink.position()) {
      sink.clear();
      if (channel.read(sink) <= 0) {
        return;
      }
    }
  }

  /**
   * Reads and drops what the client sends until it shuts its side down or {@code maxMillis} pass (at most
   * {@code DISCARD_LIMIT} bytes): for a refused client, whose request is never decoded.
   */
  void discardRequest(long maxMillis) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    channel.configureBlocking(false);
    try (java.nio.channels.Selector sel = java.nio.channels.Selector.open()) {
      channel.register(sel, java.nio.channels.SelectionKey.OP_READ);
      ByteBuffer sink = ByteBuffer.allocate(8192);
      for (long total = 0, left; total < DISCARD_LIMIT && (left = deadline - System.nanoTime()) > 0; ) {
        if (sel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))) == 0) {
          continue;
        }
        sel.selectedKeys().clear();
        sink.clear();
        int n = channel.read(sink);
        if (n < 0) {
          return; // the whole request is in
        }
        total += n;
      }
    }
    channel.configureBlocking(true); // the selector is closed: the channel is free again for drain()
  }

  /**
   * Writes queued lines until {@link #close()} or until {@code maxWaitMillis} pass with the exchange
   * still open; then closes the socket. Runs on the session's thread.
   */
  void drain(long maxWaitMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    List<byte[]> batch = new ArrayList<>(BATCH);
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        byte[] next = queue.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
        if (next == null || next == END) {
          break;
        }
        // what else is queued goes out in the same write (a long status is 100,000s of lines)
        batch.clear();
        batch.add(next);
        queue.drainTo(batch, BATCH - 1);
        int end = batch.indexOf(END);
        List<byte[]> lines = end < 0 ? batch : batch.subList(0, end);
        ByteBuffer[] bufs = lines.stream().map(ByteBuffer::wrap).toArray(ByteBuffer[]::new);
        long size = lines.stream().mapToLong(b -> b.length).sum();
        for (long written = 0; written < size; ) {
          written += channel.write(bufs);
        }
        if (end >= 0) {
          break;
        }
      }
    } catch (IOException e) {
      // the client went away (whack killed, or --asynchronous done): nothing left to tell it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closed.set(true);
      queue.clear();
      try {
        discardUnreadInput();
        channel.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }
}
