package org.openswanj.pluto.daemon;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.ikev1.IsakmpSa;
import org.openswanj.pluto.ikev2.IkeSa;
import org.openswanj.pluto.pki.Listings;
import org.openswanj.pluto.pki.LocalCert;
import org.openswanj.pluto.x509.Credentials;

/**
 * {@code whack --listpubkeys / --listcerts / --listcacerts / --listcrls / --listall}: what pluto holds, in
 * Openswan 2.6's layout (pluto-pki's {@link Listings}). Runs on the loop.
 */
final class CertListings {
  private final Pluto pluto;
  private final java.time.Clock clock;
  private final Secrets secrets;

  CertListings(Pluto pluto, java.time.Clock clock, Secrets secrets) {
    this.pluto = pluto;
    this.clock = clock;
    this.secrets = secrets == null ? Secrets.empty() : secrets;
  }

  private Listings listings(boolean utc) {
    return new Listings(clock, utc ? ZoneOffset.UTC : ZoneId.systemDefault());
  }

  /** Our certificates, once each, from the conns that name them. */
  private List<LocalCert> ours() {
    Map<X509Certificate, LocalCert> out = new LinkedHashMap<>();
    for (Connection c : pluto.connections()) {
      c.certs().local().ifPresent(l -> out.putIfAbsent(l.certificate(), l));
    }
    return new ArrayList<>(out.values());
  }

  List<String> certs(boolean utc) {
    return listings(utc).certs(ours(), secrets::hasPrivateKeyFor);
  }

  List<String> caCerts(boolean utc) {
    Credentials cred = pluto.credentials();
    return cred == null ? List.of() : listings(utc).caCerts(cred.cas(), cred.loaded());
  }

  List<String> crls(boolean utc) {
    Credentials cred = pluto.credentials();
    return cred == null ? List.of() : listings(utc).crls(cred.crls(), pluto.revocationPolicy().strict());
  }

  /** Our certificates' keys and the keys of peers' certificates validated by established IKE SAs. */
  List<String> pubkeys(boolean utc) {
    List<Listings.PubkeyEntry> keys = new ArrayList<>();
    for (LocalCert l : ours()) {
      keys.add(new Listings.PubkeyEntry(l.certificate(), l.installed(), Listings.PubkeyEntry.Origin.LOCAL,
          secrets.hasPrivateKeyFor(l.certificate().getPublicKey())));
    }
    for (IkeSa sa : pluto.engine().ikeSas()) {
      sa.peerCert().ifPresent(c -> addPeer(keys, c, sa.established()));
    }
    // Openswan 2.6 lists the key of a Main Mode peer's certificate too (decode_cert adds it)
    for (IsakmpSa sa : pluto.ikev1().isakmpSas()) {
      sa.peerCert().ifPresent(c -> addPeer(keys, c, sa.established()));
    }
    return listings(utc).pubkeys(keys);
  }

  private void addPeer(List<Listings.PubkeyEntry> keys, X509Certificate c, Instant established) {
    if (keys.stream().noneMatch(k -> k.certificate().equals(c))) {
      keys.add(new Listings.PubkeyEntry(c, established == null ? clock.instant() : established,
          Listings.PubkeyEntry.Origin.PEER, false));
    }
  }

  /** Openswan's --listall order: public keys, certificates, CA certificates, CRLs. */
  List<String> all(boolean utc) {
    List<String> out = new ArrayList<>(pubkeys(utc));
    out.addAll(certs(utc));
    out.addAll(caCerts(utc));
    out.addAll(crls(utc));
    return out;
  }
}
