package org.openswanj.pluto.oe;

import java.net.InetAddress;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * One way to reach a target: negotiate with the gateway at {@code address}, authenticating it with {@code key},
 * for the target's traffic. {@code address} is empty only for an @FQDN target that is its own gateway (the
 * responder then knows the address from the packet); {@code name} is the gateway's DNS name when the record
 * gave one. Lower {@code precedence} is tried first (RFC 4025 §2.2).
 */
public record OeGateway(int precedence, Optional<InetAddress> address, Optional<Name> name, LearnedKey key) {}
