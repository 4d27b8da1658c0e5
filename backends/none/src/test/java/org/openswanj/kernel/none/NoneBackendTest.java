package org.openswanj.kernel.none;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.openswanj.alg.Encryption;
import org.openswanj.kernel.Direction;
import org.openswanj.kernel.Encapsulation;
import org.openswanj.kernel.IpsecMode;
import org.openswanj.kernel.IpsecProto;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.Lifetime;
import org.openswanj.kernel.PolicyAction;
import org.openswanj.kernel.PolicyDirection;
import org.openswanj.kernel.PolicyId;
import org.openswanj.kernel.PolicySpec;
import org.openswanj.kernel.Replay;
import org.openswanj.kernel.SaBinding;
import org.openswanj.kernel.SaEndpoints;
import org.openswanj.kernel.SaId;
import org.openswanj.kernel.SaSpec;
import org.openswanj.kernel.SaTransform;
import org.openswanj.kernel.SecretKey;
import org.openswanj.kernel.Selector;

class NoneBackendTest {
  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void recordsSasAndPoliciesAndRefusesDuplicates() throws Exception {
    NoneBackend b = new NoneBackend(0x2000);
    int spi = b.allocateSpi(new SaEndpoints(ip("192.0.2.2"), ip("192.0.2.1")), IpsecProto.ESP);
    assertEquals(0x2000, spi);
    Selector sel = Selector.of(ip("10.1.0.0"), 24, ip("10.2.0.0"), 24);
    SaId id = new SaId(ip("192.0.2.2"), ip("192.0.2.1"), spi, IpsecProto.ESP);
    SaSpec spec = new SaSpec(Direction.INBOUND, SaTransform.aead(Encryption.AES_GCM_16, new SecretKey(new byte[20])),
        new Encapsulation(IpsecMode.TUNNEL, null), new Replay(32, false), new SaBinding("west-east", 1, sel.reversed()),
        Lifetime.NONE);
    b.addSa(id, spec);
    KernelException dup = assertThrows(KernelException.class, () -> b.addSa(id, spec));
    assertTrue(dup.getMessage().contains("already exists"), dup.getMessage());
    b.addPolicy(new PolicyId(sel, PolicyDirection.OUT), PolicySpec.shunt(PolicyAction.TRAP, "west-east"));
    assertEquals(2, b.describe().size());
    assertTrue(b.describe().get(0).contains("0x00002000"), b.describe().get(0));
    assertTrue(b.describe().get(0).contains("rfc4106(gcm(aes))"));
    b.deleteSa(id);
    assertThrows(KernelException.class, () -> b.deleteSa(id));
    b.flush();
    assertTrue(b.describe().isEmpty());
  }

  @Test
  void keyMaterialNeverPrinted() {
    SecretKey k = new SecretKey(new byte[] {1, 2, 3});
    assertEquals("[3 key bytes]", k.toString());
  }
}
