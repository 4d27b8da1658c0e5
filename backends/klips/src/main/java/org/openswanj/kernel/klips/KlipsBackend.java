package org.openswanj.kernel.klips;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.KernelFeature;
import org.openswanj.kernel.KernelListener;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.SaEndpoints;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTemplate;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.SaUsage;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.UdpEncap;
import org.openswanj.kernel.UdpEncapSocket;
import org.openswanj.kernel.klips.esp.EspTransform;
import org.openswanj.kernel.klips.esp.ReplayWindow;
import org.openswanj.kernel.klips.net.IpPacket;
import org.openswanj.kernel.klips.net.PacketIo;
import org.openswanj.kernel.klips.net.PacketSocket;
import org.openswanj.kernel.klips.net.TunQueues;

/**
 * {@code protostack=klips}: IPsec in user space on {@code ipsecN} TUN devices, as Openswan's KLIPS did in
 * the kernel. Traffic routed into {@code ipsecN} is matched against the eroutes and leaves ESP-protected
 * (raw IP protocol 50, or ESP-in-UDP through pluto's port-4500 socket); inbound ESP is decrypted and
 * appears on {@code ipsecN}, where iptables rules see it. The data path is {@link DataPath}.
 *
 * <p>Outer packets leave through the bound physical interface: raw ESP send sockets carry
 * SO_BINDTODEVICE, so a route that sends the peer's own address into {@code ipsecN} cannot loop them.
 *
 * <p>Control methods are synchronized (pluto's loop and a status reader may call at once); the data
 * path reads copy-on-write snapshots and never takes this lock.
 */
public final class KlipsBackend implements KernelBackend {
  private static final Logger LOG = LogManager.getLogger(KlipsBackend.class);
  /** Worst case of what ESP adds: outer IPv6 (40) + UDP (8) + ESP header (8) + IV (16) + pad (17) + ICV (32). */
  static final int OVERHEAD = 121;

  private final KlipsConfig config;
  private final List<IpsecInterface> interfaces;
  private final ScheduledExecutorService scheduler;
  private final boolean ownScheduler;
  private final DataPath dataPath;
  private final PacketIo io;
  private final List<PacketSocket> receivers = new ArrayList<>();
  private final Map<String, PacketSocket> senders = new HashMap<>();
  private final Map<SaId, SaState> sas = new LinkedHashMap<>();
  private final Map<PolicyId, PolicySpec> policies = new LinkedHashMap<>();
  private final Map<PolicyId, HoldQueue> holds = new HashMap<>();
  private final Set<Integer> reservedSpis = new HashSet<>();
  private final SecureRandom random = new SecureRandom();
  private volatile Eroute[] eroutes = new Eroute[0];
  private volatile SpiTable inbound = new SpiTable(List.of());
  private volatile KernelListener listener;
  private volatile UdpEncapSocket udp;

  private KlipsBackend(KlipsConfig config, PacketIo io, List<IpsecInterface> interfaces,
      ScheduledExecutorService scheduler, boolean ownScheduler) {
    this.config = config;
    this.io = io;
    this.interfaces = interfaces;
    this.scheduler = scheduler;
    this.ownScheduler = ownScheduler;
    this.dataPath = new DataPath(new Tables(), () -> System.currentTimeMillis() / 1000);
  }

  /** Opens the configured {@code ipsecN} devices and raw ESP sockets and starts the data path. */
  public static KlipsBackend open(KlipsConfig config) throws KernelException {
    return open(config, PacketIo.LINUX);
  }

  /** As {@link #open(KlipsConfig)} on other devices and sockets (an in-memory {@code MemoryNet} host in tests). */
  public static KlipsBackend open(KlipsConfig config, PacketIo io) throws KernelException {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "klips-timers");
      t.setDaemon(true);
      return t;
    });
    try {
      return open(config, io, s, true);
    } catch (KernelException | RuntimeException e) {
      s.shutdownNow();
      throw e;
    }
  }

  /** As {@link #open(KlipsConfig)}, with timers (lifetimes, NAT-T keepalives) on the caller's scheduler. */
  public static KlipsBackend open(KlipsConfig config, ScheduledExecutorService scheduler) throws KernelException {
    return open(config, PacketIo.LINUX, scheduler, false);
  }

  private static KlipsBackend open(KlipsConfig config, PacketIo io, ScheduledExecutorService scheduler, boolean own)
      throws KernelException {
    if (config.interfaces().isEmpty()) {
      throw new KernelException("klips: no ipsecN interface configured (interfaces=\"ipsec0=eth0\")");
    }
    List<IpsecInterface> opened = new ArrayList<>();
    try {
      for (KlipsConfig.Binding b : config.interfaces()) {
        int wanted = config.overrideMtu() > 0 ? config.overrideMtu() : io.mtu(b.physical()) - OVERHEAD;
        int mtu = Math.min(wanted, Element.MAX_PACKET);
        if (mtu < wanted) {
          LOG.warn("klips: {} gets MTU {}, not {}: the data path carries no longer packet", b.ipsecName(), mtu, wanted);
        }
        TunQueues tun = io.openTun(b.ipsecName(), mtu, config.workers());
        opened.add(new IpsecInterface(b.ipsecName(), b.physical(), mtu, tun, io));
      }
    } catch (IOException e) {
      opened.forEach(IpsecInterface::close);
      throw new KernelException("klips: " + e.getMessage());
    }
    KlipsBackend k = new KlipsBackend(config, io, opened, scheduler, own);
    try {
      k.start();
    } catch (IOException e) {
      k.close();
      throw new KernelException("klips: cannot open a raw ESP socket: " + e.getMessage());
    }
    return k;
  }

  private void start() throws IOException {
    receivers.add(io.openReceiver(false, IpsecProto.ESP.ipProtocol()));
    try {
      receivers.add(io.openReceiver(true, IpsecProto.ESP.ipProtocol()));
    } catch (IOException e) {
      LOG.warn("klips: no IPv6 raw ESP socket, IPv6 outer addresses will not work: {}", e.getMessage());
    }
    receivers.forEach(dataPath::startRawReceiver);
    interfaces.forEach(dataPath::startTunReader);
    scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    long ka = config.natKeepalive().toMillis();
    if (ka > 0) {
      scheduler.scheduleWithFixedDelay(this::keepalives, ka, ka, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Binds pluto's IKE socket {@code fd} to its physical interface (SO_BINDTODEVICE), the KLIPS counterpart of
   * netkey's per-socket bypass policy: IKE must never be encrypted (RFC 4301 §4.4.1 bypass for IKE), yet a
   * route that sends a peer host's address into {@code ipsecN} (an OE destination, a host-to-host conn)
   * would otherwise carry pluto's own datagrams into the %trap meant for the traffic.
   */
  @Override
  public void prepareIkeSocket(int fd, InetAddress local, String device, boolean nattPort) throws KernelException {
    if (device != null && !local.isLoopbackAddress()) {
      bindSocketToDevice(fd, device);
    }
  }

  static void bindSocketToDevice(int fd, String device) throws KernelException {
    byte[] n = (device + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    com.sun.jna.Memory dev = new com.sun.jna.Memory(n.length);
    dev.write(0, n, 0, n.length);
    if (org.openswanj.kernel.klips.net.Libc.setsockopt(fd, org.openswanj.kernel.klips.net.Libc.SOL_SOCKET,
        org.openswanj.kernel.klips.net.Libc.SO_BINDTODEVICE, dev, n.length) < 0) {
      throw new KernelException("SO_BINDTODEVICE " + device + " on IKE socket: "
          + org.openswanj.kernel.klips.net.Libc.lastError());
    }
  }

  /** The {@code ipsecN} device whose physical interface carries {@code outer}, else the first one. */
  public String interfaceFor(InetAddress outer) {
    return interfaceObjectFor(outer).name;
  }

  @Override
  public java.util.Optional<String> virtualInterface(InetAddress outer) {
    return java.util.Optional.of(interfaceFor(outer));
  }

  private IpsecInterface interfaceObjectFor(InetAddress outer) {
    try {
      NetworkInterface ni = NetworkInterface.getByInetAddress(outer);
      if (ni != null) {
        for (IpsecInterface i : interfaces) {
          if (i.physical.equals(ni.getName())) {
            return i;
          }
        }
      }
    } catch (SocketException e) {
      LOG.debug("klips: cannot look up the interface of {}: {}", outer, e.getMessage());
    }
    return interfaces.get(0);
  }

  /** The MTU given to {@code ipsecN} devices, by name. */
  public Map<String, Integer> mtus() {
    Map<String, Integer> m = new LinkedHashMap<>();
    interfaces.forEach(i -> m.put(i.name, i.mtu));
    return m;
  }

  @Override
  public String name() {
    return "klips";
  }

  @Override
  public Set<KernelFeature> features() {
    return EnumSet.allOf(KernelFeature.class);
  }

  @Override
  public synchronized int allocateSpi(SaEndpoints ends, IpsecProto proto) throws KernelException {
    requireEsp(proto);
    for (int tries = 0; tries < 1000; tries++) {
      int spi = random.nextInt();
      if ((spi & 0xffffffffL) >= 0x100 && inbound.get(spi) == null && reservedSpis.add(spi)) {
        return spi; // RFC 4303 §2.1: 1..255 are reserved
      }
    }
    throw new KernelException("klips: no free SPI after 1000 tries");
  }

  private static void requireEsp(IpsecProto proto) throws KernelException {
    if (proto != IpsecProto.ESP) {
      throw new KernelException("klips supports ESP only, not " + proto);
    }
  }

  @Override
  public synchronized void addSa(SaId id, SaSpec spec) throws KernelException {
    requireEsp(id.proto());
    if (sas.containsKey(id)) {
      throw new KernelException("addSa " + id + ": already installed", 17);
    }
    if (spec.replay().window() > ReplayWindow.MAX_SIZE) {
      throw new KernelException("addSa " + id + ": replay window " + spec.replay().window() + " outside 0.."
          + ReplayWindow.MAX_SIZE, 22);
    }
    if (spec.inbound() && inbound.get(id.spi()) != null) {
      throw new KernelException("addSa " + id + ": inbound SPI already in use", 17);
    }
    EspTransform t;
    try {
      SaTransform x = spec.transform();
      t = EspTransform.create(x.cipher(), x.encKey().bytes(), x.integrity(), x.integKey() == null ? null : x.integKey().bytes());
    } catch (GeneralSecurityException e) {
      throw new KernelException("addSa " + id + ": " + e.getMessage(), 22);
    }
    PacketSocket sender = null;
    if (!spec.inbound() && spec.encapsulation().udp() == null) {
      sender = sender(id.src());
    }
    TunQueues tun = interfaceObjectFor(spec.inbound() ? id.dst() : id.src()).tun;
    sas.put(id, new SaState(id, spec, t, sender, tun, System.nanoTime()));
    reservedSpis.remove(id.spi());
    rebuild();
  }

  private PacketSocket sender(InetAddress local) throws KernelException {
    IpsecInterface ifc = interfaceObjectFor(local);
    String key = local.getHostAddress() + "%" + ifc.physical;
    PacketSocket s = senders.get(key);
    if (s == null) {
      try {
        s = io.openSender(local, IpsecProto.ESP.ipProtocol(), ifc.physical);
      } catch (IOException e) {
        throw new KernelException("klips: raw ESP socket from " + local.getHostAddress() + " on " + ifc.physical
            + ": " + e.getMessage());
      }
      senders.put(key, s);
    }
    return s;
  }

  @Override
  public synchronized void updateSaEncap(SaId id, UdpEncap encap) throws KernelException {
    SaState s = sas.get(id);
    if (s == null) {
      throw new KernelException("updateSaEncap " + id + ": no such SA", 3);
    }
    if (s.encapPeer == null) {
      throw new KernelException("updateSaEncap " + id + ": the SA is not UDP-encapsulated", 22);
    }
    s.moveEncapPeer(s.spec.inbound() ? encap.srcPort() : encap.dstPort());
    s.reportedMapping = null;
  }

  @Override
  public synchronized void advanceOutboundSeq(SaId id, long delta) throws KernelException {
    SaState s = sas.get(id);
    if (s == null) {
      throw new KernelException("advanceOutboundSeq " + id + ": no such SA", 3);
    }
    if (s.spec.inbound()) {
      throw new KernelException("advanceOutboundSeq " + id + ": an inbound SA has no counter of its own", 22);
    }
    if (delta < 1) {
      throw new KernelException("advanceOutboundSeq " + id + ": delta " + delta + " < 1", 22);
    }
    // past 2^32 - 1 (2^64 - 1 with ESN) the data path finds the counter exhausted and expires the SA (RFC 4303
    // §3.3.3); saturate rather than wrap a 64-bit counter
    s.nextSeq.getAndUpdate(n -> n > Long.MAX_VALUE - delta ? Long.MAX_VALUE : n + delta);
  }

  @Override
  public synchronized void deleteSa(SaId id) throws KernelException {
    SaState s = sas.remove(id);
    if (s == null) {
      throw new KernelException("deleteSa " + id + ": no such SA", 3);
    }
    s.transform.wipe();
    s.spec.transform().wipe();
    rebuild();
  }

  @Override
  public synchronized SaUsage querySa(SaId id) throws KernelException {
    SaState s = sas.get(id);
    if (s == null) {
      throw new KernelException("querySa " + id + ": no such SA", 3);
    }
    return s.usage();
  }

  /**
   * Sets the next outbound sequence number of {@code id}, as if that many packets had gone: the only way a test
   * reaches the 2^32 boundary of RFC 4303 §3.3.3 in reasonable time.
   */
  synchronized void skipSequence(SaId id, long next) {
    sas.get(id).nextSeq.set(next);
  }

  /**
   * A reader of what is routed into {@code ipsecName} that runs on the caller's thread, the code an outbound thread
   * runs per TUN read: the outbound fuzz target hands it reads of its own making.
   */
  DataPath.TunReader tunReader(String ipsecName) {
    for (IpsecInterface i : interfaces) {
      if (i.name.equals(ipsecName)) {
        return dataPath.tunReader(i);
      }
    }
    throw new IllegalArgumentException("no device " + ipsecName);
  }

  /**
   * A reader of raw ESP (IPv4 with its IP header first, or IPv6) that runs on the caller's thread, the code a raw ESP
   * receive thread runs per batch: the inbound fuzz target hands it reads of its own making.
   */
  DataPath.RawReader rawReader(boolean ipv6) {
    return dataPath.rawReader(ipv6);
  }

  @Override
  public synchronized void addPolicy(PolicyId id, PolicySpec spec) throws KernelException {
    if (policies.containsKey(id)) {
      throw new KernelException("addPolicy " + id.selector() + " " + id.direction() + ": already installed", 17);
    }
    putPolicy(id, spec);
  }

  @Override
  public synchronized void replacePolicy(PolicyId id, PolicySpec spec) throws KernelException {
    putPolicy(id, spec);
  }

  private void putPolicy(PolicyId id, PolicySpec spec) throws KernelException {
    if (spec.action() == PolicyAction.IPSEC && id.direction() == PolicyDirection.OUT) {
      requireEsp(spec.template().proto());
    }
    policies.put(id, spec);
    HoldQueue q = holds.computeIfAbsent(id, k -> new HoldQueue());
    rebuild();
    IpsecInterface ifc = interfaces.get(0);
    if (spec.action() != PolicyAction.TRAP && spec.action() != PolicyAction.HOLD) {
      for (byte[] p : q.release()) {
        dataPath.inject(p, ifc); // the SA is up (or the shunt changed): send what was held
      }
    }
    moveHeld(ifc);
  }

  /**
   * Packets held by a wider %trap that a new, more specific eroute now covers (pluto's %hold, IPsec eroute or
   * failure shunt for one OE destination) go through the lookup again, so the first packet of a flow is not lost.
   */
  private void moveHeld(IpsecInterface ifc) {
    Eroute[] table = eroutes;
    for (Eroute r : table) {
      if (r.hold() == null || r.hold().held() == 0) {
        continue;
      }
      for (byte[] p : r.hold().take(p -> DataPath.lookup(table, ByteBuffer.wrap(p), p.length) != r)) {
        dataPath.inject(p, ifc);
      }
    }
  }

  @Override
  public synchronized void deletePolicy(PolicyId id) throws KernelException {
    if (policies.remove(id) == null) {
      throw new KernelException("deletePolicy " + id.selector() + " " + id.direction() + ": no such policy", 2);
    }
    holds.remove(id);
    rebuild();
  }

  @Override
  public synchronized void flush() {
    for (SaState s : sas.values()) {
      s.transform.wipe();
    }
    sas.clear();
    policies.clear();
    holds.clear();
    reservedSpis.clear();
    rebuild();
  }

  /** Publishes new snapshots for the data path (copy on write). */
  private void rebuild() {
    List<SaState> in = new ArrayList<>();
    for (SaState s : sas.values()) {
      if (s.spec.inbound()) {
        in.add(s);
      }
    }
    inbound = new SpiTable(in);
    List<Eroute> out = new ArrayList<>();
    policies.forEach((id, spec) -> {
      if (id.direction() == PolicyDirection.OUT) {
        out.add(new Eroute(id, spec, CompiledSelector.of(id.selector()), resolve(spec), holds.get(id)));
      }
    });
    out.sort(Eroute::compare);
    eroutes = out.toArray(new Eroute[0]);
  }

  private SaState resolve(PolicySpec spec) {
    if (spec.action() != PolicyAction.IPSEC) {
      return null;
    }
    for (SaState s : sas.values()) {
      SaTemplate t = spec.template();
      if (!s.spec.inbound() && s.id.spi() == t.outboundSpi() && (t.tunnelDst() == null || t.tunnelDst().equals(s.id.dst()))) {
        return s;
      }
    }
    return null;
  }

  @Override
  public void setListener(KernelListener l) {
    this.listener = l;
  }

  private void emit(KernelEvent e) {
    KernelListener l = listener;
    if (l != null) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ex) {
        LOG.warn("klips: listener failed on {}: {}", e, ex.toString());
      }
    }
  }

  @Override
  public synchronized List<String> describe() {
    List<String> out = new ArrayList<>();
    interfaces.forEach(i -> out.add("interface " + i.describe()));
    for (Eroute r : eroutes) {
      out.add(r.describe());
    }
    sas.values().forEach(s -> out.add(s.describe()));
    Counters c = dataPath.counters;
    out.add(String.format("dropped: unknown SPI %d, no eroute %d, malformed %d; shunted %d; send errors %d",
        c.unknownSpi.get(), c.noEroute.get(), c.malformed.get(), c.shunted.get(), c.sendErrors.get()));
    out.add(String.format("transport-mode fragments: %d datagrams reassembled; fragments dropped: expired %d,"
        + " overlap %d, too large %d, table full %d", c.reassembled.get(), c.fragmentsExpired.get(),
        c.fragmentsOverlap.get(), c.fragmentsTooLarge.get(), c.fragmentsTableFull.get()));
    return out;
  }

  @Override
  public java.util.Map<String, Long> dataPathDrops() {
    Counters c = dataPath.counters;
    java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
    out.put("unknown_spi", c.unknownSpi.get()); // inbound ESP for no SA
    out.put("no_eroute", c.noEroute.get()); // routed into ipsecN, no eroute covers it (KLIPS)
    out.put("malformed", c.malformed.get());
    out.put("shunted", c.shunted.get()); // %drop, %reject and %pass eroutes; IPSEC eroutes without a working SA
    out.put("send_error", c.sendErrors.get());
    out.put("replay", c.replay.get()); // RFC 4303 §3.4.3
    out.put("integrity", c.integrity.get()); // ICV check failed, RFC 4303 §3.4.4
    out.put("selector", c.selector.get()); // decrypted packet outside the SA's selector, RFC 4301 §5.2
    // RFC 4303 §3.1.1: transport mode takes whole datagrams, so IPv4 fragments are reassembled before ESP (the
    // datagrams reassembled are no drop: see reassembled() and the status line); what the reassembly gave up:
    out.put("fragment_expired", c.fragmentsExpired.get()); // not whole 30 s after the first fragment
    out.put("fragment_overlap", c.fragmentsOverlap.get());
    out.put("fragment_too_large", c.fragmentsTooLarge.get());
    out.put("fragment_table_full", c.fragmentsTableFull.get()); // the oldest of 64 datagrams evicted
    return out;
  }

  /** Packets the hold queue of an outbound eroute holds (tests: what {@link #describe()} shows as "N held"). */
  synchronized int held(PolicyId id) {
    HoldQueue q = holds.get(id);
    return q == null ? 0 : q.held();
  }

  /** The data path (tests: its reassembly table). */
  DataPath dataPath() {
    return dataPath;
  }

  /** IPv4 datagrams reassembled from fragments routed to a transport-mode SA (RFC 4303 §3.1.1). */
  public long reassembled() {
    return dataPath.counters.reassembled.get();
  }

  /** Packets dropped because no inbound SA has their SPI. */
  public long unknownSpiDrops() {
    return dataPath.counters.unknownSpi.get();
  }

  @Override
  public void attachUdpEncap(UdpEncapSocket socket) {
    this.udp = socket;
  }

  @Override
  public void receiveUdpEncapsulated(InetSocketAddress from, InetSocketAddress to, ByteBuffer esp) {
    dataPath.receiveUdp(from, esp);
  }

  /** ESP in UDP is decrypted on the receiving thread, in batches (UDP GRO welcome). */
  @Override
  public boolean decapsulatesUdpInBatches() {
    return true;
  }

  @Override
  public void udpEncapsulatedBatchEnd() {
    dataPath.udpBatchEnd();
  }

  /** Lifetimes in seconds (RFC 4301 §4.4.2.1), checked once a second. */
  private void tick() {
    long now = System.nanoTime();
    List<SaState> all;
    synchronized (this) {
      all = List.copyOf(sas.values());
    }
    for (SaState s : all) {
      long age = TimeUnit.NANOSECONDS.toSeconds(now - s.addedNanos);
      var l = s.spec.lifetime();
      if (l.softSeconds() > 0 && age >= l.softSeconds() && s.softExpired.compareAndSet(false, true)) {
        emit(new KernelEvent.Expire(s.id, false));
      }
      if (l.hardSeconds() > 0 && age >= l.hardSeconds() && s.hardExpired.compareAndSet(false, true)) {
        emit(new KernelEvent.Expire(s.id, true));
      }
    }
  }

  /** RFC 3948 §4: a one-byte 0xFF datagram when an encapsulated SA has sent nothing for the interval. */
  void keepalives() {
    UdpEncapSocket u = udp;
    if (u == null) {
      return;
    }
    long interval = config.natKeepalive().toNanos();
    List<SaState> all;
    synchronized (this) {
      all = List.copyOf(sas.values());
    }
    for (SaState s : all) {
      if (!s.spec.inbound() && s.encapPeer != null && System.nanoTime() - s.lastSendNanos >= interval) {
        try {
          u.send(s.encapLocal, s.encapPeer, ByteBuffer.wrap(new byte[] {(byte) 0xff}));
          s.lastSendNanos = System.nanoTime();
        } catch (IOException e) {
          LOG.debug("klips: NAT-T keepalive to {}: {}", s.encapPeer, e.getMessage());
        }
      }
    }
  }

  @Override
  public void close() {
    if (ownScheduler) {
      scheduler.shutdownNow();
    }
    dataPath.close(); // first: its threads stop within their poll interval, then their fds can go
    receivers.forEach(PacketSocket::close);
    interfaces.forEach(IpsecInterface::close);
    synchronized (this) {
      senders.values().forEach(PacketSocket::close);
      senders.clear();
      flush();
    }
  }

  /** The data path's view of the tables. */
  private final class Tables implements DataPath.Tables {
    @Override
    public Eroute[] eroutes() {
      return eroutes;
    }

    @Override
    public SaState inbound(int spi) {
      return inbound.get(spi);
    }

    @Override
    public void acquire(Eroute e, ByteBuffer b, int off, int len) {
      try {
        int alen = IpPacket.addressLength(b, off);
        byte[] s = new byte[alen];
        byte[] d = new byte[alen];
        b.get(IpPacket.addressOffset(b, off, false), s);
        b.get(IpPacket.addressOffset(b, off, true), d);
        Selector sel = new Selector(InetAddress.getByAddress(s), alen * 8, InetAddress.getByAddress(d), alen * 8,
            IpPacket.protocol(b, off), IpPacket.port(b, off, len, false), IpPacket.port(b, off, len, true));
        emit(new KernelEvent.Acquire(sel, e.id(), e.spec().reqid()));
      } catch (java.net.UnknownHostException ex) {
        throw new IllegalStateException("raw address of length " + ex.getMessage(), ex);
      }
    }

    @Override
    public void expire(SaState sa, boolean hard) {
      emit(new KernelEvent.Expire(sa.id, hard));
    }

    @Override
    public void mapping(SaState sa, InetSocketAddress peer) {
      emit(new KernelEvent.Mapping(sa.id, peer));
    }

    @Override
    public void sendUdp(SaState sa, ByteBuffer esp) throws IOException {
      UdpEncapSocket u = udp;
      if (u == null) {
        throw new IOException("no UDP encapsulation socket attached");
      }
      u.send(sa.encapLocal, sa.encapPeer, esp);
    }

    @Override
    public int udpFd(SaState sa) {
      UdpEncapSocket u = udp;
      return u == null ? -1 : u.fileDescriptor(sa.encapLocal);
    }
  }
}
