package org.openswanj.cluster.state;

import java.util.Objects;
import org.openswanj.kernel.SecretKey;

/** Both directions' ESP keys (RFC 7296 §2.17); integrity keys are empty for AEAD. No key bytes in toString. */
public record ChildKeys(SecretKey inboundEnc, SecretKey inboundInteg, SecretKey outboundEnc,
    SecretKey outboundInteg) {
  public ChildKeys {
    Objects.requireNonNull(inboundEnc, "inboundEnc");
    Objects.requireNonNull(inboundInteg, "inboundInteg");
    Objects.requireNonNull(outboundEnc, "outboundEnc");
    Objects.requireNonNull(outboundInteg, "outboundInteg");
  }

  public void wipe() {
    for (SecretKey k : new SecretKey[] {inboundEnc, inboundInteg, outboundEnc, outboundInteg}) {
      k.wipe();
    }
  }
}
