package org.openswanj.testing.load;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import org.openswanj.pluto.crypto.DhKeyPair;
import org.openswanj.pluto.crypto.DiffieHellman;
import org.openswanj.pluto.crypto.IkeSaKeys;
import org.openswanj.pluto.crypto.Ikev2KeyDerivation;
import org.openswanj.pluto.crypto.InvalidKeException;
import org.openswanj.pluto.crypto.PskAuth;
import org.openswanj.pluto.ike.wire.AuthMethod;
import org.openswanj.pluto.ike.wire.AuthPayload;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IdPayload;
import org.openswanj.pluto.ike.wire.IdType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.IntegrityCheckFailedException;
import org.openswanj.pluto.ike.wire.Payload;

/**
 * The crypto bound of one core: the responder's DH, PRF and AEAD work for one PSK handshake of the load
 * generator's suite (X25519 key pair and shared secret, RFC 7296 §2.14 SKEYSEED and prf+, IKE_AUTH opened,
 * the peer's AUTH checked and ours made per §2.15, the Child SA KEYMAT per §2.17, the response sealed), with
 * pluto-crypto, single-threaded and without I/O or encoding beyond the SK payloads. Prints handshakes/s.
 *
 * <p>{@code java -cp loadgen.jar org.openswanj.testing.load.CryptoBound [SECONDS [WARMUP]]}
 */
public final class CryptoBound {
  private static final byte[] PSK = "bound-psk-0123456789".getBytes(StandardCharsets.US_ASCII);

  private CryptoBound() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    Suite suite = new Suite(128);
    SecureRandom random = SecureRandom.getInstance("DRBG");
    Inputs in = Inputs.make(suite, random);
    run(suite, in, random, warmup);
    double rate = run(suite, in, random, seconds);
    System.out.printf(Locale.ROOT, "crypto bound: %.1f handshakes/s on one core (responder: X25519 keygen + "
        + "shared secret, prf+, 2 SK payloads, 2 PSK AUTHs, KEYMAT)%nbound_per_core=%.1f%n", rate, rate);
  }

  /** Handshakes per second over {@code seconds}. */
  static double run(Suite suite, Inputs in, SecureRandom random, double seconds) throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long n = 0;
    long t0 = System.nanoTime();
    while (System.nanoTime() < end) {
      respond(suite, in, random);
      n++;
    }
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  /** The initiator's public values and a sealed IKE_AUTH request, made once. */
  record Inputs(byte[] ke, byte[] ni, byte[] initRequest, byte[] aad, byte[] authBody) {
    static Inputs make(Suite suite, SecureRandom r) {
      DhKeyPair dh = DiffieHellman.generate(Suite.DH, r);
      byte[] ni = new byte[32];
      r.nextBytes(ni);
      IdPayload idi = new IdPayload(false, IdType.ID_FQDN, "load0.test".getBytes(StandardCharsets.US_ASCII));
      byte[] inner = IkeCodec.encodeChain(2, List.<Payload>of(idi,
          new AuthPayload(AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE, new byte[32]), suite.espOffer(new byte[4])));
      byte[] body = new byte[Suite.ENC.ivSize() + inner.length + 1 + Suite.ENC.icvSize()];
      r.nextBytes(body);
      return new Inputs(dh.publicValue(), ni, new byte[300], new byte[32], body);
    }
  }

  private static void respond(Suite suite, Inputs in, SecureRandom r) throws InvalidKeException, IkeProtocolException {
    DhKeyPair mine = DiffieHellman.generate(Suite.DH, r);
    byte[] gir = mine.sharedSecret(in.ke());
    byte[] nr = new byte[32];
    r.nextBytes(nr);
    IkeSaKeys k = Ikev2KeyDerivation.initial(Suite.PRF, Suite.ENC, suite.keyBits(), null, in.ni(), nr, gir, 1, 2);
    // opening the ~110-byte IKE_AUTH request costs the same whether its tag verifies or not (GCM checks the
    // tag over the whole ciphertext): a fixed body stands in for the initiator's, so no initiator work is timed
    try {
      new SkCodec(suite, k.skEi(), r).open(in.aad(), in.authBody());
    } catch (IntegrityCheckFailedException expected) {
      // the stand-in body is not sealed with this handshake's key
    }
    byte[] idBody = new byte[14];
    PskAuth.verify(Suite.PRF, PSK, PskAuth.signedOctets(in.initRequest(), nr, Suite.PRF, k.skPi().bytes(), idBody),
        new byte[32]);
    byte[] ours = PskAuth.authData(Suite.PRF, PSK,
        PskAuth.signedOctets(in.initRequest(), in.ni(), Suite.PRF, k.skPr().bytes(), idBody));
    Ikev2KeyDerivation.childKeymat(Suite.PRF, k.skD().bytes(), null, in.ni(), nr, suite.childKeymatLength());
    IkeCodec.encodeEncrypted(IkeHeader.v2(1, 2, ExchangeType.IKE_AUTH, false, true, 1),
        List.of(new AuthPayload(AuthMethod.SHARED_KEY_MESSAGE_INTEGRITY_CODE, ours)), new SkCodec(suite, k.skEr(), r));
    k.wipe();
  }
}
