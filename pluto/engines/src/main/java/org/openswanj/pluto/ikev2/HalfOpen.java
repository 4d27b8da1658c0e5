package org.openswanj.pluto.ikev2;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The responder's half-open IKE SAs (IKE_SA_INIT answered, IKE_AUTH not yet), counted in all and per source
 * address in O(1): an SA enters when we answer its IKE_SA_INIT and leaves when it is established or forgotten.
 */
final class HalfOpen {
  private final Map<IkeSa, InetAddress> open = new HashMap<>();
  private final Map<InetAddress, Integer> perAddress = new HashMap<>();

  void add(IkeSa sa) {
    InetAddress from = sa.remote.getAddress();
    if (open.putIfAbsent(sa, from) == null) {
      perAddress.merge(from, 1, Integer::sum);
    }
  }

  void remove(IkeSa sa) {
    InetAddress from = open.remove(sa);
    if (from != null) {
      perAddress.computeIfPresent(from, (a, n) -> n > 1 ? n - 1 : null);
    }
  }

  int total() {
    return open.size();
  }

  int from(InetAddress address) {
    return perAddress.getOrDefault(address, 0);
  }
}
