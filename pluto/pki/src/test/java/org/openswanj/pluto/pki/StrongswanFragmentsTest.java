package org.openswanj.pluto.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.alg.Integrity;
import org.openswanj.alg.Prf;
import org.openswanj.conf.id.Identity;
import org.openswanj.pluto.crypto.IntegrityException;
import org.openswanj.pluto.crypto.PskAuth;
import org.openswanj.pluto.crypto.SkCipher;
import org.openswanj.pluto.crypto.sig.Ikev2SignatureAuth;
import org.openswanj.pluto.crypto.sig.KeyPolicy;
import org.openswanj.pluto.crypto.sig.SignatureHashAlgorithms;
import org.openswanj.pluto.ike.wire.AuthPayload;
import org.openswanj.pluto.ike.wire.CertPayload;
import org.openswanj.pluto.ike.wire.FragmentReassembler;
import org.openswanj.pluto.ike.wire.IdPayload;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.Ikev2Fragmentation;
import org.openswanj.pluto.ike.wire.IntegrityCheckFailedException;
import org.openswanj.pluto.ike.wire.NoncePayload;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;

/**
 * A real exchange between two strongSwan 5.9.8 charons with RSA-4096 certificates, fragmentation on and 576-byte
 * fragments (the resource's header says how it was made): strongSwan's IKE_AUTH request, sealed in 5 fragments,
 * is opened fragment by fragment with the logged keys, reassembled, and its certificate and RFC 7427 signature are
 * checked with this module and pluto-crypto, as the engine will do.
 */
class StrongswanFragmentsTest {
  private static final Instant WHEN = Instant.parse("2027-01-01T00:00:00Z");

  record Packet(boolean fromInitiator, byte[] bytes) {}

  @Test
  void strongswansFragmentedIkeAuthReassemblesAndAuthenticates() throws Exception {
    Map<String, byte[]> keys = new HashMap<>();
    List<Packet> packets = new ArrayList<>();
    String text = new String(getClass().getResourceAsStream("/capture/strongswan-fragments.txt").readAllBytes(),
        StandardCharsets.US_ASCII);
    for (String line : text.split("\n")) {
      String[] f = line.split(" ");
      if (f[0].equals("key")) {
        keys.put(f[1], HexFormat.of().parseHex(f[2]));
      } else if (f[0].equals("packet")) {
        packets.add(new Packet(f[1].equals("i"), HexFormat.of().parseHex(f[4])));
      }
    }
    byte[] initRequest = packets.get(0).bytes();
    List<Payload> initResponse = IkeCodec.decode(packets.get(1).bytes()).payloads();
    // RFC 7383 §2.3 and RFC 7427 §4, as strongSwan announces them in IKE_SA_INIT.
    assertTrue(Ikev2Fragmentation.peerSupports(IkeCodec.decode(initRequest).payloads()));
    NotifyPayload hashes = (NotifyPayload) IkeCodec.decode(initRequest).payloads().stream()
        .filter(p -> p instanceof NotifyPayload n && n.type() == NotifyType.SIGNATURE_HASH_ALGORITHMS).findFirst()
        .orElseThrow();
    assertTrue(SignatureHashAlgorithms.decode(hashes.data()).contains(org.openswanj.pluto.crypto.HashAlg.SHA2_384));

    SkCipher ci = SkCipher.create(Encryption.AES_CBC, 128, Integrity.HMAC_SHA2_256_128, keys.get("Sk_ei"),
        keys.get("Sk_ai"), new SecureRandom());
    IkeCodec.SkOpener opener = (aad, body) -> {
      try {
        return ci.open(aad, body);
      } catch (IntegrityException e) {
        throw new IntegrityCheckFailedException(e.getMessage());
      }
    };
    FragmentReassembler r = new FragmentReassembler(FragmentReassembler.Limits.DEFAULT);
    FragmentReassembler.Outcome outcome = null;
    int fragments = 0;
    for (Packet p : packets.subList(2, packets.size())) {
      if (p.fromInitiator()) {
        assertTrue(p.bytes().length <= 548, p.bytes().length + " bytes");
        outcome = r.offer(p.bytes(), IkeCodec.decode(p.bytes()), opener, WHEN);
        fragments++;
      }
    }
    assertEquals(5, fragments);
    FragmentReassembler.Outcome.Complete done = assertInstanceOf(FragmentReassembler.Outcome.Complete.class, outcome);
    List<Payload> inner = IkeCodec.decodeChain(2, done.firstPayload(), done.chain(), 0, done.chain().length);

    IdPayload idi = (IdPayload) inner.get(0);
    CertPayload cert = inner.stream().filter(p -> p instanceof CertPayload).map(p -> (CertPayload) p).findFirst()
        .orElseThrow();
    AuthPayload auth = inner.stream().filter(p -> p instanceof AuthPayload).map(p -> (AuthPayload) p).findFirst()
        .orElseThrow();
    Identity peer = Identity.parse("@" + new String(idi.data(), StandardCharsets.US_ASCII));
    assertEquals("@west.capture.example", peer.toString());

    Clock clock = Clock.fixed(WHEN, ZoneOffset.UTC);
    List<X509Certificate> cas = new ArrayList<>();
    for (String ca : List.of("root.pem", "inter.pem")) {
      cas.addAll(CertFiles.certificates(Path.of(getClass().getResource("/capture/" + ca).toURI())).items());
    }
    CertVerifier v = new CertVerifier(CaStore.of(cas), new CrlCache(clock, CertVerifierTest.OFFLINE),
        new OcspClient(CertVerifierTest.OFFLINE, clock, new SecureRandom()), RevocationPolicy.DEFAULT, clock,
        Runnable::run);
    CertVerdict.Trusted trusted = assertInstanceOf(CertVerdict.Trusted.class, v.verify(new PeerCertificates(
        List.of(cert.data()), peer, new CaConstraint.Any(), KeyPolicy.DEFAULT)).get());
    assertEquals("'C=CA, O=Openswanj Capture, CN=west.capture.example' issued by 'C=CA, O=Openswanj Capture, "
        + "CN=Capture Intermediate CA'", trusted.describe());

    // RFC 7296 §2.15: RealMessage1 | Nr | prf(SK_pi, RestOfIDi); strongSwan signed with sha384WithRSAEncryption.
    byte[] nr = initResponse.stream().filter(p -> p instanceof NoncePayload).map(p -> ((NoncePayload) p).nonce())
        .findFirst().orElseThrow();
    byte[] idBody = Arrays.copyOfRange(IkeCodec.encodeChain(2, List.of(idi)), 4, 4 + 4 + idi.data().length);
    byte[] octets = PskAuth.signedOctets(initRequest, nr, Prf.HMAC_SHA2_256, keys.get("Sk_pi"), idBody);
    assertEquals(Ikev2SignatureAuth.DIGITAL_SIGNATURE, auth.method().wireValue());
    assertTrue(Ikev2SignatureAuth.verify(14, trusted.publicKey(), octets, auth.data(), KeyPolicy.DEFAULT).isValid());
    octets[octets.length - 1] ^= 1;
    assertTrue(!Ikev2SignatureAuth.verify(14, trusted.publicKey(), octets, auth.data(), KeyPolicy.DEFAULT)
        .isValid());
  }
}
