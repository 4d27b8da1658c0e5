package org.openswanj.pluto.daemon;

import org.openswanj.conf.Protostack;
import org.openswanj.conf.SetupConfig;
import org.openswanj.kernel.KernelBackend;
import org.openswanj.kernel.KernelException;
import org.openswanj.kernel.klips.KlipsBackend;
import org.openswanj.kernel.klips.KlipsConfig;
import org.openswanj.kernel.netkey.NetkeyBackend;
import org.openswanj.kernel.none.NoneBackend;

/**
 * The one place that names the concrete kernel backends: {@code protostack=} (or {@code --use-*}) picks one,
 * and the rest of pluto sees only the {@link KernelBackend} SPI.
 */
public final class BackendFactory {
  private BackendFactory() {}

  /** Opens the backend for {@code stack}; {@code setup} (may be null) gives KLIPS its interfaces and MTU. */
  public static KernelBackend open(Protostack stack, SetupConfig setup) throws KernelException {
    return switch (stack) {
      case NONE -> new NoneBackend();
      case KLIPS -> KlipsBackend.open(klipsConfig(setup));
      case NETKEY -> new NetkeyBackend();
      // protostack=auto: netkey when the kernel offers XFRM, else klips
      default -> NetkeyBackend.available() ? new NetkeyBackend() : KlipsBackend.open(KlipsConfig.parse(""));
    };
  }

  /** Openswan's {@code interfaces="ipsec0=eth0"} and {@code overridemtu=}. */
  private static KlipsConfig klipsConfig(SetupConfig setup) throws KernelException {
    KlipsConfig kc = KlipsConfig.parse(setup == null ? "" : String.join(" ", setup.interfaces()));
    if (setup != null && setup.overrideMtu().isPresent()) {
      kc = new KlipsConfig(kc.interfaces(), setup.overrideMtu().get(), kc.workers(), kc.natKeepalive());
    }
    return kc;
  }
}
