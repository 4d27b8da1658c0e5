package org.openswanj.conf;

/** {@code ikev2=}: never, permit (Openswan 2.6 default), propose ("yes"), insist ("always"). */
public enum Ikev2Policy {
  NEVER,
  PERMIT,
  PROPOSE,
  INSIST
}
