package org.openswanj.pluto.oe;

import java.net.InetAddress;
import java.util.Optional;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

/**
 * What one IPSECKEY, TXT or KEY record at a target's name says: through which gateway the target is reached
 * and, if the record carries one, the gateway's key. Records of the three kinds are ordered IPSECKEY first
 * (the standard, RFC 4025), then Openswan's TXT, then KEY, each by its own precedence.
 */
final class OeRecords {
  /** Where to negotiate: the target itself, an address, or a name still to be resolved. */
  sealed interface Via {
    record Self() implements Via {}

    record Address(InetAddress address) implements Via {}

    record Named(Name name) implements Via {}
  }

  /** A gateway candidate; {@code key} empty means "look the gateway's own key up". */
  record Candidate(int rank, Via via, Optional<PeerKey> key, KeySource source) {}

  static final int RANK_IPSECKEY = 0;
  static final int RANK_TXT = 0x10000;
  static final int RANK_KEY = 0x20000;

  private OeRecords() {}

  /** RFC 4025 §2: precedence, gateway type (0 none, 1 IPv4, 2 IPv6, 3 name), algorithm, gateway, key. */
  static Candidate ipseckey(IPSECKEYRecord r, KeySource src) throws OeRecordException {
    Optional<PeerKey> key = Optional.empty();
    if (r.getAlgorithmType() != 0) {
      OeKeyAlgorithm alg = OeKeyAlgorithm.fromWire(r.getAlgorithmType()).orElseThrow(() -> new OeRecordException(
          "IPSECKEY algorithm " + r.getAlgorithmType() + " is not one we use (RSA 2, ECDSA 3, EdDSA 4)"));
      if (r.getKey() == null || r.getKey().length == 0) {
        throw new OeRecordException("IPSECKEY algorithm " + r.getAlgorithmType() + " but no key");
      }
      key = Optional.of(PeerKey.decode(alg, r.getKey()));
    }
    Via via = switch (r.getGatewayType()) {
      case IPSECKEYRecord.Gateway.None -> new Via.Self();
      case IPSECKEYRecord.Gateway.IPv4, IPSECKEYRecord.Gateway.IPv6 -> new Via.Address((InetAddress) r.getGateway());
      case IPSECKEYRecord.Gateway.Name -> new Via.Named((Name) r.getGateway());
      default -> throw new OeRecordException("IPSECKEY gateway type " + r.getGatewayType() + " is unknown");
    };
    if (via instanceof Via.Self && key.isEmpty()) {
      // RFC 4025 §2.3/§2.4: neither a gateway nor a key says nothing we could use
      throw new OeRecordException("IPSECKEY with neither gateway nor key");
    }
    return new Candidate(RANK_IPSECKEY + r.getPrecedence(), via, key, src);
  }

  /** Openswan's {@code X-IPsec-Server(PREF)=GATEWAY [KEY]}; empty for a TXT record about something else. */
  static Optional<Candidate> txt(TXTRecord r, KeySource src) throws OeRecordException {
    Optional<OpenswanTxt> t = OpenswanTxt.parse(String.join("", r.getStrings()));
    if (t.isEmpty()) {
      return Optional.empty();
    }
    Via via = t.get().gatewayAddress().<Via>map(Via.Address::new)
        .orElseGet(() -> new Via.Named(t.get().gatewayName().orElseThrow()));
    Optional<PeerKey> key = Optional.empty();
    if (t.get().key().isPresent()) {
      key = Optional.of(PeerKey.decode(OeKeyAlgorithm.RSA, t.get().key().get()));
    }
    return Optional.of(new Candidate(RANK_TXT + t.get().preference(), via, key, src));
  }

  /**
   * RFC 2535 §3.1 KEY as Openswan 2.6 publishes host keys ({@code 0x4200 4 1 AQ...}): the owner's own key.
   * Protocol must be IPSEC (4) or ALL (255) (§3.1.3), the algorithm RSA/MD5 (1) or RSA/SHA-1 (5), both of
   * which carry RFC 3110 §2 key bytes, and the flags must allow authentication (§3.1.2).
   */
  static Candidate key(KEYRecord r, KeySource src) throws OeRecordException {
    if (r.getProtocol() != KEYRecord.Protocol.IPSEC && r.getProtocol() != KEYRecord.Protocol.ANY) {
      throw new OeRecordException("KEY protocol " + r.getProtocol() + " is not IPSEC (4) or ALL (255)");
    }
    int use = r.getFlags() & KEYRecord.Flags.USE_MASK;
    if (use == KEYRecord.Flags.NOKEY || use == KEYRecord.Flags.NOAUTH) {
      throw new OeRecordException(String.format("KEY flags 0x%04x say it is not for authentication", r.getFlags()));
    }
    if (r.getAlgorithm() != DNSSEC.Algorithm.RSAMD5 && r.getAlgorithm() != DNSSEC.Algorithm.RSASHA1) {
      throw new OeRecordException("KEY algorithm " + r.getAlgorithm() + " is not RSA (1 or 5)");
    }
    return new Candidate(RANK_KEY, new Via.Self(), Optional.of(PeerKey.decode(OeKeyAlgorithm.RSA, r.getKey())), src);
  }
}
