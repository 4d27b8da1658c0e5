package org.openswanj.pluto.conn;

import java.util.ArrayList;
import java.util.List;
import org.openswanj.conf.AuthBy;
import org.openswanj.conf.AutoAction;
import org.openswanj.conf.ConnConfig;
import org.openswanj.conf.ConnType;
import org.openswanj.conf.FailureShunt;
import org.openswanj.conf.Phase2;

/**
 * A conn's policy as Openswan's prettypolicy() prints it ({@code RSASIG+ENCRYPT+TUNNEL+PFS+UP+IKEv2ALLOW}):
 * the policy bit names in Openswan 2.6's bit order, then the shunt ({@code +PASS}, {@code +DROP},
 * {@code +REJECT}), the failure shunt ({@code +failurePASS}) and {@code +NEVER_NEGOTIATE} for shunt conns.
 * Shown by {@code whack --status} and passed to updown scripts as {@code PLUTO_CONN_POLICY}.
 */
public final class PolicyNames {
  private PolicyNames() {}

  public static String of(ConnConfig c) {
    List<String> f = new ArrayList<>();
    addIf(f, c.authby().contains(AuthBy.SECRET), "PSK");
    addIf(f, c.authby().contains(AuthBy.RSASIG), "RSASIG");
    addIf(f, c.authby().contains(AuthBy.NULL), "AUTHNULL"); // Libreswan's name for the policy bit
    if (!c.type().isShunt()) {
      addIf(f, c.phase2() == Phase2.ESP, "ENCRYPT");
      addIf(f, c.phase2() == Phase2.AH, "AUTHENTICATE");
      addIf(f, c.compress(), "COMPRESS");
      addIf(f, c.type() == ConnType.TUNNEL, "TUNNEL");
      addIf(f, c.pfs(), "PFS");
    }
    addIf(f, !c.rekey(), "DONTREKEY");
    addIf(f, c.auto() == AutoAction.START, "UP");
    addIf(f, c.left().xauthServer() || c.left().xauthClient() || c.right().xauthServer()
        || c.right().xauthClient(), "XAUTH");
    addIf(f, c.aggressive(), "AGGRESSIVE");
    // Openswan 2.6: ikev2=permit answers IKEv2; propose and insist also initiate with it
    switch (c.ikev2()) {
      case PERMIT -> f.add("IKEv2ALLOW");
      case PROPOSE, INSIST -> {
        f.add("IKEv2ALLOW");
        f.add("IKEv2Init");
      }
      default -> { }
    }
    addIf(f, c.narrowing(), "IKEv2ALLOW_NARROWING");
    // prettypolicy(): the bits, then the shunt, then "+failure" and the failure shunt, then NEVER_NEGOTIATE
    String s = String.join("+", f) + switch (c.type()) {
      case PASSTHROUGH -> "+PASS";
      case DROP -> "+DROP";
      case REJECT -> "+REJECT";
      default -> "";
    } + failure(c.failureShunt());
    return c.type().isShunt() ? s + "+NEVER_NEGOTIATE" : s;
  }

  private static String failure(FailureShunt f) {
    return switch (f) {
      case NONE -> "";
      case PASSTHROUGH -> "+failurePASS";
      case DROP -> "+failureDROP";
      case REJECT -> "+failureREJECT";
    };
  }

  private static void addIf(List<String> f, boolean cond, String name) {
    if (cond) {
      f.add(name);
    }
  }
}
