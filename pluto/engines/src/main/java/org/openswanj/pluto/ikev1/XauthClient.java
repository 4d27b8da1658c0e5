package org.openswanj.pluto.ikev1;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openswanj.conf.secrets.Secrets;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.engine.EngineMetrics.Drop;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.CfgAttribute;
import org.openswanj.pluto.ike.wire.CfgType;
import org.openswanj.pluto.ike.wire.DataAttribute;
import org.openswanj.pluto.ike.wire.V1AttributePayload;
import org.openswanj.pluto.ikev1.V1Transitions.Event;

/**
 * The road warrior's side of XAUTH (draft-ietf-ipsec-isakmp-xauth-06 §4) and ModeConfig (mode-cfg-05 §3-4):
 * answers the gateway's REQUEST with {@code leftxauthusername=} and the {@code : XAUTH "…"} secret, ACKs its
 * status, then takes an address, asked for with a REQUEST ({@code modecfgpull=yes}) or pushed with a SET.
 * Quick Mode then runs from that address.
 */
final class XauthClient {
  /** How long we wait for the gateway's XAUTH request or ModeConfig before giving up on the ISAKMP SA. */
  static final Duration WAIT = Duration.ofSeconds(60);

  private final Ikev1Engine e;

  XauthClient(Ikev1Engine engine) {
    this.e = engine;
  }

  static boolean xauth(Connection c) {
    return c.local().xauthClient() && !c.local().xauthServer();
  }

  private static boolean modecfg(Connection c) {
    return keyword(c, "modecfgclient").map("yes"::equalsIgnoreCase).orElse(false) || xauth(c);
  }

  private static boolean pull(Connection c) {
    return "yes".equalsIgnoreCase(c.config().keywords().getOrDefault("modecfgpull", "no"));
  }

  /** A left/right keyword of our end, else of the other (a bare keyword is the right end's). */
  private static Optional<String> keyword(Connection c, String key) {
    var kw = c.config().keywords();
    boolean leftIsLocal = c.local() == c.config().left();
    String ours = (leftIsLocal ? "left" : "right") + key;
    String theirs = (leftIsLocal ? "right" : "left") + key;
    return Optional.ofNullable(kw.getOrDefault(ours, kw.get(theirs)));
  }

  /** Phase 1 ended: as an XAUTH client, wait for the gateway's request. True if Quick Mode must wait. */
  boolean afterPhase1(IsakmpSa sa) {
    if (!xauth(sa.conn)) {
      return false;
    }
    CfgState c = new CfgState(e.newSender(sa), sa.state);
    c.client = true;
    sa.cfg = c;
    e.machine.enter(sa, Event.XAUTH_AWAITED, "");
    e.guard.schedule(sa, WAIT, () -> {
      if (!sa.deleting && c.step != CfgState.Step.DONE) {
        giveUp(sa, "the gateway did not finish XAUTH/ModeCfg within " + WAIT.toSeconds() + "s");
      }
    });
    return true;
  }

  void onAttributes(IsakmpSa sa, CfgState c, V1AttributePayload attr) {
    CfgType t = attr.type();
    if (t == CfgType.ISAKMP_CFG_REQUEST && attr.find(CfgAttribute.XAUTH_USER_NAME).isPresent()) {
      answerXauth(sa, c, attr);
    } else if (t == CfgType.ISAKMP_CFG_SET && attr.find(CfgAttribute.XAUTH_STATUS).isPresent()) {
      onStatus(sa, c, attr);
    } else if (t == CfgType.ISAKMP_CFG_REPLY && c.step == CfgState.Step.WAIT_REQUEST
        && CfgState.answers(attr.identifier(), c.identifier)) {
      takeAddress(sa, c, attr, "reply");
    } else if (t == CfgType.ISAKMP_CFG_SET && attr.find(CfgAttribute.INTERNAL_IP4_ADDRESS).isPresent()) {
      // §3.4 push: ACK with the attributes we took, values empty
      List<DataAttribute> ack = new ArrayList<>();
      for (DataAttribute a : attr.attributes()) {
        ack.add(DataAttribute.tlv(a.type(), new byte[0]));
      }
      e.transaction.answer(sa, c, new V1AttributePayload(CfgType.ISAKMP_CFG_ACK, attr.identifier(), ack));
      takeAddress(sa, c, attr, "set");
    } else {
      e.dropped(Drop.UNEXPECTED, "\"" + sa.conn.name() + "\" #" + sa.serial + ": " + t + " dropped: unexpected in " + sa.state);
    }
  }

  private void answerXauth(IsakmpSa sa, CfgState c, V1AttributePayload req) {
    int type = req.find(CfgAttribute.XAUTH_TYPE).map(DataAttribute::value).orElse(CfgAttribute.XAUTH_TYPE_GENERIC);
    if (type != CfgAttribute.XAUTH_TYPE_GENERIC) {
      giveUp(sa, "the gateway asks for XAUTH type " + type + "; only Generic (user name and password) is supported");
      return;
    }
    var given = e.xauthLogin(sa.conn.name()); // whack --xauthname/--xauthpass first, as Openswan does
    String user = given.map(Ikev1Engine.XauthLogin::user).orElseGet(() -> keyword(sa.conn, "xauthusername")
        .orElse(sa.conn.localId().toString().replaceFirst("^@", "")));
    byte[] password = given.map(l -> l.password().clone()).orElseGet(() -> password(user));
    if (password == null) {
      giveUp(sa, "no XAUTH password for user " + user + " in ipsec.secrets (@" + user + " : XAUTH \"...\")");
      return;
    }
    c.user = user;
    e.transaction.answer(sa, c, new V1AttributePayload(CfgType.ISAKMP_CFG_REPLY, req.identifier(), List.of(
        CfgAttribute.XAUTH_USER_NAME.tlv(user.getBytes(StandardCharsets.UTF_8)),
        CfgAttribute.XAUTH_USER_PASSWORD.tlv(password))));
    java.util.Arrays.fill(password, (byte) 0);
    e.machine.enter(sa, Event.XAUTH_REPLY_SENT, "(as " + XauthServer.printable(user) + ")");
  }

  private byte[] password(String user) {
    Secrets s = e.secrets();
    if (s == null) {
      return null;
    }
    for (String form : new String[] {"@" + user, user}) {
      try {
        var found = s.findXauth(org.openswanj.conf.id.Identity.parse(form));
        if (found.isPresent()) {
          return found.get().bytes();
        }
      } catch (Exception notAnId) {
        // try the next form
      }
    }
    return null;
  }

  private void onStatus(IsakmpSa sa, CfgState c, V1AttributePayload set) {
    int status = set.find(CfgAttribute.XAUTH_STATUS).map(DataAttribute::value).orElse(CfgAttribute.XAUTH_STATUS_FAIL);
    e.transaction.answer(sa, c, new V1AttributePayload(CfgType.ISAKMP_CFG_ACK, set.identifier(),
        List.of(CfgAttribute.XAUTH_STATUS.tv(status))));
    if (status != CfgAttribute.XAUTH_STATUS_OK) {
      V1Log.sa(sa, Outcome.LOG_SERIOUS, "XAUTH: the gateway refused user " + (c.user == null ? "(none)"
          : XauthServer.printable(c.user)) + " (status FAIL)");
      c.step = CfgState.Step.STATUS_FAIL_SENT;
      var w = sa.watcher;
      // xauth-06 §4.2: the gateway ends the SA after our ACK (charon without a Delete): ours goes now
      e.info.deleteIsakmp(sa, false);
      if (w != null && !w.closed()) {
        w.close(); // the whack waiting for this SA has its answer
      }
      return;
    }
    V1Log.sa(sa, Outcome.COMMENT, "XAUTH: Successfully Authenticated");
    if (!modecfg(sa.conn)) {
      done(sa, c);
    } else if (pull(sa.conn)) {
      c.step = CfgState.Step.WAIT_REQUEST;
      c.identifier = e.random().nextInt(0x10000);
      List<DataAttribute> ask = new ArrayList<>(List.of(
          CfgAttribute.INTERNAL_IP4_ADDRESS.tlv(new byte[0]), CfgAttribute.INTERNAL_IP4_NETMASK.tlv(new byte[0]),
          CfgAttribute.INTERNAL_IP4_DNS.tlv(new byte[0]), CfgAttribute.INTERNAL_IP4_NBNS.tlv(new byte[0])));
      ask.addAll(Unity.requested(sa.conn)); // remote_peer_type=cisco: banner, split networks, domain
      e.transaction.start(sa, c, new V1AttributePayload(CfgType.ISAKMP_CFG_REQUEST, c.identifier, ask));
      e.machine.enter(sa, Event.MODECFG_REQUEST_SENT, "");
    } else {
      c.step = CfgState.Step.SET_SENT; // waiting for the gateway's SET
    }
  }

  private void takeAddress(IsakmpSa sa, CfgState c, V1AttributePayload attr, String how) {
    c.sender.cancel();
    byte[] a = attr.find(CfgAttribute.INTERNAL_IP4_ADDRESS).map(DataAttribute::variable).orElse(new byte[0]);
    if (a.length != 4) {
      giveUp(sa, "the gateway's ModeCfg " + how + " holds no IPv4 address");
      return;
    }
    try {
      c.address = InetAddress.getByAddress(a);
    } catch (UnknownHostException impossible) {
      giveUp(sa, "bad address");
      return;
    }
    StringBuilder dns = new StringBuilder();
    for (DataAttribute d : attr.all(CfgAttribute.INTERNAL_IP4_DNS)) {
      if (d.variable().length == 4) {
        dns.append(dns.length() == 0 ? " DNS " : ",").append((d.variable()[0] & 0xff) + "." + (d.variable()[1] & 0xff)
            + "." + (d.variable()[2] & 0xff) + "." + (d.variable()[3] & 0xff));
      }
    }
    V1Log.sa(sa, Outcome.COMMENT, "ModeCfg: received IP address " + c.address.getHostAddress() + dns);
    Unity.take(sa, c, attr);
    done(sa, c);
  }

  private void done(IsakmpSa sa, CfgState c) {
    c.step = CfgState.Step.DONE;
    e.machine.enter(sa, Event.CFG_DONE, c.address == null ? "" : "{ModeCfg address=" + c.address.getHostAddress()
        + "}");
    if (sa.initiator && sa.replaces == 0) {
      e.quickMode.initiateAll(sa);
    }
  }

  private void giveUp(IsakmpSa sa, String why) {
    V1Log.sa(sa, Outcome.LOG_SERIOUS, "XAUTH/ModeCfg client: " + why + "; deleting the ISAKMP SA");
    var w = sa.watcher;
    e.info.deleteIsakmp(sa, true);
    if (w != null && !w.closed()) {
      w.close();
    }
  }
}
