package org.openswanj.kernel.klips.net;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory {@code ipsecN} device (wireguard-go's tuntest): a test {@link #route routes} bare IP packets
 * into it, as the kernel would, and takes what the data path {@link #delivered delivered}. Queues are bounded
 * like a TUN device's txqueuelen: what does not fit is dropped and counted.
 *
 * <p>Thread-safety: any number of threads on either side.
 */
public final class MemoryTun implements TunQueues {
  private static final int QUEUE = 4096;

  private final String name;
  private final List<BlockingQueue<byte[]>> routed = new ArrayList<>();
  private final BlockingQueue<byte[]> delivered = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  public MemoryTun(String name, int queues) {
    this.name = name;
    for (int q = 0; q < queues; q++) {
      routed.add(new ArrayBlockingQueue<>(QUEUE));
    }
  }

  /** As the kernel routing {@code ipPacket} into the device; false (dropped) if the queue is full. */
  public boolean route(byte[] ipPacket) {
    boolean queued = routed.get(0).offer(ipPacket.clone());
    if (!queued) {
      dropped.incrementAndGet();
    }
    return queued;
  }

  /** The next packet the data path wrote to the device (bare IP), or null if none came within {@code wait}. */
  public byte[] delivered(Duration wait) throws InterruptedException {
    return delivered.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Packets dropped because a queue was full. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int queues() {
    return routed.size();
  }

  @Override
  public int read(int queue, long address, int capacity, int timeoutMillis) {
    if (closed) {
      return -1;
    }
    byte[] p;
    try {
      p = routed.get(queue).poll(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
    if (p == null) {
      return closed ? -1 : 0;
    }
    int n = Math.min(p.length, capacity - TsoSegmenter.VNET_HDR);
    Pointer at = new Pointer(address);
    at.setMemory(0, TsoSegmenter.VNET_HDR, (byte) 0); // no offload: an ordinary packet
    at.write(TsoSegmenter.VNET_HDR, p, 0, n);
    return n + TsoSegmenter.VNET_HDR;
  }

  @Override
  public void write(ByteBuffer buf, long address, int offset, int length) {
    byte[] p = new byte[length];
    buf.get(offset, p);
    deliver(p);
  }

  @Override
  public void writeWithHeader(long address, int length) {
    deliver(new Pointer(address).getByteArray(TsoSegmenter.VNET_HDR, length));
  }

  private void deliver(byte[] p) {
    if (!closed && !delivered.offer(p)) {
      dropped.incrementAndGet();
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
