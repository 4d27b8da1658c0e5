package org.openswanj.conf;

/**
 * The conns {@code oe=yes} adds (ipsec.conf(5) "IMPLICIT CONNS", Openswan 2.6), as ipsec.conf text so
 * they go through the same parser. They are not affected by {@code conn %default}; a user conn of the same
 * name replaces one. packetdefault's "left=0.0.0.0/0" in the man page is its leftsubnet.
 */
final class ImplicitConns {
  private ImplicitConns() {}

  static final String TEXT = """
      conn clear
      \ttype=passthrough
      \tauthby=never
      \tleft=%defaultroute
      \tright=%group
      \tauto=route

      conn clear-or-private
      \ttype=passthrough
      \tleft=%defaultroute
      \tleftid=%myid
      \tright=%opportunisticgroup
      \tfailureshunt=passthrough
      \tkeyingtries=3
      \tikelifetime=1h
      \tsalifetime=1h
      \trekey=no
      \tauto=route

      conn private-or-clear
      \ttype=tunnel
      \tleft=%defaultroute
      \tleftid=%myid
      \tright=%opportunisticgroup
      \tfailureshunt=passthrough
      \tkeyingtries=3
      \tikelifetime=1h
      \tsalifetime=1h
      \trekey=no
      \tauto=route

      conn private
      \ttype=tunnel
      \tleft=%defaultroute
      \tleftid=%myid
      \tright=%opportunisticgroup
      \tfailureshunt=drop
      \tkeyingtries=3
      \tikelifetime=1h
      \tsalifetime=1h
      \trekey=no
      \tauto=route

      conn block
      \ttype=reject
      \tauthby=never
      \tleft=%defaultroute
      \tright=%group
      \tauto=route

      conn packetdefault
      \ttype=tunnel
      \tleft=%defaultroute
      \tleftid=%myid
      \tleftsubnet=0.0.0.0/0
      \tright=%opportunistic
      \tfailureshunt=passthrough
      \tkeyingtries=3
      \tikelifetime=1h
      \tsalifetime=1h
      \trekey=no
      \tauto=route
      """;
}
