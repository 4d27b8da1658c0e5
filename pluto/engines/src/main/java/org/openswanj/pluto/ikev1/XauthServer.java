package org.openswanj.pluto.ikev1;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openswanj.conf.EndConfig;
import org.openswanj.conf.secrets.XauthPasswd;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.engine.EngineMetrics.Drop;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.CfgAttribute;
import org.openswanj.pluto.ike.wire.CfgType;
import org.openswanj.pluto.ike.wire.DataAttribute;
import org.openswanj.pluto.ike.wire.V1AttributePayload;
import org.openswanj.pluto.ikev1.V1Transitions.Event;

/**
 * The gateway's side of XAUTH (draft-ietf-ipsec-isakmp-xauth-06 §4) and ModeConfig (mode-cfg-05 §3-4) after
 * phase 1, as Openswan runs them: REQUEST user name and password, check them against ipsec.d/passwd
 * ({@code xauthby=file}) off the loop, three tries, SET status OK or FAIL, the client's ACK; then the address
 * pushed with SET/ACK (Openswan's default) or given in the REPLY to the client's REQUEST ({@code modecfgpull=yes}).
 * Quick Mode waits until this is done.
 */
final class XauthServer {
  private final Ikev1Engine e;

  XauthServer(Ikev1Engine engine) {
    this.e = engine;
  }

  /** The conn makes us an XAUTH server (leftxauthserver=yes). */
  static boolean xauth(Connection c) {
    return c.local().xauthServer();
  }

  /** The conn makes us a ModeConfig server: leftmodecfgserver=yes, or an address to give the peer. */
  static boolean modecfg(Connection c) {
    EndConfig.ModeCfg m = c.remote().modecfg();
    return c.local().xauthServer() && (c.remote().sourceIp().isPresent() || m.pool().isPresent())
        || bool(c, "modecfgserver", true);
  }

  private static boolean bool(Connection c, String key, boolean local) {
    var kw = c.config().keywords();
    boolean leftIsLocal = c.local() == c.config().left();
    String side = local == leftIsLocal ? "left" : "right";
    return "yes".equalsIgnoreCase(kw.getOrDefault(side + key, "no"));
  }

  private static boolean pull(Connection c) {
    return "yes".equalsIgnoreCase(c.config().keywords().getOrDefault("modecfgpull", "no"));
  }

  /**
   * Phase 1 just ended: starts XAUTH (or the ModeConfig push) when the conn asks for it. True if it did, and so
   * Quick Mode must wait for {@link #done}.
   */
  boolean afterPhase1(IsakmpSa sa) {
    Connection c = sa.conn;
    if (!xauth(c) && !modecfg(c)) {
      return false;
    }
    sa.cfg = new CfgState(e.newSender(sa), sa.state);
    if (xauth(c)) {
      request(sa, sa.cfg);
    } else {
      startModecfg(sa, sa.cfg);
    }
    return true;
  }

  private void request(IsakmpSa sa, CfgState c) {
    c.step = CfgState.Step.XAUTH_REQUEST_SENT;
    c.identifier = e.random().nextInt(0x10000);
    // §4.1: the server asks for what it needs, empty values; Generic type is the default
    e.transaction.start(sa, c, new V1AttributePayload(CfgType.ISAKMP_CFG_REQUEST, c.identifier,
        List.of(CfgAttribute.XAUTH_USER_NAME.tlv(new byte[0]), CfgAttribute.XAUTH_USER_PASSWORD.tlv(new byte[0]))));
    e.machine.enter(sa, Event.XAUTH_REQUEST_SENT, c.tries == 0 ? "" : "(try " + (c.tries + 1) + " of "
        + CfgState.MAX_TRIES + ")");
  }

  /** One checked attribute payload from the client. */
  void onAttributes(IsakmpSa sa, CfgState c, V1AttributePayload attr) {
    CfgType t = attr.type();
    boolean answer = t == CfgType.ISAKMP_CFG_REPLY || t == CfgType.ISAKMP_CFG_ACK;
    if (answer && !CfgState.answers(attr.identifier(), c.identifier)) {
      e.dropped(Drop.MESSAGE_ID, "\"" + sa.conn.name() + "\" #" + sa.serial + ": " + t + " with identifier " + attr.identifier()
          + " dropped: ours was " + c.identifier);
      return;
    }
    if (t == CfgType.ISAKMP_CFG_REPLY && c.step == CfgState.Step.XAUTH_REQUEST_SENT) {
      onXauthReply(sa, c, attr);
    } else if (t == CfgType.ISAKMP_CFG_ACK && c.step == CfgState.Step.STATUS_OK_SENT) {
      V1Log.sa(sa, Outcome.COMMENT, "XAUTH: client acknowledged the status");
      startModecfg(sa, c);
    } else if (t == CfgType.ISAKMP_CFG_ACK && c.step == CfgState.Step.STATUS_FAIL_SENT) {
      c.sender.cancel();
      e.info.deleteIsakmp(sa, true);
    } else if (t == CfgType.ISAKMP_CFG_REQUEST && modecfg(sa.conn) && (c.step == CfgState.Step.WAIT_REQUEST
        || c.step == CfgState.Step.SET_SENT || c.step == CfgState.Step.DONE)) {
      reply(sa, c, attr);
    } else if (t == CfgType.ISAKMP_CFG_ACK && c.step == CfgState.Step.SET_SENT) {
      V1Log.sa(sa, Outcome.COMMENT, "ModeCfg: client acknowledged " + c.address.getHostAddress());
      done(sa, c);
    } else {
      e.dropped(Drop.UNEXPECTED, "\"" + sa.conn.name() + "\" #" + sa.serial + ": " + t + " dropped: unexpected in " + sa.state);
    }
  }

  // ---- XAUTH ----

  private void onXauthReply(IsakmpSa sa, CfgState c, V1AttributePayload attr) {
    String user = attr.find(CfgAttribute.XAUTH_USER_NAME).map(a -> new String(a.variable(), StandardCharsets.UTF_8))
        .orElse(null);
    byte[] password = attr.find(CfgAttribute.XAUTH_USER_PASSWORD).map(DataAttribute::variable).orElse(null);
    if (user == null || password == null) {
      refused(sa, c, user, "the reply lacks the user name or the password");
      return;
    }
    c.step = CfgState.Step.XAUTH_CHECKING;
    String conn = sa.conn.name();
    String by = sa.conn.config().keywords().getOrDefault("xauthby", "file");
    e.guard.offload(sa, () -> check(by, conn, user, password), why -> {
      Arrays.fill(password, (byte) 0);
      if (why == null) {
        accepted(sa, c, user);
      } else {
        refused(sa, c, user, why);
      }
    }, ex -> refused(sa, c, user, ex.getMessage()));
  }

  /** On a helper: null if the password is right, else why not (never the password). */
  private String check(String by, String conn, String user, byte[] password) {
    if (by.equalsIgnoreCase("alwaysok")) {
      return null;
    }
    java.nio.file.Path file = e.passwdFile().orElse(null);
    if (file == null) {
      return "no ipsec.d directory, so no passwd file";
    }
    String text;
    try {
      text = org.openswanj.conf.RegularFiles.readString(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException | java.io.UncheckedIOException ex) {
      return "cannot read " + file + ": " + ex.getClass().getSimpleName();
    }
    return switch (XauthPasswd.parse(text, file.toString()).check(conn, user, password)) {
      case OK -> null;
      case NO_SUCH_USER -> "no such user for this conn in " + file;
      case WRONG_PASSWORD -> "wrong password";
      case UNSUPPORTED_HASH -> "the user's hash in " + file + " is not a $1$/$5$/$6$/DES crypt hash";
    };
  }

  private void accepted(IsakmpSa sa, CfgState c, String user) {
    c.user = user;
    V1Log.sa(sa, Outcome.COMMENT, "XAUTH: User " + printable(user) + ": Authentication Successful");
    status(sa, c, CfgAttribute.XAUTH_STATUS_OK);
  }

  /** One line per refusal; after the third, status FAIL and the SA goes (Openswan's three tries). */
  private void refused(IsakmpSa sa, CfgState c, String user, String why) {
    c.tries++;
    V1Log.sa(sa, Outcome.LOG_SERIOUS, "XAUTH: User " + (user == null ? "(none)" : printable(user))
        + ": Authentication Failed: " + why + " (try " + c.tries + " of " + CfgState.MAX_TRIES + ")");
    if (c.tries < CfgState.MAX_TRIES) {
      request(sa, c);
    } else {
      status(sa, c, CfgAttribute.XAUTH_STATUS_FAIL);
    }
  }

  /** §4.2: the result in a SET of its own exchange, which the client ACKs. */
  private void status(IsakmpSa sa, CfgState c, int status) {
    c.step = status == CfgAttribute.XAUTH_STATUS_OK ? CfgState.Step.STATUS_OK_SENT : CfgState.Step.STATUS_FAIL_SENT;
    c.identifier = e.random().nextInt(0x10000);
    e.transaction.start(sa, c, new V1AttributePayload(CfgType.ISAKMP_CFG_SET, c.identifier,
        List.of(CfgAttribute.XAUTH_STATUS.tv(status))));
    e.machine.enter(sa, Event.XAUTH_STATUS_SENT, status == CfgAttribute.XAUTH_STATUS_OK ? "(OK)" : "(FAIL)");
  }

  /** User names come from the peer: shown printable and bounded. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 64; i++) {
      char ch = s.charAt(i);
      b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
    }
    return b.toString();
  }

  // ---- ModeConfig ----

  private void startModecfg(IsakmpSa sa, CfgState c) {
    if (!modecfg(sa.conn)) {
      done(sa, c);
    } else if (pull(sa.conn)) {
      // mode-cfg-05 §3.4: the client asks with a REQUEST; Quick Mode may start once it has its address
      c.sender.cancel();
      done(sa, c);
      c.step = CfgState.Step.WAIT_REQUEST;
    } else {
      List<DataAttribute> attrs = attributes(sa, c, null);
      if (attrs == null) {
        return;
      }
      c.step = CfgState.Step.SET_SENT;
      c.identifier = e.random().nextInt(0x10000);
      e.transaction.start(sa, c, new V1AttributePayload(CfgType.ISAKMP_CFG_SET, c.identifier, attrs));
      e.machine.enter(sa, Event.MODECFG_SET_SENT, "(" + c.address.getHostAddress() + ")");
    }
  }

  /** The REPLY to a client's REQUEST, same identifier (§3.2), carrying what it asked for that we have. */
  private void reply(IsakmpSa sa, CfgState c, V1AttributePayload request) {
    List<DataAttribute> attrs = attributes(sa, c, request);
    if (attrs == null) {
      return;
    }
    e.transaction.answer(sa, c, new V1AttributePayload(CfgType.ISAKMP_CFG_REPLY, request.identifier(), attrs));
    V1Log.sa(sa, Outcome.COMMENT, "ModeCfg: sent reply with " + c.address.getHostAddress() + " to the client's request");
    if (c.step == CfgState.Step.SET_SENT) {
      done(sa, c);
    }
    c.step = CfgState.Step.DONE;
  }

  /** The address (leased once per SA) and servers; null (logged, SA deleted) when no address can be given. */
  private List<DataAttribute> attributes(IsakmpSa sa, CfgState c, V1AttributePayload request) {
    Connection conn = sa.conn;
    if (c.address == null) {
      c.address = e.leases.lease(conn, AddressLeases.client(c.user, conn));
      if (c.address == null) {
        V1Log.sa(sa, Outcome.LOG_SERIOUS, "ModeCfg: no address for the client: no rightsourceip= and "
            + conn.remote().modecfg().pool().map(p -> "the pool " + p + " is exhausted").orElse("no addresspool="));
        e.info.deleteIsakmp(sa, true);
        return null;
      }
    }
    EndConfig.ModeCfg m = conn.remote().modecfg();
    List<DataAttribute> out = new ArrayList<>();
    out.add(CfgAttribute.INTERNAL_IP4_ADDRESS.tlv(c.address.getAddress()));
    out.add(CfgAttribute.INTERNAL_IP4_NETMASK.tlv(new byte[] {-1, -1, -1, -1}));
    for (InetAddress d : m.dns().isEmpty() ? conn.local().modecfg().dns() : m.dns()) {
      out.add(CfgAttribute.INTERNAL_IP4_DNS.tlv(d.getAddress()));
    }
    for (InetAddress w : m.wins().isEmpty() ? conn.local().modecfg().wins() : m.wins()) {
      out.add(CfgAttribute.INTERNAL_IP4_NBNS.tlv(w.getAddress()));
    }
    // Cisco Unity: split networks and banner to a client that sent the Unity VID, or asked for them
    out.addAll(Unity.serverAttributes(e, sa, request != null));
    if (request == null) {
      return out;
    }
    // §3.2: a REPLY carries the attributes asked for (an address is always given: that is the point)
    return out.stream().filter(a -> a.type() == CfgAttribute.INTERNAL_IP4_ADDRESS.wireValue()
        || request.find(CfgAttribute.fromWire(a.type())).isPresent()).toList();
  }

  /** XAUTH (and a pushed ModeConfig) done: back to the established state; an initiator starts its Quick Mode. */
  private void done(IsakmpSa sa, CfgState c) {
    c.step = CfgState.Step.DONE;
    e.machine.enter(sa, Event.CFG_DONE, c.user == null ? "" : "{XAUTH user=" + printable(c.user) + "}");
    e.replication().isakmpEstablished(sa); // a standby learns the user and the client's address
    if (sa.initiator && sa.replaces == 0) {
      e.quickMode.initiateAll(sa);
    }
  }
}
