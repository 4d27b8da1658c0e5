package org.openswanj.kernel.netkey;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.Selector;

class OwnershipAndErrorsTest {
  @Test
  void moreSpecificSelectorGetsTheLowerPriority() throws Exception {
    Selector host = Selector.of(InetAddress.getByName("10.1.0.1"), 32, InetAddress.getByName("10.2.0.1"), 32);
    Selector net = Selector.of(InetAddress.getByName("10.1.0.0"), 16, InetAddress.getByName("10.2.0.0"), 16);
    PolicySpec spec = PolicySpec.shunt(PolicyAction.PASS, "x");
    int h = Ownership.kernelPriority(spec, host, "t");
    int n = Ownership.kernelPriority(spec, net, "t");
    assertTrue(Integer.compareUnsigned(h, n) < 0, "XFRM: the lower value wins, so /32 must be lower than /16");
    assertTrue(Ownership.isOurPriority(h) && Ownership.isOurPriority(n));
    assertFalse(Ownership.isOurPriority(0), "ip xfrm's default priority is not ours");
  }

  @Test
  void reqidTagRoundTripsAndLimits() throws Exception {
    int k = Ownership.kernelReqid(16389, "t");
    assertTrue(Ownership.isOurReqid(k));
    assertEquals(16389, Ownership.plutoReqid(k));
    assertEquals(77, Ownership.plutoReqid(77), "a foreign reqid passes unchanged");
    KernelException e = assertThrows(KernelException.class, () -> Ownership.kernelReqid(70000, "cannot add SA x"));
    assertTrue(e.getMessage().contains("reqid 70000 is outside 0..65535"), e.getMessage());
  }

  @Test
  void errorsSayWhatWasAskedAndWhy() throws Exception {
    SaId id = new SaId(InetAddress.getByName("192.0.2.2"), InetAddress.getByName("192.0.2.1"), 0xabc, IpsecProto.ESP);
    var spec = XfrmCodecTest.gcmSpec(Selector.of(id.src(), 32, id.dst(), 32), 0, false);
    KernelException noEsp = XfrmErrors.saInstall("add", id,
        spec, new NetlinkException("EPROTONOSUPPORT", 93, "Requested type not found"));
    assertEquals("cannot add SA esp:0x00000abc 192.0.2.2→192.0.2.1: the kernel has no ESP transform "
        + "(EPROTONOSUPPORT): load the esp4/esp6 module; the kernel says: Requested type not found", noEsp.getMessage());
    assertEquals(93, noEsp.errno());
    KernelException noAlg = XfrmErrors.saInstall("add", id, spec, new NetlinkException("ENOSYS", 38, null));
    assertTrue(noAlg.getMessage().endsWith("algorithm not supported by the kernel: rfc4106(gcm(aes)) (ENOSYS)"),
        noAlg.getMessage());
    KernelException gone = XfrmErrors.refused("cannot delete SA x", "SA", new NetlinkException("ESRCH", 3, null));
    assertEquals("cannot delete SA x: no such SA (ESRCH)", gone.getMessage());
    KernelException dup = XfrmErrors.refused("cannot add pass policy y", "policy", new NetlinkException("EEXIST", 17, null));
    assertEquals("cannot add pass policy y: the policy already exists (EEXIST)", dup.getMessage());
    KernelException other = XfrmErrors.refused("cannot z", "SA", new NetlinkException("EINVAL", 22, null));
    assertEquals("cannot z: invalid argument (EINVAL)", other.getMessage());
  }
}
