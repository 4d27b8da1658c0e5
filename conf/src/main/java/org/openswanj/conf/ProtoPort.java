package org.openswanj.conf;

/** {@code leftprotoport=}: IP protocol and port of the traffic selector (0 = any). */
public record ProtoPort(int protocol, int port) {
  public static final ProtoPort ANY = new ProtoPort(0, 0);
}
