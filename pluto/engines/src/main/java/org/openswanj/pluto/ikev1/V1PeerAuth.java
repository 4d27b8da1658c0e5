package org.openswanj.pluto.ikev1;

import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.id.Identity;
import org.openswanj.pluto.crypto.sig.SigVerdict;
import org.openswanj.pluto.crypto.sig.SigningException;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.HashPayload;
import org.openswanj.pluto.ike.wire.Payload;
import org.openswanj.pluto.ike.wire.SigPayload;
import org.openswanj.pluto.ike.wire.V1IdPayload;
import org.openswanj.pluto.x509.PeerCheck;

/**
 * The authentication step Main Mode (MI3/MR3) and Aggressive Mode (AR1/AI2) share: what we send (ID and HASH,
 * RFC 2409 §5; ID, [CERT,] SIG, §5.1) and the check of what the peer sent, by PSK, raw RSA key or certificate
 * chain (on a worker) and then its signature with the negotiated method (RSA, or ECDSA by RFC 4754).
 */
final class V1PeerAuth {
  private final Ikev1Engine e;
  private final Phase1 p;

  V1PeerAuth(Ikev1Engine engine, Phase1 phase1) {
    this.e = engine;
    this.p = phase1;
  }

  /** ID and HASH with a PSK; ID, [CERT], SIG with signatures. Null (the SA failed, logged) if we cannot sign. */
  List<Payload> ours(IsakmpSa sa, V1IdPayload id, byte[] hash) {
    if (sa.privateKey == null) {
      return List.of(id, new HashPayload(hash));
    }
    try {
      return V1SigAuth.authPayloads(sa, id, hash);
    } catch (SigningException ex) {
      p.fail(sa, "cannot sign with our " + Phase1.keyName(sa) + " key: " + ex.getMessage());
      return null;
    }
  }

  /** The peer's HASH or SIG over {@code expected} without certificates: empty if it checks, else the reason. */
  Optional<String> problem(IsakmpSa sa, List<Payload> ps, byte[] expected) {
    Optional<HashPayload> hash = first(ps, HashPayload.class);
    Optional<SigPayload> sig = first(ps, SigPayload.class);
    if (sa.authMethod.signature()) {
      if (sig.isEmpty()) {
        return Optional.of("peer sent a HASH, but this conn authenticates with signatures (authby=rsasig)");
      }
      SigVerdict v = V1SigAuth.verifyRaw(sa.conn, expected, sig.get().signature());
      return v.isValid() ? Optional.empty() : Optional.of("RSA signature does not verify: " + v.reason());
    }
    if (hash.isEmpty()) {
      return Optional.of("peer sent a SIG, but this conn authenticates with a pre-shared key (authby=secret)");
    }
    return MessageDigest.isEqual(hash.get().hash(), expected) ? Optional.empty()
        : Optional.of("received Hash Payload does not match computed value");
  }

  /**
   * RFC 2409 §5.1 with certificates: the peer's chain is checked on a worker (pluto-pki), then SIG with its key
   * and the negotiated method; {@code then} continues on the loop. A refusal is one line and ends the SA.
   */
  void checkCertificate(IsakmpSa sa, List<Payload> ps, Identity peer, byte[] hash, Runnable then) {
    Optional<SigPayload> sig = first(ps, SigPayload.class);
    if (sig.isEmpty()) {
      V1Log.sa(sa, Outcome.AUTHFAILED, "peer sent a HASH, but this conn authenticates with signatures");
      return;
    }
    sa.busy = true;
    PeerCheck.check(e.credentials(), sa.conn.certs(), peer, V1SigAuth.peerCertificates(sa.conn, ps))
        .thenAccept(v -> e.loop().execute(() -> {
          sa.busy = false;
          if (sa.deleting) {
            return;
          }
          Optional<String> bad = V1SigAuth.certProblem(sa, v, hash, sig.get().signature());
          if (bad.isPresent()) {
            V1Log.sa(sa, Outcome.AUTHFAILED, bad.get());
            p.fail(sa, "authentication of the peer failed");
            return;
          }
          then.run();
        }));
  }

  static <T extends Payload> Optional<T> first(List<Payload> ps, Class<T> c) {
    return ps.stream().filter(c::isInstance).map(c::cast).findFirst();
  }
}
