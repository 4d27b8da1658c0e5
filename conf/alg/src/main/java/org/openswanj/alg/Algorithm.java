package org.openswanj.alg;

/** What every algorithm descriptor offers, whatever its transform type. */
public interface Algorithm {
  /** Openswan's names and the config names. */
  Names names();

  /** True if anything here implements it; a parsed but unimplemented algorithm is refused before use. */
  boolean implemented();

  /** The canonical config name (the first one). */
  default String configName() {
    return names().config().get(0);
  }
}
