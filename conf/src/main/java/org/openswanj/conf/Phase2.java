package org.openswanj.conf;

/** {@code phase2=} (alias {@code auth=}): the IPsec protocol of the Child SA. */
public enum Phase2 {
  ESP,
  AH
}
