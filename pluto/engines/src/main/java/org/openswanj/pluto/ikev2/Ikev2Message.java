package org.openswanj.pluto.ikev2;

import java.util.List;
import java.util.Optional;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.ike.wire.Payload;

/** A received IKEv2 message: header, payloads (the SK contents once decrypted) and the bytes as received. */
public record Ikev2Message(IkeHeader header, List<Payload> payloads, byte[] raw) {
  public IkeMessage asMessage() {
    return new IkeMessage(header, payloads);
  }

  public <T extends Payload> Optional<T> first(Class<T> c) {
    return asMessage().first(c);
  }

  public <T extends Payload> List<T> all(Class<T> c) {
    return asMessage().all(c);
  }

  public Optional<NotifyPayload> notify(NotifyType t) {
    return asMessage().notify(t);
  }

  /** The first error notify (RFC 7296 §3.10.1: types below 16384), if any. */
  public Optional<NotifyPayload> error() {
    return asMessage().notifies().stream().filter(NotifyPayload::isError).findFirst();
  }
}
