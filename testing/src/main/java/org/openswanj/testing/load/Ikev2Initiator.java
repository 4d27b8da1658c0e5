package org.openswanj.testing.load;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.pluto.crypto.DhKeyPair;
import org.openswanj.pluto.crypto.DiffieHellman;
import org.openswanj.pluto.crypto.Ikev2KeyDerivation;
import org.openswanj.pluto.crypto.InvalidKeException;
import org.openswanj.pluto.crypto.PskAuth;
import org.openswanj.pluto.ike.wire.AuthMethod;
import org.openswanj.pluto.ike.wire.AuthPayload;
import org.openswanj.pluto.ike.wire.DeletePayload;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IdPayload;
import org.openswanj.pluto.ike.wire.IdType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.KePayload;
import org.openswanj.pluto.ike.wire.NoncePayload;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.ProtocolId;
import org.openswanj.pluto.ike.wire.SaPayload;
import org.openswanj.pluto.ike.wire.TsPayload;

/**
 * The initiator's side of RFC 7296 §1.2 with a pre-shared key: builds each request and checks each response
 * of one {@link Handshake}. Not thread-safe (one per worker): it owns the worker's random source and its
 * current DH key pair.
 */
final class Ikev2Initiator {
  private static final int NONCE_SIZE = 32;
  private static final int MAX_COOKIES = 2;

  private final Suite suite;
  private final byte[] psk;
  private final SecureRandom random;
  private final int keReuse;
  private DhKeyPair dh;
  private int dhUses;

  /** @param keReuse handshakes per DH key pair (RFC 7296 §2.12 allows reuse; 1 = a fresh key every time) */
  Ikev2Initiator(Suite suite, byte[] psk, SecureRandom random, int keReuse) {
    this.suite = suite;
    this.psk = psk.clone();
    this.random = random;
    this.keReuse = keReuse;
  }

  /** The first IKE_SA_INIT request (RFC 7296 §1.2): SA, KE, Ni. */
  byte[] saInit(Handshake h) {
    h.ni = randomBytes(NONCE_SIZE);
    h.dh = nextDh();
    return saInit(h, null);
  }

  /** RFC 7296 §2.6: a retry carries the COOKIE first and the other payloads unchanged. */
  private byte[] saInit(Handshake h, byte[] cookie) {
    List<Payload> p = new ArrayList<>();
    if (cookie != null) {
      p.add(new NotifyPayload(NotifyType.COOKIE, cookie));
    }
    p.add(suite.ikeOffer());
    p.add(new KePayload(Suite.DH.id(), h.dh.publicValue()));
    p.add(new NoncePayload(h.ni));
    // RFC 7296 §2.23: NAT detection, so a responder can agree to UDP encapsulation (kernel-libipsec needs it)
    p.add(new NotifyPayload(NotifyType.NAT_DETECTION_SOURCE_IP, natHash(h.spiI, h.local)));
    p.add(new NotifyPayload(NotifyType.NAT_DETECTION_DESTINATION_IP, natHash(h.spiI, h.peer)));
    h.phase = Handshake.Phase.IKE_SA_INIT;
    h.initRequest = IkeCodec.encode(IkeHeader.v2(h.spiI, 0, ExchangeType.IKE_SA_INIT, true, false, 0), p);
    return h.initRequest;
  }

  /** Checks the IKE_SA_INIT response; returns the next request: IKE_AUTH, or IKE_SA_INIT again with a cookie. */
  byte[] onSaInitResponse(Handshake h, IkeMessage m, byte[] raw, int cookiesSoFar) throws HandshakeFailure {
    Optional<NotifyPayload> cookie = m.notify(NotifyType.COOKIE);
    if (cookie.isPresent()) {
      if (java.util.Arrays.equals(cookie.get().data(), h.cookie)) {
        return null; // the same COOKIE again answers a retransmission of the request we already replaced
      }
      if (cookiesSoFar >= MAX_COOKIES) {
        throw new HandshakeFailure("IKE_SA_INIT: COOKIE asked " + (cookiesSoFar + 1) + " times");
      }
      h.cookie = cookie.get().data();
      h.ambiguous = h.tries > 1; // the first request went out again: its own answer may still come

      return saInit(h, h.cookie);
    }
    failOnErrorNotify("IKE_SA_INIT", m.payloads());
    KePayload ke = m.first(KePayload.class).orElseThrow(() -> new HandshakeFailure("IKE_SA_INIT: no KE payload"));
    NoncePayload nr = m.first(NoncePayload.class)
        .orElseThrow(() -> new HandshakeFailure("IKE_SA_INIT: no Nr payload"));
    checkChosen(m.first(SaPayload.class).orElse(null), ProtocolId.IKE, "IKE_SA_INIT");
    if (ke.dhGroup() != Suite.DH.id() || m.header().responderSpi() == 0) {
      throw new HandshakeFailure("IKE_SA_INIT: KE group " + ke.dhGroup() + " or a zero responder SPI");
    }
    h.spiR = m.header().responderSpi();
    // RFC 7296 §2.23: an initiator may use port 4500 whether or not there is a NAT, once both support it
    h.natT = m.notify(NotifyType.NAT_DETECTION_SOURCE_IP).isPresent();
    h.nr = nr.nonce();
    h.initResponse = raw.clone();
    deriveKeys(h, ke.keyData());
    return authRequest(h);
  }

  private void deriveKeys(Handshake h, byte[] peerKe) throws HandshakeFailure {
    byte[] gir;
    try {
      gir = h.dh.sharedSecret(peerKe);
    } catch (InvalidKeException e) {
      throw new HandshakeFailure("IKE_SA_INIT: bad KE data (" + e.getMessage() + ")");
    }
    // RFC 7296 §2.14: SKEYSEED and the seven keys
    h.keys = Ikev2KeyDerivation.initial(Suite.PRF, Suite.ENC, suite.keyBits(), null, h.ni, h.nr, gir, h.spiI, h.spiR);
    java.util.Arrays.fill(gir, (byte) 0);
    h.out = new SkCodec(suite, h.keys.skEi(), random);
    h.in = new SkCodec(suite, h.keys.skEr(), random);
  }

  /** RFC 7296 §1.2: SK {IDi, AUTH, SAi2, TSi, TSr}. */
  private byte[] authRequest(Handshake h) {
    IdPayload idi = new IdPayload(false, IdType.ID_FQDN, h.idData);
    // RFC 7296 §2.15: AUTH over our first message, Nr and prf(SK_pi, IDi')
    byte[] octets = PskAuth.signedOctets(h.initRequest, h.nr, Suite.PRF, h.keys.skPi().bytes(), idi.body());
    List<Payload> inner = List.of(idi,
        new AuthPayload(AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE, PskAuth.authData(Suite.PRF, psk, octets)),
        suite.espOffer(randomBytes(4)),
        new TsPayload(false, List.of(h.selectors.tsi())),
        new TsPayload(true, List.of(h.selectors.tsr())));
    h.phase = Handshake.Phase.IKE_AUTH;
    return IkeCodec.encodeEncrypted(IkeHeader.v2(h.spiI, h.spiR, ExchangeType.IKE_AUTH, true, false, 1), inner, h.out);
  }

  /** Opens and checks the IKE_AUTH response: the responder's AUTH (RFC 7296 §2.15) and an accepted Child SA. */
  void onAuthResponse(Handshake h, IkeMessage m, byte[] raw) throws HandshakeFailure {
    List<Payload> inner;
    try {
      inner = IkeCodec.decodeEncrypted(raw, m, h.in);
    } catch (IkeProtocolException e) {
      throw new HandshakeFailure("IKE_AUTH: response does not open (" + e.getClass().getSimpleName() + ")");
    }
    failOnErrorNotify("IKE_AUTH", inner);
    IkeMessage im = new IkeMessage(m.header(), inner);
    IdPayload idr = im.all(IdPayload.class).stream().filter(IdPayload::responder).findFirst()
        .orElseThrow(() -> new HandshakeFailure("IKE_AUTH: no IDr payload"));
    AuthPayload auth = im.first(AuthPayload.class).orElseThrow(() -> new HandshakeFailure("IKE_AUTH: no AUTH payload"));
    byte[] octets = PskAuth.signedOctets(h.initResponse, h.ni, Suite.PRF, h.keys.skPr().bytes(), idr.body());
    if (auth.method() != AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE
        || !PskAuth.verify(Suite.PRF, psk, octets, auth.data())) {
      throw new HandshakeFailure("IKE_AUTH: responder's AUTH (" + auth.method() + ") does not verify");
    }
    checkChosen(im.first(SaPayload.class).orElse(null), ProtocolId.ESP, "IKE_AUTH");
    if (im.all(TsPayload.class).size() != 2) {
      throw new HandshakeFailure("IKE_AUTH: Child SA without TSi and TSr");
    }
  }

  /** RFC 7296 §1.4.1: an INFORMATIONAL with a Delete of the IKE SA (no SPIs: the header names it). */
  byte[] delete(Handshake h) {
    IkeHeader hdr = IkeHeader.v2(h.spiI, h.spiR, ExchangeType.INFORMATIONAL, true, false, 2);
    return IkeCodec.encodeEncrypted(hdr, List.of(new DeletePayload(ProtocolId.IKE.wireValue(), 0, List.of())), h.out);
  }

  /** RFC 7296 §3.10.1: an error notify (type below 16384) in a response means the request failed. */
  private static void failOnErrorNotify(String exchange, List<Payload> payloads) throws HandshakeFailure {
    for (Payload p : payloads) {
      if (p instanceof NotifyPayload n && n.isError()) {
        throw new HandshakeFailure(exchange + ": N(" + n.type() + (n.type() == NotifyType.UNKNOWN
            ? " " + n.notifyType() : "") + ")");
      }
    }
  }

  /** RFC 7296 §3.3: the answer is exactly one proposal, for the protocol we offered, with our cipher. */
  private static void checkChosen(SaPayload sa, ProtocolId protocol, String exchange) throws HandshakeFailure {
    if (sa == null || sa.proposals().size() != 1 || sa.proposals().get(0).protocol() != protocol) {
      throw new HandshakeFailure(exchange + ": no single " + protocol + " proposal chosen");
    }
  }

  /** RFC 7296 §2.23: SHA-1(SPIi | SPIr | IP address | port), SPIr zero in IKE_SA_INIT. */
  private static byte[] natHash(long spiI, java.net.InetSocketAddress a) {
    try {
      java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-1");
      d.update(java.nio.ByteBuffer.allocate(16).putLong(spiI).putLong(0).array());
      d.update(a.getAddress().getAddress());
      d.update(new byte[] {(byte) (a.getPort() >> 8), (byte) a.getPort()});
      return d.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  private DhKeyPair nextDh() {
    if (dh == null || dhUses >= keReuse) {
      dh = DiffieHellman.generate(Suite.DH, random);
      dhUses = 0;
    }
    dhUses++;
    return dh;
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
