package org.openswanj.kernel.klips;

import java.util.Collection;

/**
 * An immutable SPI → inbound SA table with open addressing on int keys: the inbound lookup boxes
 * nothing. Rebuilt (copy on write) whenever an inbound SA is added or deleted.
 */
final class SpiTable {
  private final int[] keys;
  private final SaState[] values;
  private final int mask;

  SpiTable(Collection<SaState> sas) {
    int cap = Integer.highestOneBit(Math.max(4, sas.size() * 2)) << 1;
    keys = new int[cap];
    values = new SaState[cap];
    mask = cap - 1;
    for (SaState s : sas) {
      int i = slot(s.id.spi());
      while (values[i] != null) {
        i = (i + 1) & mask;
      }
      keys[i] = s.id.spi();
      values[i] = s;
    }
  }

  private int slot(int spi) {
    return (spi * 0x9E3779B9) >>> 16 & mask;
  }

  SaState get(int spi) {
    for (int i = slot(spi); values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == spi) {
        return values[i];
      }
    }
    return null;
  }
}
