package org.openswanj.pluto.ike.wire;

import java.util.List;

/** IKEv2 Traffic Selector payload TSi/TSr (RFC 7296 §3.13). */
public record TsPayload(boolean responder, List<TrafficSelector> selectors) implements Payload {
  public TsPayload {
    selectors = List.copyOf(selectors);
  }

  @Override
  public PayloadType payloadType() {
    return responder ? PayloadType.TSR : PayloadType.TSI;
  }
}
