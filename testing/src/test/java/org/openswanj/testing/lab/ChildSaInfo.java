package org.openswanj.testing.lab;

import static org.openswanj.testing.lab.SwanctlOutput.list;
import static org.openswanj.testing.lab.SwanctlOutput.num;
import static org.openswanj.testing.lab.SwanctlOutput.str;

import java.util.List;
import java.util.Map;

/**
 * A Child SA as charon lists it. SPIs are lower-case hex without {@code 0x}, as swanctl prints them;
 * {@code state} is e.g. {@code INSTALLED}, {@code REKEYED}; {@code integAlg} is empty for AEAD.
 */
public record ChildSaInfo(String name, long uniqueId, String state, String mode, String protocol, boolean encap,
    String spiIn, String spiOut, String encrAlg, int encrKeysize, String integAlg, long bytesIn, long bytesOut,
    long packetsIn, long packetsOut, List<String> localTs, List<String> remoteTs) {

  public ChildSaInfo {
    localTs = List.copyOf(localTs);
    remoteTs = List.copyOf(remoteTs);
  }

  static ChildSaInfo from(Map<String, Object> m) {
    return new ChildSaInfo(str(m, "name"), num(m, "uniqueid"), str(m, "state"), str(m, "mode"),
        str(m, "protocol"), str(m, "encap").equals("yes"), str(m, "spi-in"), str(m, "spi-out"),
        str(m, "encr-alg"), (int) num(m, "encr-keysize"), str(m, "integ-alg"), num(m, "bytes-in"),
        num(m, "bytes-out"), num(m, "packets-in"), num(m, "packets-out"), list(m, "local-ts"), list(m, "remote-ts"));
  }
}
