package org.openswanj.kernel;

import java.util.List;
import java.util.Set;

/**
 * The kernel backend SPI: what pluto asks of an IPsec data path (netkey, klips, none).
 *
 * <p>SA identity ({@link SaId}) is kept apart from SA data ({@link SaSpec}), as in strongSwan's
 * kernel interface. Every method may be called from any single thread; implementations say in their
 * class comment whether they are safe for concurrent callers. A refusal is a {@link KernelException}
 * whose message says in words what was asked and why it failed.
 */
public interface KernelBackend extends AutoCloseable {

  /** "netkey", "klips" or "none". */
  String name();

  Set<KernelFeature> features();

  /** Reserves an inbound SPI (RFC 4301 §4.1: the receiver picks the SPI) for an SA from {@code ends.src()} to {@code ends.dst()}. */
  int allocateSpi(SaEndpoints ends, IpsecProto proto) throws KernelException;

  void addSa(SaId id, SaSpec spec) throws KernelException;

  void deleteSa(SaId id) throws KernelException;

  SaUsage querySa(SaId id) throws KernelException;

  /**
   * Moves SA {@code id}'s UDP encapsulation to new ports ({@code encap}, the packets' source and destination port as in
   * {@link SaSpec}), keeping its keys, sequence numbers and replay window: the peer behind a NAT got a new mapping
   * (RFC 7296 §2.23). Only a backend with {@link KernelFeature#ENCAP_UPDATE} can; the default throws.
   */
  default void updateSaEncap(SaId id, UdpEncap encap) throws KernelException {
    throw new KernelException(name() + ": cannot move SA " + id + " to new UDP ports");
  }

  /**
   * Advances outbound SA {@code id}'s sequence counter by {@code delta}, keeping its keys: the next packet numbers at
   * least {@code delta} past the one it would have had. A peer's cluster node that took the IKE SA over asks for it
   * (RFC 6311 §5.2), so that packets the old node received cannot come back as new. A counter pushed past what the
   * SA may use without wrapping (RFC 4303 §3.3.3) leaves the SA exhausted, as if it had sent that many packets.
   * Only a backend with {@link KernelFeature#SEQ_ADVANCE} can; the default throws.
   */
  default void advanceOutboundSeq(SaId id, long delta) throws KernelException {
    throw new KernelException(name() + ": cannot advance the sequence counter of SA " + id);
  }

  void addPolicy(PolicyId id, PolicySpec spec) throws KernelException;

  void replacePolicy(PolicyId id, PolicySpec spec) throws KernelException;

  void deletePolicy(PolicyId id) throws KernelException;

  /** Removes every SA and policy this backend instance installed (never another process's). */
  void flush() throws KernelException;

  /** Where acquire, expire and NAT-mapping events go; {@code null} to stop delivery. */
  void setListener(KernelListener listener);

  /** What is installed, for {@code ipsec look} and {@code ipsec whack --status}: one line per SA or policy. */
  List<String> describe();

  /**
   * Hands the backend pluto's IKE sockets, so that UDP-encapsulated ESP (RFC 3948) can share port 4500
   * with IKE. The default does nothing (a backend whose kernel decapsulates needs nothing).
   */
  default void attachUdpEncap(UdpEncapSocket socket) throws KernelException {}

  /**
   * Called by pluto for a datagram received on its port-4500 socket that is not IKE (no non-ESP marker,
   * RFC 3948 §2.2): the backend decapsulates it. Called from one thread at a time, which calls
   * {@link #udpEncapsulatedBatchEnd} after each batch; {@code esp} is valid only during the call. The default drops it.
   */
  default void receiveUdpEncapsulated(java.net.InetSocketAddress from, java.net.InetSocketAddress to, java.nio.ByteBuffer esp) {}

  /** The end of a batch of {@link #receiveUdpEncapsulated} calls (what the backend holds to merge goes out). */
  default void udpEncapsulatedBatchEnd() {}

  /**
   * True if this backend decapsulates ESP in UDP itself and takes it in batches: pluto then lets the kernel
   * coalesce the datagrams on its port-4500 sockets (UDP_GRO) and splits them again before handing them over.
   * A backend whose kernel decapsulates (netkey's UDP_ENCAP) says false, the default.
   */
  default boolean decapsulatesUdpInBatches() {
    return false;
  }

  /**
   * Start-up: removes SAs and policies a previous pluto of ours left in the kernel (it died without flushing).
   * Returns how many objects went. The default has nothing to clean (its state dies with the process).
   */
  default int cleanLeftovers() throws KernelException {
    return 0;
  }

  /**
   * The interface that carries the decrypted traffic of tunnels whose outer address is {@code outer}
   * (KLIPS: {@code ipsec0}), for {@code --status} and the updown script; empty when it is the physical one.
   */
  default java.util.Optional<String> virtualInterface(java.net.InetAddress outer) {
    return java.util.Optional.empty();
  }

  /**
   * Prepares one of pluto's IKE sockets, bound to {@code local} on physical interface {@code device}: IKE itself
   * must never be encrypted (RFC 4301 §4.4.1 bypass), and on the NAT-T port ({@code nattPort}) ESP in UDP is
   * decapsulated (RFC 3948). The default needs nothing.
   */
  default void prepareIkeSocket(int fd, java.net.InetAddress local, String device, boolean nattPort)
      throws KernelException {}

  /**
   * Packets the data path dropped since the backend opened, by reason (lower-case words, e.g. {@code unknown_spi},
   * {@code replay}), for {@code whack --metrics}. netkey reads XFRM's /proc/net/xfrm_stat; the default is empty. Any
   * thread.
   */
  default java.util.Map<String, Long> dataPathDrops() {
    return java.util.Map.of();
  }

  @Override
  void close() throws KernelException;
}
