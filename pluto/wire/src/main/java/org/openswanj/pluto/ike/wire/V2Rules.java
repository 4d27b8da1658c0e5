package org.openswanj.pluto.ike.wire;

import static org.openswanj.pluto.ike.wire.MessageShape.MANY;
import static org.openswanj.pluto.ike.wire.PayloadType.*;

import java.util.List;

/** IKEv2 message shapes (RFC 7296 §1.2-1.5, §2.16; RFC 6023 childless; RFC 4739 multiple auth). */
final class V2Rules {
  private V2Rules() {}

  static List<MessageShape> initRequest() {
    // RFC 7296 §1.2: HDR, SAi1, KEi, Ni [, N(COOKIE)] [, N...] [, V...]
    return List.of(new MessageShape("SA KE Ni").one(SA, KE, NONCE).any(NOTIFY, VENDOR_ID));
  }

  static List<MessageShape> initResponse() {
    return List.of(new MessageShape("SA KE Nr").one(SA, KE, NONCE).any(CERTREQ, NOTIFY, VENDOR_ID),
        // §2.6 COOKIE, §1.2 INVALID_KE_PAYLOAD, NO_PROPOSAL_CHOSEN ...: a lone notify.
        new MessageShape("N only").range(NOTIFY, 1, MANY).any(VENDOR_ID)
            .when("a lone notify must be an error or COOKIE",
                p -> MessageRules.hasErrorOr(p, NotifyType.COOKIE)));
  }

  static List<MessageShape> authRequest() {
    return List.of(
        new MessageShape("IDi AUTH SA TSi TSr").one(IDI, AUTH, SA, TSI, TSR).optional(IDR, CP)
            .any(CERT, CERTREQ, NOTIFY, VENDOR_ID),
        new MessageShape("IDi AUTH without child (RFC 6023)").one(IDI, AUTH).optional(IDR, CP)
            .any(CERT, CERTREQ, NOTIFY, VENDOR_ID),
        // §2.16: no AUTH asks for EAP.
        new MessageShape("IDi SA TSi TSr (EAP)").one(IDI, SA, TSI, TSR).optional(IDR, CP)
            .any(CERT, CERTREQ, NOTIFY, VENDOR_ID),
        new MessageShape("EAP").one(EAP).any(NOTIFY),
        new MessageShape("AUTH (after EAP)").one(AUTH).any(NOTIFY));
  }

  static List<MessageShape> authResponse() {
    return List.of(
        new MessageShape("IDr AUTH SA TSi TSr").one(IDR, AUTH, SA, TSI, TSR).optional(CP)
            .any(CERT, NOTIFY, VENDOR_ID),
        new MessageShape("IDr AUTH without child").one(IDR, AUTH).optional(CP).any(CERT, NOTIFY, VENDOR_ID),
        new MessageShape("N only").range(NOTIFY, 1, MANY).any(VENDOR_ID)
            .when("a lone notify must be an error", p -> MessageRules.hasErrorOr(p)),
        new MessageShape("IDr AUTH EAP").one(IDR, AUTH, EAP).any(CERT, NOTIFY, VENDOR_ID),
        new MessageShape("EAP").one(EAP).any(NOTIFY),
        new MessageShape("AUTH SA TSi TSr (after EAP)").one(AUTH, SA, TSI, TSR).optional(CP).any(NOTIFY),
        new MessageShape("AUTH (after EAP)").one(AUTH).optional(CP).any(NOTIFY));
  }

  static List<MessageShape> createChild(boolean response) {
    // RFC 7296 §1.3: SA, Ni, [KEi], [TSi, TSr] (child) or SA, Ni, KEi (IKE SA rekey).
    MessageShape child = new MessageShape("SA N [KE] TSi TSr").one(SA, NONCE, TSI, TSR).optional(KE).any(NOTIFY);
    MessageShape ike = new MessageShape("SA N KE (IKE SA rekey)").one(SA, NONCE, KE).any(NOTIFY);
    if (!response) {
      return List.of(child, ike);
    }
    return List.of(child, ike, new MessageShape("N only").range(NOTIFY, 1, MANY)
        .when("a lone notify must be an error", p -> MessageRules.hasErrorOr(p)));
  }

  static List<MessageShape> informational() {
    // RFC 7296 §1.4: any of N, D, CP; empty is a liveness check.
    return List.of(new MessageShape("[N] [D] [CP]").any(NOTIFY, DELETE, VENDOR_ID).optional(CP));
  }

  static List<MessageShape> messageIdSync() {
    // RFC 6311 §5.1, §6.3: an INFORMATIONAL with message ID zero carrying IKEV2_MESSAGE_ID_SYNC (and, §5.2,
    // IPSEC_REPLAY_COUNTER_SYNC notifies) and nothing else; request and response alike
    return List.of(new MessageShape("N(IKEV2_MESSAGE_ID_SYNC)").range(NOTIFY, 1, MANY)
        .when("exactly one IKEV2_MESSAGE_ID_SYNC of 12 octets, other notifies only one IPSEC_REPLAY_COUNTER_SYNC "
            + "of 4 or 8 octets", V2Rules::syncNotifies));
  }

  private static boolean syncNotifies(List<Payload> payloads) {
    int sync = 0;
    int replay = 0;
    for (Payload p : payloads) {
      if (!(p instanceof NotifyPayload n)) {
        continue; // an unknown non-critical payload, ignored as everywhere (RFC 7296 §2.5)
      }
      if (n.type() == NotifyType.IKEV2_MESSAGE_ID_SYNC) {
        sync++;
        if (n.data().length != MessageIdSyncData.LENGTH || n.spi().length != 0) {
          return false;
        }
      } else if (n.type() == NotifyType.IPSEC_REPLAY_COUNTER_SYNC) {
        replay++;
        try {
          ReplayCounterSyncData.decode(n); // RFC 6311 §6.4: a delta of 4 or 8 octets, no SPI
        } catch (InvalidSyntaxException e) {
          return false;
        }
      } else {
        return false;
      }
    }
    return sync == 1 && replay <= 1;
  }
}
