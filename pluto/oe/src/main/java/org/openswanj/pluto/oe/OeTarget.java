package org.openswanj.pluto.oe;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import org.xbill.DNS.Name;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TextParseException;

/** What is looked up: an address (at its reverse name) or an @FQDN ID (at that name). */
public sealed interface OeTarget {
  /** The name whose records describe the target. */
  Name queryName();

  /** An address, looked up at its reverse name (RFC 1035 §3.5 in-addr.arpa, RFC 3596 §2.5 ip6.arpa). */
  record Address(InetAddress address) implements OeTarget {
    @Override
    public Name queryName() {
      return ReverseMap.fromAddress(address);
    }

    @Override
    public String toString() {
      return InetAddresses.toAddrString(address);
    }
  }

  /** An FQDN ID ({@code @east.example.com}), looked up at that name. */
  record Fqdn(Name name) implements OeTarget {
    public Fqdn {
      if (!name.isAbsolute()) {
        throw new IllegalArgumentException("FQDN target must be absolute: " + name);
      }
    }

    @Override
    public Name queryName() {
      return name;
    }

    @Override
    public String toString() {
      return "@" + name.toString(true);
    }
  }

  /** An address literal, or an FQDN with or without the leading {@code @}. */
  static OeTarget parse(String text) throws OeRecordException {
    String t = text.strip();
    if (InetAddresses.isInetAddress(t)) {
      return new Address(InetAddresses.forString(t));
    }
    try {
      return new Fqdn(Name.fromString(t.startsWith("@") ? t.substring(1) : t, Name.root));
    } catch (TextParseException e) {
      throw new OeRecordException("\"" + text + "\" is neither an address nor a domain name: " + e.getMessage());
    }
  }
}
