package org.openswanj.kernel.netkey;

import com.sun.jna.LastErrorException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.KernelFeature;
import org.openswanj.kernel.KernelListener;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.SaEndpoints;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.SaUsage;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;
import org.openswanj.kernel.UdpEncapSocket;

/**
 * NETKEY: the Linux kernel's own IPsec (XFRM), driven over NETLINK_XFRM through JNA
 * ({@code protostack=netkey}, alias {@code native}).
 *
 * <p>Both sockets are opened in the constructor, in the network namespace of the calling thread. Requests
 * are serialised (every public method is synchronized); events arrive on the "netkey-events" daemon
 * thread. The backend remembers what it installed, so {@link #flush()} removes exactly that; what it
 * installs is tagged (see {@link Ownership}) so {@link #cleanLeftovers()} can find a previous pluto's.
 */
public final class NetkeyBackend implements KernelBackend {
  private static final Logger LOG = LogManager.getLogger(NetkeyBackend.class);
  /** RFC 4303 §2.1: SPIs 1..255 are reserved. */
  static final int SPI_MIN = 0x100;
  static final int SPI_MAX = 0xffffffff;
  static final int REQUEST_TIMEOUT_MILLIS = 10_000;

  /** An SA's kernel key: XFRM names SAs by destination, SPI and protocol (not source). */
  private record SaKey(InetAddress dst, int spi, IpsecProto proto) {
    static SaKey of(SaId id) {
      return new SaKey(id.dst(), id.spi(), id.proto());
    }
  }

  private final XfrmRequests nl;
  /** Null in the unit tests' backend, which has no event socket. */
  private final XfrmEventReader events;
  private final Map<SaKey, SaId> larval = new LinkedHashMap<>();
  private final Map<SaKey, SaId> sas = new LinkedHashMap<>();
  /** When we added each SA (wall-clock seconds, taken before the request), to tell its EXPIREs from stale ones. */
  private final Map<SaKey, Long> addedAt = new java.util.HashMap<>();
  private final Map<PolicyId, PolicySpec> policies = new LinkedHashMap<>();
  private volatile KernelListener listener;
  /** The namespace's XFRM drop counters when we opened: the metrics count from here. */
  private final Map<String, Long> dropsAtOpen = XfrmStat.read();

  /** Opens the request and event sockets; fails in words when the kernel has no XFRM netlink. */
  public NetkeyBackend() throws KernelException {
    try {
      this.nl = NetlinkSocket.open(NetlinkSocket.NETLINK_XFRM, 0, REQUEST_TIMEOUT_MILLIS);
    } catch (NetlinkException e) {
      throw new KernelException("netkey: " + e.getMessage(), e.errno(), e);
    }
    try {
      this.events = new XfrmEventReader(() -> listener, this::staleExpire);
    } catch (NetlinkException e) {
      nl.close();
      throw new KernelException("netkey: cannot subscribe to XFRM events: " + e.getMessage(), e.errno(), e);
    }
  }

  /** For unit tests: requests go to {@code requests}, and no events are read. */
  NetkeyBackend(XfrmRequests requests) {
    this.nl = requests;
    this.events = null;
  }

  /** For {@code protostack=auto}: true when a NETLINK_XFRM socket opens in this namespace. */
  public static boolean available() {
    try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_XFRM, 0, 1000)) {
      return true;
    } catch (NetlinkException e) {
      return false;
    }
  }

  @Override
  public String name() {
    return "netkey";
  }

  @Override
  public Set<KernelFeature> features() {
    return EnumSet.of(KernelFeature.ESN, KernelFeature.UDP_ENCAP, KernelFeature.RAW_ESP, KernelFeature.AEAD,
        KernelFeature.TRAP_ACQUIRE, KernelFeature.EXPIRE_EVENTS, KernelFeature.IPV6, KernelFeature.DATA_PATH,
        KernelFeature.ENCAP_UPDATE, KernelFeature.SEQ_ADVANCE);
  }

  @Override
  public synchronized int allocateSpi(SaEndpoints ends, IpsecProto proto) throws KernelException {
    byte[] req = XfrmCodec.userspiInfo(ends.src(), ends.dst(), proto.ipProtocol(), 0, SPI_MIN, SPI_MAX);
    List<NetlinkSocket.Message> reply;
    try {
      reply = nl.request(Xfrm.MSG_ALLOCSPI, 0, req);
    } catch (NetlinkException e) {
      throw XfrmErrors.refused("cannot allocate an SPI for " + proto.name().toLowerCase(java.util.Locale.ROOT)
          + " " + ends.src().getHostAddress() + "→" + ends.dst().getHostAddress(), "SA", e);
    }
    SaId id = reply.stream().filter(m -> m.type() == Xfrm.MSG_NEWSA)
        .map(m -> XfrmParse.state(m.payload(), 0, -1)).flatMap(java.util.Optional::stream)
        .map(XfrmParse.State::id).findFirst()
        .orElseThrow(() -> new KernelException("cannot allocate an SPI for " + ends + ": the kernel's reply "
            + "carried no SA"));
    SaId ours = new SaId(ends.src(), ends.dst(), id.spi(), proto);
    larval.put(SaKey.of(ours), ours);
    return id.spi();
  }

  /** NEWSA, or UPDSA when the SPI came from {@link #allocateSpi} (the kernel holds a larval SA for it). */
  @Override
  public synchronized void addSa(SaId id, SaSpec spec) throws KernelException {
    SaTransform t = spec.transform();
    if (t.cipher().xfrmName() == null || (t.integrity() != null && t.integrity().xfrmName() == null)) {
      throw new KernelException("cannot add SA " + XfrmErrors.sa(id) + ": " + (t.cipher().xfrmName() == null
          ? t.cipher() : t.integrity()) + " is not implemented (no XFRM algorithm name)", 22);
    }
    SaKey key = SaKey.of(id);
    boolean update = larval.containsKey(key);
    int reqid = Ownership.kernelReqid(spec.binding().reqid(), "cannot add SA " + XfrmErrors.sa(id));
    byte[] sa = XfrmMessages.sa(id, spec, reqid);
    long at = System.currentTimeMillis() / 1000;
    try {
      nl.request(update ? Xfrm.MSG_UPDSA : Xfrm.MSG_NEWSA, 0, sa);
    } catch (NetlinkException e) {
      if (!update || e.errno() != Errno.ESRCH) {
        throw XfrmErrors.saInstall("add", id, spec, e);
      }
      // The larval SA of ALLOCSPI lives net.core.xfrm_acq_expires (30 s): a Child SA negotiated later (queued
      // behind others, a slow peer) finds it gone. The SPI is still ours to use: add the SA anew, as strongSwan's
      // kernel-netlink does.
      LOG.info("netkey: the SPI of SA {} was allocated more than xfrm_acq_expires ago; adding the SA anew",
          XfrmErrors.sa(id));
      try {
        nl.request(Xfrm.MSG_NEWSA, 0, sa);
      } catch (NetlinkException again) {
        throw XfrmErrors.saInstall("add", id, spec, again);
      }
    }
    larval.remove(key);
    sas.put(key, id);
    addedAt.put(key, at);
    LOG.debug("netkey: added SA {} ({})", XfrmErrors.sa(id), spec.binding().name());
  }

  /**
   * True for an EXPIRE of the larval SA of ALLOCSPI, whose xfrm_acq_expires ran out before the Child SA was added
   * (addSa then adds it anew): pluto must never act on it. Two cases. The SPI is still larval here: the Child SA is
   * not added yet, but pluto handles events later, on its event loop, and would meet the SA added by then and
   * delete it (VM scenario g lost one Child SA of 20 now and then that way). Or the SPI was added since: the expired
   * state is older than our add (the kernel stamps each state with curlft.add_time, wall-clock seconds; one second
   * of slack for rounding).
   */
  synchronized boolean staleExpire(SaId id, long kernelAddTime) {
    SaKey key = SaKey.of(id);
    if (larval.containsKey(key)) {
      return true;
    }
    Long at = addedAt.get(key);
    return at != null && kernelAddTime + 1 < at;
  }

  @Override
  public synchronized void deleteSa(SaId id) throws KernelException {
    try {
      nl.request(Xfrm.MSG_DELSA, 0, XfrmCodec.usersaId(id.dst(), id.spi(), id.proto().ipProtocol()));
    } catch (NetlinkException e) {
      throw XfrmErrors.refused("cannot delete SA " + XfrmErrors.sa(id), "SA", e);
    } finally {
      sas.remove(SaKey.of(id));
      larval.remove(SaKey.of(id));
      addedAt.remove(SaKey.of(id));
    }
  }

  @Override
  public synchronized SaUsage querySa(SaId id) throws KernelException {
    List<NetlinkSocket.Message> reply;
    try {
      reply = nl.request(Xfrm.MSG_GETSA, 0, XfrmCodec.usersaId(id.dst(), id.spi(), id.proto().ipProtocol()));
    } catch (NetlinkException e) {
      throw XfrmErrors.refused("cannot query SA " + XfrmErrors.sa(id), "SA", e);
    }
    for (NetlinkSocket.Message m : reply) {
      var s = XfrmParse.state(m.payload(), 0, -1);
      if (m.type() == Xfrm.MSG_NEWSA && s.isPresent()) {
        XfrmParse.State st = s.get();
        return new SaUsage(st.bytes(), st.packets(), st.useTime(), st.replayFailures(), st.integrityFailures());
      }
    }
    throw new KernelException("cannot query SA " + XfrmErrors.sa(id) + ": the kernel's reply carried no SA");
  }

  /**
   * Moves SA {@code id}'s ESP-in-UDP to new ports in place (RFC 7296 §2.23, a NAT's new mapping): GETSA, then UPDSA
   * with the new XFRMA_ENCAP (see {@link XfrmMessages#encapUpdate}). The SA keeps its SPI, keys, sequence numbers
   * and replay window, so neither end's anti-replay check (RFC 4303 §3.4.3) drops what follows.
   */
  @Override
  public synchronized void updateSaEncap(SaId id, UdpEncap encap) throws KernelException {
    String what = "cannot move SA " + XfrmErrors.sa(id) + " to UDP ports " + encap.srcPort() + "→" + encap.dstPort();
    rewrite(id, what, sa -> XfrmMessages.encapUpdate(sa, encap), "the SA is not UDP-encapsulated", Xfrm.MSG_UPDSA, 0);
    LOG.debug("netkey: SA {} now uses UDP ports {}→{}", XfrmErrors.sa(id), encap.srcPort(), encap.dstPort());
  }

  /**
   * RFC 6311 §5.2: moves outbound SA {@code id}'s sequence counter {@code delta} on, in place (GETSA for its replay
   * state, then NEWAE; {@link XfrmMessages#seqAdvance}). Packets sent between the two requests took numbers the new
   * counter is past, since the peer asks for at least its cluster's margin.
   */
  @Override
  public synchronized void advanceOutboundSeq(SaId id, long delta) throws KernelException {
    String what = "cannot advance the outbound sequence number of SA " + XfrmErrors.sa(id) + " by " + delta;
    if (delta < 1) {
      throw new KernelException(what + ": not a step forward", Errno.EINVAL);
    }
    rewrite(id, what, sa -> XfrmMessages.seqAdvance(sa, delta), "the kernel's reply carried no replay state",
        Xfrm.MSG_NEWAE, NetlinkSocket.NLM_F_REPLACE);
    LOG.debug("netkey: SA {}'s outbound sequence number advanced by {}", XfrmErrors.sa(id), delta);
  }

  /**
   * GETSA, then a request of {@code type} built from the SA as the kernel holds it ({@code build}: empty when it does
   * not apply, which fails with {@code unfit}). The reply and the request carry the SA's keys: both are wiped.
   */
  private void rewrite(SaId id, String what, java.util.function.Function<java.nio.ByteBuffer,
      java.util.Optional<byte[]>> build, String unfit, int type, int flags) throws KernelException {
    NetlinkSocket.Message sa = getSa(id, what);
    byte[] msg;
    try {
      msg = build.apply(sa.payload()).orElseThrow(() -> new KernelException(what + ": " + unfit, Errno.EINVAL));
    } finally {
      java.util.Arrays.fill(sa.payload().array(), (byte) 0);
    }
    try {
      nl.request(type, flags, msg);
    } catch (NetlinkException e) {
      throw XfrmErrors.refused(what, "SA", e);
    } finally {
      java.util.Arrays.fill(msg, (byte) 0);
    }
  }

  /** The SA as the kernel holds it (GETSA): xfrm_usersa_info and its attributes, keys included. */
  private NetlinkSocket.Message getSa(SaId id, String what) throws KernelException {
    List<NetlinkSocket.Message> reply;
    try {
      reply = nl.request(Xfrm.MSG_GETSA, 0, XfrmCodec.usersaId(id.dst(), id.spi(), id.proto().ipProtocol()));
    } catch (NetlinkException e) {
      throw XfrmErrors.refused(what, "SA", e);
    }
    NetlinkSocket.Message sa = null;
    for (NetlinkSocket.Message m : reply) {
      if (sa == null && m.type() == Xfrm.MSG_NEWSA && m.payload().limit() >= Xfrm.SIZEOF_USERSA_INFO) {
        sa = m;
      } else {
        java.util.Arrays.fill(m.payload().array(), (byte) 0);
      }
    }
    if (sa == null) {
      throw new KernelException(what + ": the kernel's reply carried no SA");
    }
    return sa;
  }

  @Override
  public synchronized void addPolicy(PolicyId id, PolicySpec spec) throws KernelException {
    installPolicy(Xfrm.MSG_NEWPOLICY, "add", id, spec);
  }

  @Override
  public synchronized void replacePolicy(PolicyId id, PolicySpec spec) throws KernelException {
    installPolicy(Xfrm.MSG_UPDPOLICY, "replace", id, spec);
  }

  private void installPolicy(int type, String verb, PolicyId id, PolicySpec spec) throws KernelException {
    String what = "cannot " + verb + " " + spec.action().name().toLowerCase(java.util.Locale.ROOT) + " policy "
        + describe(id);
    int priority = Ownership.kernelPriority(spec, id.selector(), what);
    int reqid = Ownership.kernelReqid(spec.reqid(), what);
    try {
      nl.request(type, 0, XfrmMessages.policy(id, spec, priority, reqid));
    } catch (NetlinkException e) {
      throw XfrmErrors.refused(what, "policy", e);
    }
    policies.put(id, spec);
  }

  static String describe(PolicyId id) {
    return id.selector() + " dir " + id.direction().name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public synchronized void deletePolicy(PolicyId id) throws KernelException {
    try {
      nl.request(Xfrm.MSG_DELPOLICY, 0, XfrmCodec.userpolicyId(id.selector(), XfrmMessages.dir(id.direction())));
    } catch (NetlinkException e) {
      throw XfrmErrors.refused("cannot delete policy " + describe(id), "policy", e);
    } finally {
      policies.remove(id);
    }
  }

  /**
   * Deletes every policy and SA this instance installed (and SPIs it reserved), never another process's:
   * no XFRM_MSG_FLUSHSA. Tries them all; reports the first failure other than "already gone".
   */
  @Override
  public synchronized void flush() throws KernelException {
    KernelException first = null;
    for (PolicyId id : new ArrayList<>(policies.keySet())) {
      first = keepFirst(first, () -> deletePolicy(id));
    }
    List<SaId> all = new ArrayList<>(sas.values());
    all.addAll(larval.values());
    for (SaId id : all) {
      first = keepFirst(first, () -> deleteSa(id));
    }
    if (first != null) {
      throw first;
    }
  }

  private interface KernelCall {
    void run() throws KernelException;
  }

  private static KernelException keepFirst(KernelException first, KernelCall call) {
    try {
      call.run();
    } catch (KernelException e) {
      if (e.errno() != Errno.ENOENT && e.errno() != Errno.ESRCH && first == null) {
        return e;
      }
    }
    return first;
  }

  /**
   * Removes SAs and policies a previous pluto left in the kernel, recognised by their tags (see
   * {@link Ownership}). Call once at start-up. Returns how many objects were removed.
   */
  @Override
  public synchronized int cleanLeftovers() throws KernelException {
    int removed = 0;
    for (XfrmParse.State s : dumpStates()) {
      if (Ownership.isOurReqid(s.reqid()) && tryDelete(Xfrm.MSG_DELSA,
          XfrmCodec.usersaId(s.id().dst(), s.id().spi(), s.id().proto().ipProtocol()))) {
        removed++;
      }
    }
    for (XfrmParse.Policy p : dumpPolicies()) {
      boolean ours = Ownership.isOurPriority(p.priority())
          && p.tmpls().stream().allMatch(t -> Ownership.isOurReqid(t.reqid()));
      if (ours && tryDelete(Xfrm.MSG_DELPOLICY, XfrmCodec.userpolicyId(p.sel(), p.dir()))) {
        removed++;
      }
    }
    if (removed > 0) {
      LOG.info("netkey: removed {} SAs and policies left by a previous pluto", removed);
    }
    return removed;
  }

  private boolean tryDelete(int type, byte[] payload) throws KernelException {
    try {
      nl.request(type, 0, payload);
      return true;
    } catch (NetlinkException e) {
      if (e.errno() == Errno.ENOENT || e.errno() == Errno.ESRCH) {
        return false;
      }
      throw XfrmErrors.refused("cannot remove a leftover " + (type == Xfrm.MSG_DELSA ? "SA" : "policy"),
          type == Xfrm.MSG_DELSA ? "SA" : "policy", e);
    }
  }

  private List<XfrmParse.State> dumpStates() throws KernelException {
    List<XfrmParse.State> out = new ArrayList<>();
    try {
      for (NetlinkSocket.Message m : nl.request(Xfrm.MSG_GETSA, NetlinkSocket.NLM_F_DUMP, new byte[0])) {
        XfrmParse.state(m.payload(), 0, Xfrm.SIZEOF_USERSA_INFO).ifPresent(out::add);
      }
    } catch (NetlinkException e) {
      throw XfrmErrors.refused("cannot list the kernel's SAs", "SA", e);
    }
    return out;
  }

  private List<XfrmParse.Policy> dumpPolicies() throws KernelException {
    List<XfrmParse.Policy> out = new ArrayList<>();
    try {
      for (NetlinkSocket.Message m : nl.request(Xfrm.MSG_GETPOLICY, NetlinkSocket.NLM_F_DUMP, new byte[0])) {
        XfrmParse.policy(m.payload(), 0, Xfrm.SIZEOF_USERPOLICY_INFO).ifPresent(out::add);
      }
    } catch (NetlinkException e) {
      throw XfrmErrors.refused("cannot list the kernel's policies", "policy", e);
    }
    return out;
  }

  @Override
  public void setListener(KernelListener listener) {
    this.listener = listener;
  }

  /** Every SA and policy in the kernel (this namespace), as {@code ip xfrm state} / {@code ip xfrm policy} give them. */
  @Override
  public synchronized List<String> describe() {
    List<String> out = new ArrayList<>();
    try {
      dumpStates().forEach(s -> out.add(XfrmFormat.state(s)));
      dumpPolicies().forEach(p -> out.add(XfrmFormat.policy(p)));
    } catch (KernelException e) {
      out.add("netkey: " + e.getMessage());
    }
    return out;
  }

  /** Sets UDP_ENCAP on pluto's port-4500 socket and exempts it from IPsec policies. */
  /** The kernel's XFRM drop counters of this namespace since we opened ({@link XfrmStat}). */
  @Override
  public Map<String, Long> dataPathDrops() {
    return XfrmStat.since(dropsAtOpen, XfrmStat.read());
  }

  @Override
  public void attachUdpEncap(UdpEncapSocket socket) throws KernelException {
    // The kernel decapsulates ESP-in-UDP (RFC 3948) on any socket with UDP_ENCAP set. pluto binds one NAT-T
    // socket per address, and sets it on each as it binds (enableUdpEncap, with bypassSocket): also for
    // addresses that appear later with --listen. A wildcard socket, if the caller has one, gets it here.
    int fd = socket.fileDescriptor(new InetSocketAddress(4500));
    if (fd >= 0) {
      enableUdpEncap(fd);
    }
  }

  /**
   * IKE must never be encrypted: the socket is exempt from IPsec policies, in and out (IP_XFRM_POLICY or
   * IPV6_XFRM_POLICY with an allow policy and an empty selector); port 4500 decapsulates ESP (RFC 3948).
   */
  @Override
  public void prepareIkeSocket(int fd, java.net.InetAddress local, String device, boolean nattPort)
      throws KernelException {
    bypassSocket(fd, local instanceof java.net.Inet6Address);
    if (nattPort) {
      enableUdpEncap(fd);
    }
  }

  public static void bypassSocket(int fd, boolean ipv6) throws KernelException {
    for (int dir : new int[] {Xfrm.POLICY_IN, Xfrm.POLICY_OUT}) {
      byte[] pol = XfrmCodec.userpolicyInfo(anySelector(ipv6), dir, Xfrm.POLICY_ALLOW, 0);
      try {
        LibC.INSTANCE.setsockopt(fd, ipv6 ? LibC.SOL_IPV6 : LibC.SOL_IP,
            ipv6 ? LibC.IPV6_XFRM_POLICY : LibC.IP_XFRM_POLICY, pol, pol.length);
      } catch (LastErrorException e) {
        int errno = e.getErrorCode();
        throw new KernelException("cannot exempt socket " + fd + " from IPsec (" + (ipv6 ? "IPV6" : "IP")
            + "_XFRM_POLICY, " + (dir == Xfrm.POLICY_IN ? "in" : "out") + "): " + Errno.meaning(errno) + " ("
            + Errno.name(errno) + ")", errno);
      }
    }
  }

  static Selector anySelector(boolean ipv6) {
    try {
      InetAddress any = InetAddress.getByAddress(new byte[ipv6 ? 16 : 4]);
      return Selector.of(any, 0, any, 0);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Makes the kernel decapsulate ESP-in-UDP arriving on this socket (UDP_ENCAP = UDP_ENCAP_ESPINUDP). */
  public static void enableUdpEncap(int fd) throws KernelException {
    byte[] v = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(Xfrm.UDP_ENCAP_ESPINUDP).array();
    try {
      LibC.INSTANCE.setsockopt(fd, LibC.SOL_UDP, LibC.UDP_ENCAP, v, 4);
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      throw new KernelException("cannot set UDP_ENCAP (ESP-in-UDP, RFC 3948) on socket " + fd + ": "
          + Errno.meaning(errno) + " (" + Errno.name(errno) + ")", errno);
    }
  }

  /** Removes what this instance installed, then closes both sockets. */
  @Override
  public synchronized void close() throws KernelException {
    try {
      flush();
    } finally {
      if (events != null) {
        events.close();
      }
      nl.close();
    }
  }

  /** The SAs and policies this instance installed (for tests and status). */
  synchronized Set<Object> installed() {
    Set<Object> all = new LinkedHashSet<>(sas.values());
    all.addAll(policies.keySet());
    return all;
  }
}
