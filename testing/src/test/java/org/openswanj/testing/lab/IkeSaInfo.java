package org.openswanj.testing.lab;

import static org.openswanj.testing.lab.SwanctlOutput.num;
import static org.openswanj.testing.lab.SwanctlOutput.section;
import static org.openswanj.testing.lab.SwanctlOutput.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An IKE SA as charon lists it ({@code swanctl --list-sas}). SPIs are 16 lower-case hex digits as swanctl
 * prints them; {@code state} is e.g. {@code ESTABLISHED}, {@code CONNECTING}, {@code REKEYED}.
 */
public record IkeSaInfo(String name, long uniqueId, String state, int version, String localHost,
    String remoteHost, String localId, String remoteId, boolean initiator, String initiatorSpi,
    String responderSpi, String encrAlg, int encrKeysize, String integAlg, String prfAlg, String dhGroup,
    List<ChildSaInfo> children, int localPort, int remotePort, boolean natLocal, boolean natRemote) {

  public IkeSaInfo {
    children = List.copyOf(children);
  }

  /** This side's IKE SPI (the initiator's if this side initiated). */
  public String localSpi() {
    return initiator ? initiatorSpi : responderSpi;
  }

  public String remoteSpi() {
    return initiator ? responderSpi : initiatorSpi;
  }

  /**
   * The child named {@code name}: the INSTALLED one if there is one (after a rekey the old one lingers as
   * REKEYED or DELETED), else the newest; fails with the children listed if there is none.
   */
  public ChildSaInfo child(String name) {
    List<ChildSaInfo> named = children.stream().filter(c -> c.name().equals(name)).toList();
    return named.stream().filter(c -> c.state().equals("INSTALLED")).findFirst()
        .or(() -> named.stream().max(java.util.Comparator.comparingLong(ChildSaInfo::uniqueId)))
        .orElseThrow(() -> new LabException("IKE SA " + this.name + " has no child '" + name + "' (children: "
            + children + ")"));
  }

  /** The IKE SAs in swanctl's {@code --list-sas --pretty} output. */
  public static List<IkeSaInfo> parseList(String prettyOutput) {
    List<IkeSaInfo> out = new ArrayList<>();
    for (SwanctlOutput.Section s : SwanctlOutput.parse(prettyOutput)) {
      if (s.name().equals("list-sa event")) {
        s.body().forEach((name, body) -> {
          if (body instanceof Map<?, ?>) {
            out.add(from(name, section(s.body(), name)));
          }
        });
      }
    }
    return out;
  }

  private static IkeSaInfo from(String name, Map<String, Object> m) {
    List<ChildSaInfo> children = new ArrayList<>();
    section(m, "child-sas").values().forEach(c -> {
      if (c instanceof Map<?, ?>) {
        @SuppressWarnings("unchecked")
        Map<String, Object> cm = (Map<String, Object>) c;
        children.add(ChildSaInfo.from(cm));
      }
    });
    return new IkeSaInfo(name, num(m, "uniqueid"), str(m, "state"), (int) num(m, "version"),
        str(m, "local-host"), str(m, "remote-host"), str(m, "local-id"), str(m, "remote-id"),
        str(m, "initiator").equals("yes"), str(m, "initiator-spi"), str(m, "responder-spi"),
        str(m, "encr-alg"), (int) num(m, "encr-keysize"), str(m, "integ-alg"), str(m, "prf-alg"),
        str(m, "dh-group"), children, (int) num(m, "local-port"), (int) num(m, "remote-port"),
        str(m, "nat-local").equals("yes"), str(m, "nat-remote").equals("yes"));
  }
}
