package org.openswanj.pluto.oe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.net.InetAddresses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openswanj.conf.Diagnostic;
import org.openswanj.conf.policy.PolicyGroupName;
import org.openswanj.conf.policy.PolicyGroups;
import org.openswanj.conf.policy.PolicyGroupsLoader;
import org.openswanj.kernel.PolicyAction;

class OePolicyTableTest {
  /** The group files as an admin writes them (conf's loader reads them as Openswan does). */
  private static final String PRIVATE = "192.0.2.0/24\n10.1.0.0/16\n198.51.100.0/24\n2001:db8:2::/48\n";
  private static final String PRIVATE_OR_CLEAR = "10.0.0.0/8\n0.0.0.0/0\n";
  private static final String CLEAR_OR_PRIVATE = "172.16.0.0/12\n";
  private static final String CLEAR = "192.0.2.7\n198.51.100.0/24\n10.1.2.0/24\n2001:db8:2::7\n";
  private static final String BLOCK = "192.0.2.8/32\n198.51.100.0/24\n";
  private static final List<String> OURS = List.of("10.1.2.3", "192.0.2.254", "2001:db8:2::1");

  private static OePolicyTable table() {
    List<Diagnostic> d = new ArrayList<>();
    Path dir = Path.of("policies");
    PolicyGroups g = new PolicyGroups(java.util.Map.of(
        PolicyGroupName.PRIVATE, PolicyGroupsLoader.parse(PRIVATE, dir.resolve("private"), d),
        PolicyGroupName.PRIVATE_OR_CLEAR, PolicyGroupsLoader.parse(PRIVATE_OR_CLEAR, dir.resolve("private-or-clear"), d),
        PolicyGroupName.CLEAR_OR_PRIVATE, PolicyGroupsLoader.parse(CLEAR_OR_PRIVATE, dir.resolve("clear-or-private"), d),
        PolicyGroupName.CLEAR, PolicyGroupsLoader.parse(CLEAR, dir.resolve("clear"), d),
        PolicyGroupName.BLOCK, PolicyGroupsLoader.parse(BLOCK, dir.resolve("block"), d)));
    assertEquals(List.of(), d);
    return OePolicyTable.of(g, OURS.stream().map(InetAddresses::forString).toList());
  }

  static Stream<Arguments> decisions() {
    return Stream.of(
        // destination, group, matched subnet, route shunt, failure shunt, role
        Arguments.of("192.0.2.9", "private", "192.0.2.0/24", "TRAP", "DROP", "INITIATE"),
        Arguments.of("192.0.2.7", "clear", "192.0.2.7/32", "PASS", "PASS", "NEVER"), // clear /32 inside private /24
        Arguments.of("192.0.2.8", "block", "192.0.2.8/32", "REJECT", "REJECT", "NEVER"),
        Arguments.of("10.9.9.9", "private-or-clear", "10.0.0.0/8", "TRAP", "PASS", "INITIATE"),
        Arguments.of("10.1.9.9", "private", "10.1.0.0/16", "TRAP", "DROP", "INITIATE"), // /16 beats the /8
        Arguments.of("10.1.2.9", "clear", "10.1.2.0/24", "PASS", "PASS", "NEVER"),
        Arguments.of("172.20.0.1", "clear-or-private", "172.16.0.0/12", "PASS", "PASS", "RESPOND_ONLY"),
        Arguments.of("203.0.113.1", "private-or-clear", "0.0.0.0/0", "TRAP", "PASS", "INITIATE"),
        // the same /24 in block, private and clear: Openswan reads block first, so block applies
        Arguments.of("198.51.100.5", "block", "198.51.100.0/24", "REJECT", "REJECT", "NEVER"),
        // our own addresses are never OE, whatever group covers them
        Arguments.of("10.1.2.3", "clear", "10.1.2.3/32", "PASS", "PASS", "NEVER"),
        Arguments.of("192.0.2.254", "private", "192.0.2.254/32", "PASS", "PASS", "NEVER"),
        Arguments.of("2001:db8:2::5", "private", "2001:db8:2::/48", "TRAP", "DROP", "INITIATE"),
        Arguments.of("2001:db8:2::7", "clear", "2001:db8:2::7/128", "PASS", "PASS", "NEVER"),
        Arguments.of("2001:db8:2::1", "private", "2001:db8:2::1/128", "PASS", "PASS", "NEVER"));
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @MethodSource("decisions")
  void mostSpecificGroupDecides(String dst, String group, String subnet, String route, String failure, String role) {
    OeDecision d = table().decide(InetAddresses.forString(dst)).orElseThrow();
    assertEquals(group, d.group().fileName());
    assertEquals(subnet, d.subnet().toString());
    assertEquals(PolicyAction.valueOf(route), d.route());
    assertEquals(PolicyAction.valueOf(failure), d.failure());
    assertEquals(OeRole.valueOf(role), d.role());
  }

  @Test
  void addressesNoGroupCoversAreLeftAlone() {
    assertEquals(Optional.empty(), table().decide(InetAddresses.forString("2001:db8:9::1")));
  }

  @Test
  void aSubnetInSeveralGroupsIsReportedOncePerLoser() {
    assertEquals(List.of(
        "policies/private: subnet 198.51.100.0/24 is already in \"block\"; block applies",
        "policies/clear: subnet 198.51.100.0/24 is already in \"block\"; block applies"), table().conflicts());
  }

  @Test
  void entriesListOurExemptionsFirstThenEveryGroupSubnet() {
    List<String> e = table().entries().stream().map(d -> d.instanceName() + " " + d.route()).toList();
    assertEquals(List.of("clear#10.1.2.3/32 PASS", "private#192.0.2.254/32 PASS", "private#2001:db8:2::1/128 PASS"),
        e.subList(0, 3));
    assertEquals(3 + 11, e.size()); // 13 subnets in the files, 2 of them duplicates of block's
  }
}
