package org.openswanj.pluto.daemon.oe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openswanj.conf.Subnet;
import org.openswanj.conf.policy.PolicyGroupName;
import org.openswanj.conf.policy.PolicyGroups;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.conf.secrets.SecretsLoader;
import org.openswanj.kernel.KernelEvent;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Selector;
import org.openswanj.kernel.none.NoneBackend;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.crypto.RsaAuth;
import org.openswanj.pluto.daemon.ManualEventLoop;
import org.openswanj.pluto.daemon.Pluto;
import org.openswanj.pluto.engine.IkeSettings;
import org.openswanj.pluto.net.MemoryNetwork;
import org.openswanj.pluto.oe.DnssecStatus;
import org.openswanj.pluto.oe.KeySource;
import org.openswanj.pluto.oe.LearnedKey;
import org.openswanj.pluto.oe.OeGateway;
import org.openswanj.pluto.oe.OeKeyAlgorithm;
import org.openswanj.pluto.oe.OeLookupResult;
import org.openswanj.pluto.oe.OeOutcome;
import org.openswanj.pluto.oe.OeTarget;
import org.openswanj.pluto.oe.PeerKey;
import org.openswanj.whack.proto.WhackRequest;
import org.xbill.DNS.Name;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

/**
 * Policy groups acting, two plutos in one JVM (recording none backends, in-memory network, virtual clock), keys
 * "from DNS" through a table: an acquire to a keyed peer brings up an IKEv2 RSA instance on both sides; a peer
 * without a key gets the group's failure shunt for the shunt lifetime, then OE is tried again.
 */
class OeControllerTest {
  static final InetAddress WEST = addr("192.1.2.45");
  static final InetAddress EAST = addr("192.1.2.23");
  static final InetAddress NORTH = addr("192.1.2.33");
  static final InetAddress PRIVATE_HOST = addr("192.1.3.7");
  static KeyPair westKey;
  static KeyPair eastKey;

  final ManualEventLoop loop = new ManualEventLoop(Instant.parse("2026-01-01T00:00:00Z"));
  final MemoryNetwork net = new MemoryNetwork();
  final Map<InetAddress, KeyPair> dns = new HashMap<>();
  final List<InetAddress> lookedUp = new ArrayList<>();
  /** Each node's OE authentication per group, as its ipsec.conf's group conns would say (default: RSA). */
  final Map<InetAddress, Map<PolicyGroupName, OeAuth>> authOf = new HashMap<>();

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    westKey = g.generateKeyPair();
    eastKey = g.generateKeyPair();
  }

  static InetAddress addr(String s) {
    return com.google.common.net.InetAddresses.forString(s);
  }

  record Node(Pluto pluto, NoneBackend backend) {
    Optional<PolicySpec> policy(InetAddress us, InetAddress peer) {
      return Optional.ofNullable(backend.policies().get(new PolicyId(Selector.of(us, 32, peer, 32),
          PolicyDirection.OUT)));
    }

    Optional<Connection> instance(String prefix) {
      return pluto.connections().stream().filter(c -> c.name().startsWith(prefix)).findFirst();
    }
  }

  List<String> status(Node n) {
    List<String> out = new ArrayList<>();
    n.pluto().handle(new WhackRequest.Status(false), new org.openswanj.pluto.daemon.control.WhackReply() {
      @Override
      public void line(int code, String text) {
        out.add(text);
      }

      @Override
      public void close() {}

      @Override
      public boolean closed() {
        return false;
      }
    });
    loop.runPending();
    return out;
  }

  /** The answer a DNS look-up would give: the address's own IPSECKEY with its key, or no key. */
  OeLookupResult answer(InetAddress a) {
    lookedUp.add(a);
    KeyPair kp = dns.get(a);
    if (kp == null) {
      return new OeLookupResult(new OeTarget.Address(a), OeOutcome.NO_KEY, List.of(), DnssecStatus.UNVALIDATED,
          "no usable IPSECKEY, TXT or KEY record at " + ReverseMap.fromAddress(a), List.of());
    }
    try {
      PeerKey k = PeerKey.decode(OeKeyAlgorithm.RSA, RsaAuth.toRfc3110((RSAPublicKey) kp.getPublic()));
      Name owner = ReverseMap.fromAddress(a);
      LearnedKey lk = new LearnedKey(k, new KeySource(Type.IPSECKEY, owner, loop.now().plusSeconds(3600),
          DnssecStatus.UNVALIDATED));
      return new OeLookupResult(new OeTarget.Address(a), OeOutcome.FOUND,
          List.of(new OeGateway(10, Optional.of(a), Optional.empty(), lk)), DnssecStatus.UNVALIDATED, "", List.of());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Node node(InetAddress a, KeyPair key, Map<PolicyGroupName, List<Subnet>> groups, long seed) throws Exception {
    NoneBackend backend = new NoneBackend(seed == 1 ? 0x1000 : 0x2000);
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    OeKeyLookup lookup = address -> CompletableFuture.completedFuture(answer(address));
    Pluto.Host host = new Pluto.Host() {
      @Override
      public List<InetAddress> listen(List<String> report) {
        return List.of(a);
      }

      @Override
      public void unlisten() {}

      @Override
      public Secrets loadSecrets(List<String> report) {
        return SecretsLoader.parse(key == null ? "" : rsaBlock(key), Path.of("/etc/ipsec.secrets"), Path.of("/etc/ipsec.d")).secrets();
      }

      @Override
      public void shutdown() {}

      @Override
      public List<String> statusHeader() {
        return List.of();
      }

      @Override
      public Optional<Pluto.OeSetup> oeSetup() {
        Map<PolicyGroupName, List<Subnet>> all = new EnumMap<>(PolicyGroupName.class);
        for (PolicyGroupName g : PolicyGroupName.values()) {
          all.put(g, groups.getOrDefault(g, List.of()));
        }
        return Optional.of(new Pluto.OeSetup(new PolicyGroups(all), lookup, Duration.ofSeconds(900),
            authOf.getOrDefault(a, Map.of())));
      }
    };
    Pluto p = new Pluto(loop, net.transport(), backend, random, host, IkeSettings.defaults());
    for (int port : new int[] {500, 4500}) {
      net.attach(new InetSocketAddress(a, port), loop, p::onIkePacket);
    }
    p.start();
    return new Node(p, backend);
  }

  static String rsaBlock(KeyPair kp) {
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) kp.getPrivate();
    return ": RSA {\n\tModulus: " + hex(k.getModulus()) + "\n\tPublicExponent: " + hex(k.getPublicExponent())
        + "\n\tPrivateExponent: " + hex(k.getPrivateExponent()) + "\n\tPrime1: " + hex(k.getPrimeP())
        + "\n\tPrime2: " + hex(k.getPrimeQ()) + "\n\tExponent1: " + hex(k.getPrimeExponentP())
        + "\n\tExponent2: " + hex(k.getPrimeExponentQ()) + "\n\tCoefficient: " + hex(k.getCrtCoefficient()) + "\n\t}\n";
  }

  private static String hex(BigInteger b) {
    String h = b.toString(16);
    return "0x" + (h.length() % 2 == 1 ? "0" + h : h);
  }

  static Subnet net(String s) {
    String[] p = s.split("/");
    return new Subnet(addr(p[0]), Integer.parseInt(p[1]));
  }

  void acquire(Node n, InetAddress src, InetAddress dst) {
    Selector packet = new Selector(src, 32, dst, 32, 1, 0, 0);
    n.backend().listener().onEvent(new KernelEvent.Acquire(packet, new PolicyId(packet, PolicyDirection.OUT), 0));
    loop.runPending();
  }

  Node west() throws Exception {
    return node(WEST, westKey, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, List.of(net("192.1.2.0/24")),
        PolicyGroupName.PRIVATE, List.of(net("192.1.3.0/24"))), 1);
  }

  Node east() throws Exception {
    return node(EAST, eastKey, Map.of(PolicyGroupName.CLEAR_OR_PRIVATE, List.of(net("192.1.2.0/24"))), 2);
  }

  @Test
  void groupsBecomeTrapsPassesAndSelfExemption() throws Exception {
    Node w = west();
    Map<PolicyId, PolicySpec> p = w.backend().policies();
    assertEquals(PolicyAction.TRAP, p.get(new PolicyId(Selector.of(WEST, 32, addr("192.1.2.0"), 24),
        PolicyDirection.OUT)).action(), p.toString());
    assertEquals(PolicyAction.TRAP, p.get(new PolicyId(Selector.of(WEST, 32, addr("192.1.3.0"), 24),
        PolicyDirection.OUT)).action());
    assertEquals(PolicyAction.PASS, w.policy(WEST, WEST).orElseThrow().action(), "our own address is never OE");
    Node e = east();
    assertEquals(PolicyAction.PASS, e.backend().policies().get(new PolicyId(Selector.of(EAST, 32,
        addr("192.1.2.0"), 24), PolicyDirection.OUT)).action(), "clear-or-private sends in the clear");
  }

  @Test
  void acquireToAKeyedPeerBringsUpAnIkev2InstanceOnBothSides() throws Exception {
    dns.put(WEST, westKey);
    dns.put(EAST, eastKey);
    Node w = west();
    Node e = east();
    acquire(w, WEST, EAST);
    Connection wi = w.instance("private-or-clear#192.1.2.0/24[").orElseThrow(() -> new AssertionError(status(w)));
    assertTrue(wi.erouteOwner() != 0, "west's instance owns its eroute: " + status(w));
    assertEquals(PolicyAction.IPSEC, w.policy(WEST, EAST).orElseThrow().action(), "the %hold became IPsec");
    Connection ei = e.instance("clear-or-private#192.1.2.0/24[").orElseThrow(() -> new AssertionError(status(e)));
    assertTrue(ei.erouteOwner() != 0, "east answered OE as clear-or-private: " + status(e));
    assertEquals(PolicyAction.IPSEC, e.policy(EAST, WEST).orElseThrow().action());
    assertEquals(List.of(EAST, WEST), lookedUp, "each side looked the other up once");
    String status = String.join("\n", status(w));
    assertTrue(status.contains("instance \"private-or-clear#192.1.2.0/24[1]\" erouted"), status);
    assertTrue(status.contains("\"private-or-clear#192.1.2.0/24[1]\""), status);
    acquire(w, WEST, EAST);
    assertEquals(2, lookedUp.size(), "a second acquire for an erouted flow starts nothing");
  }

  /** A group conn's ikev2=never: Openswan 2.6's OE, Main Mode with RSA keys from DNS; east answers in IKEv1. */
  @Test
  void ikev2NeverMakesTheInstanceIkev1AndThePeerAnswersInTheVersionItIsAsked() throws Exception {
    dns.put(WEST, westKey);
    dns.put(EAST, eastKey);
    authOf.put(WEST, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, OeAuth.RSA_IKEV1));
    Node w = west();
    Node e = east();
    acquire(w, WEST, EAST);
    Connection wi = w.instance("private-or-clear#192.1.2.0/24[").orElseThrow(() -> new AssertionError(status(w)));
    assertTrue(wi.erouteOwner() != 0, "west's instance owns its eroute: " + status(w));
    assertEquals(PolicyAction.IPSEC, w.policy(WEST, EAST).orElseThrow().action(), "the %hold became IPsec");
    String ws = String.join("\n", status(w));
    assertTrue(ws.contains("STATE_MAIN_I4") && ws.contains("STATE_QUICK_I2"), "Main and Quick Mode: " + ws);
    String es = String.join("\n", status(e));
    assertTrue(es.contains("STATE_MAIN_R3") && es.contains("STATE_QUICK_R2"), "east answered in IKEv1: " + es);
    assertEquals(PolicyAction.IPSEC, e.policy(EAST, WEST).orElseThrow().action());
  }

  /**
   * East answers west's OE (an IKEv1 responder installs its outbound half only at QI2, so east's reply to west's
   * first packets may raise an ACQUIRE): east's own acquire for the flow starts nothing and installs no shunt over
   * the SA west started (OeIkev1IT: east negotiated IKEv2 beside it, failed, and put a %pass over the IPsec policy).
   */
  @Test
  void anAcquireForAFlowThePeersOwnSaCarriesStartsNothing() throws Exception {
    dns.put(WEST, westKey);
    dns.put(EAST, eastKey);
    authOf.put(WEST, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, OeAuth.RSA_IKEV1));
    Node w = west();
    Node e = node(EAST, eastKey, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, List.of(net("192.1.2.0/24"))), 2);
    acquire(w, WEST, EAST);
    assertEquals(PolicyAction.IPSEC, e.policy(EAST, WEST).orElseThrow().action(), String.join("\n", status(e)));
    int looked = lookedUp.size();
    acquire(e, EAST, WEST);
    loop.advance(Duration.ofSeconds(5));
    assertEquals(looked, lookedUp.size(), "no look-up, no second negotiation: " + lookedUp);
    assertEquals(PolicyAction.IPSEC, e.policy(EAST, WEST).orElseThrow().action(), "the SA's policy stays");
  }

  /** whack --oppohere/--oppothere on the loop; the lines the client got, each "CODE text". */
  List<String> byHand(Node n, String here, String there) {
    List<String> out = new ArrayList<>();
    n.pluto().handle(new WhackRequest.OppoInitiate(here, there), new org.openswanj.pluto.daemon.control.WhackReply() {
      boolean closed;

      @Override
      public void line(int code, String text) {
        if (!closed) {
          out.add(String.format("%03d %s", code, text));
        }
      }

      @Override
      public void close() {
        closed = true;
        out.add("closed");
      }

      @Override
      public boolean closed() {
        return closed;
      }
    });
    loop.runPending();
    return out;
  }

  @Test
  void oppoHereThereStartsOeByHandAndTellsTheOutcome() throws Exception {
    dns.put(WEST, westKey);
    dns.put(EAST, eastKey);
    Node w = west();
    east();
    List<String> up = byHand(w, "192.1.2.45", "192.1.2.23");
    assertEquals("000 initiate on demand from 192.1.2.45 to 192.1.2.23 because of whack", up.get(0), up.toString());
    assertTrue(up.get(up.size() - 2).matches("004 \"private-or-clear#192\\.1\\.2\\.0/24\\[1\\]\": OE tunnel "
        + "192\\.1\\.2\\.45 -> 192\\.1\\.2\\.23 up \\d+ ms after the first packet"), up.toString());
    assertEquals("closed", up.get(up.size() - 1));
    assertEquals(PolicyAction.IPSEC, w.policy(WEST, EAST).orElseThrow().action());
    List<String> again = byHand(w, "192.1.2.45", "192.1.2.23");
    assertTrue(again.get(1).startsWith("004 ") && again.get(1).endsWith("already erouted"), again.toString());
    List<String> keyless = byHand(w, "192.1.2.45", "192.1.2.33");
    assertTrue(keyless.get(keyless.size() - 2).startsWith("033 \"private-or-clear#192.1.2.0/24\": OE to 192.1.2.33"
        + " failed (192.1.2.33: NO_KEY: no usable IPSECKEY"), keyless.toString());
    assertTrue(keyless.get(keyless.size() - 2).endsWith("; %pass for 900s"), keyless.toString());
    assertEquals(PolicyAction.PASS, w.policy(WEST, NORTH).orElseThrow().action());
    assertTrue(byHand(w, "192.1.2.45", "198.51.100.7").get(0).endsWith("no policy group lists 198.51.100.7"));
    assertTrue(byHand(w, "192.1.2.99", "192.1.2.23").get(0).endsWith("192.1.2.99 is not an address of this host"));
    assertTrue(byHand(w, "192.1.2.45", "east").get(0).startsWith("033 opportunistic initiation: \"east\" is not"));
  }

  @Test
  void noKeyGivesTheFailureShuntForTheShuntLifetimeThenOeAgain() throws Exception {
    Node w = west();
    acquire(w, WEST, NORTH);
    assertEquals(PolicyAction.PASS, w.policy(WEST, NORTH).orElseThrow().action(), "private-or-clear: %pass");
    String status = String.join("\n", status(w));
    assertTrue(status.contains("%pass shunt, 900s left (" + NORTH.getHostAddress() + ": NO_KEY"), status);
    acquire(w, WEST, PRIVATE_HOST);
    assertEquals(PolicyAction.DROP, w.policy(WEST, PRIVATE_HOST).orElseThrow().action(), "private: %drop");
    assertTrue(w.pluto.connections().isEmpty(), "no instance is left behind");
    loop.advance(Duration.ofSeconds(899));
    assertTrue(w.policy(WEST, NORTH).isPresent());
    loop.advance(Duration.ofSeconds(2));
    assertFalse(w.policy(WEST, NORTH).isPresent(), "the shunt expired");
    acquire(w, WEST, NORTH);
    assertEquals(List.of(NORTH, PRIVATE_HOST, NORTH), lookedUp, "OE is tried again after the shunt lifetime");
  }

  @Test
  void responderWithoutTheInitiatorsKeyRefusesAndTheInitiatorShunts() throws Exception {
    dns.put(EAST, eastKey); // west publishes nothing: east cannot authenticate it
    Node w = west();
    Node e = east();
    acquire(w, WEST, EAST);
    loop.advance(Duration.ofSeconds(120));
    assertTrue(e.pluto.connections().isEmpty(), "east made no instance: " + status(e));
    assertEquals(PolicyAction.PASS, w.policy(WEST, EAST).orElseThrow().action(),
        "private-or-clear falls back to clear: " + status(w));
    assertTrue(w.pluto.connections().isEmpty(), "west's failed instance is gone: " + status(w));
    String status = String.join("\n", status(w));
    assertTrue(status.contains("%pass shunt, ") && status.contains("negotiation failed: "), status);
  }

  @Test
  void bothEndsStartingAtOnceEndWithWorkingTunnelsAndNoFlapping() throws Exception {
    dns.put(WEST, westKey);
    dns.put(EAST, eastKey);
    Node w = west();
    Node e = node(EAST, eastKey, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, List.of(net("192.1.2.0/24"))), 2);
    Selector we = new Selector(WEST, 32, EAST, 32, 1, 0, 0);
    w.backend().listener().onEvent(new KernelEvent.Acquire(we, new PolicyId(we, PolicyDirection.OUT), 0));
    e.backend().listener().onEvent(new KernelEvent.Acquire(we.reversed(), new PolicyId(we.reversed(),
        PolicyDirection.OUT), 0));
    loop.advance(Duration.ofSeconds(30));
    assertEquals(PolicyAction.IPSEC, w.policy(WEST, EAST).orElseThrow().action(), String.join("\n", status(w)));
    assertEquals(PolicyAction.IPSEC, e.policy(EAST, WEST).orElseThrow().action(), String.join("\n", status(e)));
    String ws = String.join("\n", status(w));
    assertFalse(ws.contains("shunt, "), "no failure shunt on west: " + ws);
    assertFalse(String.join("\n", status(e)).contains("shunt, "), "none on east");
    long outboundSpi = w.backend().policies().get(new PolicyId(Selector.of(WEST, 32, EAST, 32), PolicyDirection.OUT))
        .template().outboundSpi();
    loop.advance(Duration.ofMinutes(10));
    assertEquals(outboundSpi, w.backend().policies().get(new PolicyId(Selector.of(WEST, 32, EAST, 32),
        PolicyDirection.OUT)).template().outboundSpi(), "the eroute does not flap between SAs");
  }

  @Test
  void clearInsidePrivateWinsBlockRejectsAndClearOrPrivateNeverStartsOe() throws Exception {
    Node n = node(WEST, westKey, Map.of(PolicyGroupName.PRIVATE, List.of(net("192.1.2.0/24")),
        PolicyGroupName.CLEAR, List.of(net("192.1.2.254/32")), PolicyGroupName.BLOCK, List.of(net("192.1.2.99/32")),
        PolicyGroupName.CLEAR_OR_PRIVATE, List.of(net("192.1.4.0/24"))), 1);
    assertEquals(PolicyAction.PASS, n.policy(WEST, addr("192.1.2.254")).orElseThrow().action(), "clear /32 eroute");
    assertEquals(PolicyAction.REJECT, n.policy(WEST, addr("192.1.2.99")).orElseThrow().action(), "block /32 eroute");
    acquire(n, WEST, addr("192.1.2.254"));
    acquire(n, WEST, addr("192.1.4.5"));
    acquire(n, addr("10.9.9.9"), EAST); // not from one of our addresses
    assertEquals(List.of(), lookedUp, "none of these starts OE");
    acquire(n, WEST, EAST);
    assertEquals(List.of(EAST), lookedUp);
    assertEquals(PolicyAction.DROP, n.policy(WEST, EAST).orElseThrow().action(), "private without a key: %drop");
  }

  // ---- NULL authentication (RFC 7619) for private-or-clear ----

  static final InetAddress SOUTH = addr("192.1.2.66");

  /** South: no key anywhere, private-or-clear over the LAN with authby=null (NULL only). */
  Node south() throws Exception {
    authOf.put(SOUTH, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, OeAuth.NULL));
    return node(SOUTH, null, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, List.of(net("192.1.2.0/24"))), 3);
  }

  /** West with authby=rsasig|null for private-or-clear: RSA when DNS has the peer's key, else NULL. */
  Node westRsaOrNull() throws Exception {
    authOf.put(WEST, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, OeAuth.RSA_OR_NULL));
    return west();
  }

  @Test
  void aHostWithoutAKeyReachesWestWithNullAuthentication() throws Exception {
    dns.put(WEST, westKey);
    Node w = westRsaOrNull();
    Node s = south();
    acquire(s, SOUTH, WEST);
    assertEquals(PolicyAction.IPSEC, s.policy(SOUTH, WEST).orElseThrow().action(), String.join("\n", status(s)));
    assertEquals(PolicyAction.IPSEC, w.policy(WEST, SOUTH).orElseThrow().action(), String.join("\n", status(w)));
    assertEquals(List.of(SOUTH), lookedUp, "south (authby=null) looks nothing up; west finds no key for south");
    Connection wi = w.instance("private-or-clear#192.1.2.0/24[").orElseThrow();
    assertEquals(java.util.Set.of(org.openswanj.conf.AuthBy.NULL), wi.config().authby());
    String ws = String.join("\n", status(w));
    assertTrue(ws.contains("192.1.2.45<192.1.2.45>[%null]...192.1.2.66<192.1.2.66>[%null]"),
        "west's --status shows the anonymous instance: " + ws);
  }

  @Test
  void westReachesAHostWithoutAKeyWithNullAuthentication() throws Exception {
    Node w = westRsaOrNull();
    Node s = south();
    acquire(w, WEST, SOUTH);
    assertEquals(PolicyAction.IPSEC, w.policy(WEST, SOUTH).orElseThrow().action(), String.join("\n", status(w)));
    assertEquals(PolicyAction.IPSEC, s.policy(SOUTH, WEST).orElseThrow().action(), String.join("\n", status(s)));
    assertEquals(List.of(SOUTH), lookedUp);
  }

  @Test
  void withoutAuthbyNullAKeylessPeerStillGetsTheFailureShunt() throws Exception {
    Node w = west(); // Openswan 2.6's implicit private-or-clear: rsasig
    south();
    acquire(w, WEST, SOUTH);
    assertEquals(PolicyAction.PASS, w.policy(WEST, SOUTH).orElseThrow().action(), String.join("\n", status(w)));
    assertTrue(w.pluto.connections().isEmpty(), "no anonymous instance");
  }

  /**
   * An authenticated SA is preferred and never replaced by an anonymous one: west and east are up with RSA keys
   * from DNS; east then restarts NULL-only (same address, its key still in DNS) and starts OE to west. West already
   * has its RSA instance for east, which does not accept NULL authentication: AUTHENTICATION_FAILED, and west's
   * authenticated SA and eroute stay as they were.
   */
  @Test
  void anAuthenticatedSaIsPreferredAndNeverReplacedByAnAnonymousOne() throws Exception {
    dns.put(WEST, westKey);
    dns.put(EAST, eastKey);
    Node w = westRsaOrNull();
    authOf.put(EAST, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, OeAuth.RSA_OR_NULL));
    node(EAST, eastKey, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, List.of(net("192.1.2.0/24"))), 2);
    acquire(w, WEST, EAST);
    Connection rsa = w.instance("private-or-clear#192.1.2.0/24[").orElseThrow(() -> new AssertionError(status(w)));
    assertEquals(java.util.Set.of(org.openswanj.conf.AuthBy.RSASIG), rsa.config().authby(),
        "with a key in DNS the instance is RSA, though NULL is allowed");
    long spi = w.policy(WEST, EAST).orElseThrow().template().outboundSpi();
    long ikeSa = rsa.newestIkeSa();

    authOf.put(EAST, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, OeAuth.NULL));
    Node anonymousEast = node(EAST, null, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, List.of(net("192.1.2.0/24"))), 4);
    acquire(anonymousEast, EAST, WEST);
    loop.advance(Duration.ofSeconds(60));
    assertEquals(PolicyAction.PASS, anonymousEast.policy(EAST, WEST).orElseThrow().action(),
        "west refused the anonymous east: " + String.join("\n", status(anonymousEast)));
    String es = String.join("\n", status(anonymousEast));
    assertTrue(es.contains("negotiation failed: ") && es.contains("AUTHENTICATION_FAILED"), es);
    assertEquals(1, w.pluto.connections().size(), "west made no anonymous instance: " + status(w));
    assertEquals(ikeSa, rsa.newestIkeSa(), "west's authenticated IKE SA is still the one");
    assertEquals(spi, w.policy(WEST, EAST).orElseThrow().template().outboundSpi(), "and carries the traffic");
  }

  /** A spoofed IKE_SA_INIT makes an anonymous instance, which goes once no IKE SA came of it. */
  @Test
  void anAnonymousInstanceThatNeverGetsAnIkeSaIsRemoved() throws Exception {
    Node w = westRsaOrNull();
    Node s = south();
    acquire(s, SOUTH, WEST);
    byte[] init = net.log().get(0).bytes(); // south's IKE_SA_INIT request
    InetAddress spoofed = addr("192.1.2.77");
    net.inject(new InetSocketAddress(spoofed, 500), new InetSocketAddress(WEST, 500), init);
    loop.runPending();
    assertTrue(w.pluto.connections().stream().anyMatch(c -> c.remoteHost().orElseThrow().equals(spoofed)),
        "an anonymous instance for the stranger: " + status(w));
    loop.advance(OeResponder.ANONYMOUS_SETUP_LIMIT.plusSeconds(1));
    assertTrue(w.pluto.connections().stream().noneMatch(c -> c.remoteHost().orElseThrow().equals(spoofed)),
        "gone after " + OeResponder.ANONYMOUS_SETUP_LIMIT + ": " + status(w));
    assertTrue(w.pluto.connections().stream().anyMatch(c -> c.remoteHost().orElseThrow().equals(SOUTH)),
        "south's, which is up, stays");
    assertEquals(PolicyAction.IPSEC, w.policy(WEST, SOUTH).orElseThrow().action());
  }

  /** A flood of spoofed sources within the limit's window makes at most the cap of anonymous instances. */
  @Test
  void spoofedStrangersMakeAtMostTheCapOfAnonymousInstances() throws Exception {
    authOf.put(WEST, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, OeAuth.NULL));
    Node w = node(WEST, null, Map.of(PolicyGroupName.PRIVATE_OR_CLEAR, List.of(net("10.0.0.0/8"))), 1);
    Node s = south();
    acquire(s, SOUTH, WEST); // south is outside west's group: its IKE_SA_INIT is only the sample
    byte[] init = net.log().get(0).bytes();
    int extra = 10;
    for (int i = 0; i < OeResponder.MAX_UNCONFIRMED_ANONYMOUS + extra; i++) {
      InetAddress spoofed = addr("10.9." + (i / 250) + "." + (1 + i % 250));
      net.inject(new InetSocketAddress(spoofed, 500), new InetSocketAddress(WEST, 500), init);
    }
    loop.runPending();
    assertEquals(OeResponder.MAX_UNCONFIRMED_ANONYMOUS, w.pluto.connections().size());
    loop.advance(OeResponder.ANONYMOUS_SETUP_LIMIT.plusSeconds(1));
    assertTrue(w.pluto.connections().isEmpty(), "all removed: none got an IKE SA");
  }
}
