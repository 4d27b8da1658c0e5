package org.openswanj.pluto.ike.wire;

import static org.openswanj.pluto.ike.wire.PayloadType.*;

import java.util.ArrayList;
import java.util.List;
import org.openswanj.pluto.ike.wire.MessageRules.V1Step;

/** IKEv1 message shapes (RFC 2409 §5 Main/Aggressive, §5.5 Quick Mode, RFC 2408 §4.8, RFC 3947 §3-5). */
final class V1Rules {
  private V1Rules() {}

  /** The shapes of the responder's steps (given first) or of the initiator's steps. */
  static List<MessageShape> forRole(boolean response, V1Step... steps) {
    List<MessageShape> out = new ArrayList<>();
    for (V1Step s : steps) {
      boolean isResponse = s.name().charAt(1) == 'R';
      if (isResponse == response) {
        out.addAll(shapes(s));
      }
    }
    return out;
  }

  static List<MessageShape> shapes(V1Step step) {
    switch (step) {
      case MI1:
      case MR1:
        return List.of(new MessageShape(step.name()).one(SA_V1).any(VID_V1));
      case MI2:
      case MR2:
        return List.of(new MessageShape(step.name()).one(KE_V1, NONCE_V1).any(NAT_D, CR_V1, VID_V1));
      case MI3:
      case MR3:
        return authenticated(step.name(), new PayloadType[] {ID_V1}, new PayloadType[] {CERT_V1, CR_V1, N_V1});
      case AI1:
        return List.of(new MessageShape("AI1").one(SA_V1, KE_V1, NONCE_V1, ID_V1).any(CR_V1, VID_V1));
      case AR1:
        return authenticated("AR1", new PayloadType[] {SA_V1, KE_V1, NONCE_V1, ID_V1},
            new PayloadType[] {CERT_V1, CR_V1, VID_V1, NAT_D, N_V1});
      case AI2:
        return authenticated("AI2", new PayloadType[0], new PayloadType[] {CERT_V1, NAT_D, N_V1, VID_V1});
      case QI1:
      case QR1:
        // RFC 2409 §5.5: HASH(1), SA, Ni [, KE] [, IDci, IDcr]; RFC 3947 §5.2: NAT-OA.
        return List.of(new MessageShape(step.name()).one(HASH, SA_V1, NONCE_V1).optional(KE_V1)
            .range(ID_V1, 0, 2).range(NAT_OA, 0, 2).any(N_V1)
            .when("Quick Mode carries both client IDs or neither", p -> count(p, ID_V1) != 1));
      case QI2:
        return List.of(new MessageShape("QI2").one(HASH));
      case TRANSACTION:
        // draft-ietf-ipsec-isakmp-mode-cfg-05 §3.2: HDR*, HASH, ATTR (exactly one of each)
        return List.of(new MessageShape("TRANSACTION").one(HASH, ATTRIBUTE_V1));
      case INFO:
      default:
        return List.of(new MessageShape("INFO").optional(HASH).any(N_V1, D_V1)
            .when("an Informational exchange carries a Notification or Delete",
                p -> count(p, N_V1) + count(p, D_V1) > 0));
    }
  }

  /** A message that ends the authentication: HASH or SIG, exactly one of them. */
  private static List<MessageShape> authenticated(String name, PayloadType[] required, PayloadType[] many) {
    return List.of(new MessageShape(name + " (HASH)").one(required).one(HASH).any(many),
        new MessageShape(name + " (SIG)").one(required).one(SIG).any(many));
  }

  private static int count(List<Payload> payloads, PayloadType t) {
    return (int) payloads.stream().filter(p -> p.payloadType() == t).count();
  }
}
