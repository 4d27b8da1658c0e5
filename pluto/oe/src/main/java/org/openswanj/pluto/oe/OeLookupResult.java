package org.openswanj.pluto.oe;

import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a look-up found for {@code target}: the gateways to negotiate with, best first, and — when there are none
 * — why ({@code reason}, one line for the log). {@code dnssec} is the weakest status of the answers used.
 * {@code notes} are the records that were seen and dropped, each with why.
 */
public record OeLookupResult(OeTarget target, OeOutcome outcome, List<OeGateway> gateways, DnssecStatus dnssec,
    String reason, List<String> notes) {
  public OeLookupResult {
    gateways = List.copyOf(gateways);
    notes = List.copyOf(notes);
  }

  static OeLookupResult failure(OeTarget target, OeOutcome outcome, String reason) {
    return new OeLookupResult(target, outcome, List.of(), DnssecStatus.UNVALIDATED, reason, List.of());
  }

  public boolean found() {
    return outcome == OeOutcome.FOUND;
  }

  /** The keys published for {@code gateway} (a responder checks its peer against these). */
  public List<LearnedKey> keysFor(InetAddress gateway) {
    return gateways.stream().filter(g -> g.address().map(gateway::equals).orElse(false))
        .map(OeGateway::key).distinct().collect(Collectors.toList());
  }

  /** One line for the log: {@code 192.1.2.23: FOUND via 192.1.2.23 (RSA key AwEAAc..., IPSECKEY ..., secure)}. */
  public String describe() {
    if (!found()) {
      return target + ": " + outcome + ": " + reason;
    }
    OeGateway g = gateways.get(0);
    return target + ": " + outcome + " via " + g.address().map(com.google.common.net.InetAddresses::toAddrString).orElse("(itself)")
        + " (" + g.key().key() + " from " + g.key().source() + ", " + dnssec.describe() + ")"
        + (gateways.size() > 1 ? " and " + (gateways.size() - 1) + " more" : "");
  }
}
