package org.openswanj.kernel.netkey;

import java.util.Locale;
import org.openswanj.kernel.Selector;

/**
 * One line per SA or policy, in the words of {@code ip xfrm state} / {@code ip xfrm policy}, for
 * {@code ipsec look}. Key material is never shown, only algorithm names.
 */
final class XfrmFormat {
  private XfrmFormat() {}

  static String mode(int m) {
    return switch (m) {
      case Xfrm.MODE_TRANSPORT -> "transport";
      case Xfrm.MODE_TUNNEL -> "tunnel";
      case 2 -> "ro";
      case 3 -> "in_trigger";
      case 4 -> "beet";
      default -> "mode " + m;
    };
  }

  static String proto(int p) {
    return switch (p) {
      case 50 -> "esp";
      case 51 -> "ah";
      case 108 -> "comp";
      default -> Integer.toString(p);
    };
  }

  static String selector(Selector s) {
    String out = "src " + s.src().getHostAddress() + "/" + s.srcPrefix() + " dst " + s.dst().getHostAddress() + "/"
        + s.dstPrefix();
    if (s.protocol() != 0) {
      out += " proto " + s.protocol();
      out += s.srcPort() != 0 ? " sport " + s.srcPort() : "";
      out += s.dstPort() != 0 ? " dport " + s.dstPort() : "";
    }
    return out;
  }

  static String state(XfrmParse.State s) {
    StringBuilder b = new StringBuilder();
    b.append("src ").append(s.id().src().getHostAddress()).append(" dst ").append(s.id().dst().getHostAddress())
        .append(" proto ").append(s.id().proto().name().toLowerCase(Locale.ROOT))
        .append(String.format(" spi 0x%08x", s.id().spi())).append(" reqid ").append(s.reqid() & 0xffffffffL)
        .append(" mode ").append(mode(s.mode()));
    for (Attr a : s.attrs()) {
      String kind = switch (a.type()) {
        case Xfrm.XFRMA_ALG_AEAD -> "aead";
        case Xfrm.XFRMA_ALG_CRYPT -> "enc";
        case Xfrm.XFRMA_ALG_AUTH_TRUNC -> "auth-trunc";
        case Xfrm.XFRMA_ENCAP -> "encap";
        default -> null;
      };
      if (kind != null && a.type() == Xfrm.XFRMA_ENCAP && a.bytes().length >= 6) {
        b.append(" encap espinudp ").append(XfrmParse.be16(a.buffer(), 2)).append(' ')
            .append(XfrmParse.be16(a.buffer(), 4));
      } else if (kind != null && a.bytes().length >= Xfrm.ALG_NAME_LEN) {
        b.append(' ').append(kind).append(' ').append(algName(a.bytes()));
      }
    }
    b.append(" sel ").append(selector(s.sel()));
    b.append(" bytes ").append(s.bytes()).append(" packets ").append(s.packets());
    return b.toString();
  }

  private static String algName(byte[] v) {
    int end = 0;
    while (end < Xfrm.ALG_NAME_LEN && v[end] != 0) {
      end++;
    }
    return new String(v, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
  }

  static String policy(XfrmParse.Policy p) {
    StringBuilder b = new StringBuilder(selector(p.sel()));
    b.append(" dir ").append(switch (p.dir()) {
      case Xfrm.POLICY_IN -> "in";
      case Xfrm.POLICY_OUT -> "out";
      case Xfrm.POLICY_FWD -> "fwd";
      default -> Integer.toString(p.dir());
    });
    b.append(" priority ").append(p.priority() & 0xffffffffL);
    b.append(p.action() == Xfrm.POLICY_BLOCK ? " action block" : " action allow");
    for (XfrmParse.Tmpl t : p.tmpls()) {
      b.append(" tmpl src ").append(t.src().getHostAddress()).append(" dst ").append(t.dst().getHostAddress())
          .append(" proto ").append(proto(t.proto())).append(" reqid ").append(t.reqid() & 0xffffffffL)
          .append(" mode ").append(mode(t.mode()));
    }
    return b.toString();
  }
}
