package org.openswanj.pluto.ike.wire;

import java.util.List;
import java.util.Optional;

/** A decoded message: header and payloads in wire order. */
public record IkeMessage(IkeHeader header, List<Payload> payloads) {

  public IkeMessage {
    payloads = List.copyOf(payloads);
  }

  /** The first payload of a class. */
  public <T extends Payload> Optional<T> first(Class<T> c) {
    return payloads.stream().filter(c::isInstance).map(c::cast).findFirst();
  }

  /** All payloads of a class, in order. */
  public <T extends Payload> List<T> all(Class<T> c) {
    return payloads.stream().filter(c::isInstance).map(c::cast).toList();
  }

  /** The IKEv2 notifies, in order. */
  public List<NotifyPayload> notifies() {
    return all(NotifyPayload.class);
  }

  /** The first IKEv2 notify of a type. */
  public Optional<NotifyPayload> notify(NotifyType t) {
    return notifies().stream().filter(n -> n.type() == t).findFirst();
  }

  /** The first IKEv1 notify of a type (IKEv1 meanings, RFC 2408 §3.14.1). */
  public Optional<V1NotifyPayload> notifyV1(NotifyType t) {
    return all(V1NotifyPayload.class).stream().filter(n -> n.type() == t).findFirst();
  }
}
