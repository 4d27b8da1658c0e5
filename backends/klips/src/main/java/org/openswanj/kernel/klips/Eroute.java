package org.openswanj.kernel.klips;

import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;

/**
 * One outbound eroute as the data path sees it: the policy, its selector prepared for matching, the
 * outbound SA it points at (IPSEC; null if that SA is not installed) and its hold queue (%trap/%hold).
 */
record Eroute(PolicyId id, PolicySpec spec, CompiledSelector selector, SaState sa, HoldQueue hold) {

  /** Most specific first (Openswan's eroute order); an explicit priority (lower wins) breaks ties. */
  static int compare(Eroute a, Eroute b) {
    int s = Integer.compare(b.id.selector().specificity(), a.id.selector().specificity());
    return s != 0 ? s : Integer.compare(a.spec.priority(), b.spec.priority());
  }

  String describe() {
    String target = switch (spec.action()) {
      case IPSEC -> sa == null ? String.format("esp:0x%08x (not installed)", spec.template().outboundSpi()) : sa.id.toString();
      case TRAP -> "%trap";
      case HOLD -> "%hold";
      case PASS -> "%pass";
      case DROP -> "%drop";
      case REJECT -> "%reject";
    };
    return "eroute " + id.selector() + " => " + target + " (" + hold.held() + " held)"
        + (spec.name() == null ? "" : " \"" + spec.name() + "\"");
  }
}
