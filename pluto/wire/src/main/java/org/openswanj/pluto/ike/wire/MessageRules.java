package org.openswanj.pluto.ike.wire;

import static org.openswanj.pluto.ike.wire.PayloadType.*;

import java.util.List;
import java.util.Optional;

/**
 * Which payloads each message must / may carry, checked in one place before any handler runs (RFC 7296 §1.2-1.5,
 * §2.6, §2.16; RFC 2409 §5, §5.5, §5.7; RFC 3947). For IKEv2 exchanges other than IKE_SA_INIT the list checked is
 * the decrypted inner chain; {@link #checkOuter} checks the outer message of those.
 */
public final class MessageRules {
  private MessageRules() {}

  /** The IKEv1 messages, by RFC 2409 name. */
  public enum V1Step { MI1, MR1, MI2, MR2, MI3, MR3, AI1, AR1, AI2, QI1, QR1, QI2, INFO, TRANSACTION }

  /** Checks an IKEv2 message (inner payloads when encrypted) or, for IKEv1 exchanges, any step of that role. */
  public static void check(ExchangeType exchange, boolean response, List<Payload> payloads)
      throws InvalidSyntaxException {
    List<MessageShape> shapes = shapes(exchange, response);
    if (shapes.isEmpty()) {
      throw new InvalidSyntaxException("no message rules for exchange " + exchange);
    }
    check(exchange + (response ? " response" : " request"), shapes, payloads);
  }

  /**
   * Checks an RFC 6311 message ID synchronisation (§5.1): the one INFORMATIONAL that carries message ID zero on
   * an established IKE SA, request or response.
   */
  public static void checkMessageIdSync(boolean response, List<Payload> payloads) throws InvalidSyntaxException {
    check("IKEV2_MESSAGE_ID_SYNC " + (response ? "response" : "request"), V2Rules.messageIdSync(), payloads);
  }

  /** Checks one IKEv1 message. */
  public static void checkV1(V1Step step, List<Payload> payloads) throws InvalidSyntaxException {
    check(step.name(), V1Rules.shapes(step), payloads);
  }

  /** IKEv2 exchanges after IKE_SA_INIT carry exactly one SK or SKF payload (RFC 7296 §3.14, RFC 7383). */
  public static void checkOuter(IkeMessage outer) throws InvalidSyntaxException {
    ExchangeType x = outer.header().exchange();
    if (outer.header().majorVersion() != 2 || x == ExchangeType.IKE_SA_INIT) {
      return;
    }
    check(x + " outer message", List.of(new MessageShape("SK").one(SK), new MessageShape("SKF").one(SKF)),
        outer.payloads());
  }

  private static void check(String what, List<MessageShape> shapes, List<Payload> payloads)
      throws InvalidSyntaxException {
    String first = null;
    for (MessageShape s : shapes) {
      Optional<String> why = s.mismatch(payloads);
      if (why.isEmpty()) {
        return;
      }
      if (first == null) {
        first = why.get() + " (as " + s.name() + ")";
      }
    }
    throw new InvalidSyntaxException(what + ": " + first);
  }

  private static List<MessageShape> shapes(ExchangeType exchange, boolean response) {
    switch (exchange) {
      case IKE_SA_INIT:
        return response ? V2Rules.initResponse() : V2Rules.initRequest();
      case IKE_AUTH:
        return response ? V2Rules.authResponse() : V2Rules.authRequest();
      case CREATE_CHILD_SA:
        return V2Rules.createChild(response);
      case INFORMATIONAL:
        return V2Rules.informational();
      case IKE_INTERMEDIATE:
        return List.of(new MessageShape("IKE_INTERMEDIATE").any(NOTIFY, VENDOR_ID, KE));
      case IDENTITY_PROTECTION:
        return V1Rules.forRole(response, V1Step.MR1, V1Step.MR2, V1Step.MR3, V1Step.MI1, V1Step.MI2, V1Step.MI3);
      case AGGRESSIVE:
        return V1Rules.forRole(response, V1Step.AR1, V1Step.AI1, V1Step.AI2);
      case QUICK_MODE:
        return V1Rules.forRole(response, V1Step.QR1, V1Step.QI1, V1Step.QI2);
      case INFORMATIONAL_V1:
        return V1Rules.shapes(V1Step.INFO);
      case TRANSACTION:
        return V1Rules.shapes(V1Step.TRANSACTION);
      default:
        return List.of();
    }
  }

  /** True if any notify in the list is an error type, or one of the given status types. */
  static boolean hasErrorOr(List<Payload> payloads, NotifyType... status) {
    for (Payload p : payloads) {
      if (p instanceof NotifyPayload n) {
        if (n.isError()) {
          return true;
        }
        for (NotifyType s : status) {
          if (n.type() == s) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
