package org.openswanj.pluto.ikev1;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.openswanj.conf.Subnet;
import org.openswanj.pluto.conn.Connection;
import org.openswanj.pluto.engine.Outcome;
import org.openswanj.pluto.ike.wire.CfgAttribute;
import org.openswanj.pluto.ike.wire.DataAttribute;
import org.openswanj.pluto.ike.wire.InvalidSyntaxException;
import org.openswanj.pluto.ike.wire.UnitySplit;
import org.openswanj.pluto.ike.wire.V1AttributePayload;
import org.openswanj.pluto.ike.wire.V1VendorIdPayload;

/**
 * Cisco Unity's ModeConfig extensions, both sides. There is no RFC: the vendor ID and the private-use attribute
 * numbers (mode-cfg-05 §3.3 leaves 16384-32767 to private use) are those Cisco's clients and concentrators use,
 * as strongSwan's unity plugin, racoon and Openswan 2.6 know them.
 *
 * <p>Client ({@code remote_peer_type=cisco}, Openswan 2.6's meaning: the peer is a Cisco-style server): we send
 * the Unity vendor ID in Main/Aggressive Mode, ask for UNITY_BANNER, UNITY_SPLIT_INCLUDE and UNITY_DEF_DOMAIN in
 * our ModeConfig request; the banner goes to the log (one line, escaped), {@code whack --status} and updown's
 * {@code PLUTO_PEER_BANNER}; each split network becomes a Quick Mode from our ModeConfig address to it, unless the
 * conn names a {@code rightsubnet=} other than 0.0.0.0/0 (the admin's choice wins, and the list is only logged).
 *
 * <p>Server: when the client sent the Unity vendor ID (we answer it with ours, as a Cisco concentrator does), a
 * pushed SET carries UNITY_SPLIT_INCLUDE with the subnets of this conn and of the conns sharing its ISAKMP SA
 * ({@code leftsubnets=}'s instances) and UNITY_BANNER from {@code modecfgbanner=}; a REPLY carries them when the
 * client asked for them (mode-cfg-05 §3.2: a REPLY answers what was asked), vendor ID or not.
 */
final class Unity {
  private Unity() {}

  /** Cisco Unity 1.0: the first 14 bytes of MD5("CISCO-UNITY"), then major 1, minor 0. */
  private static final byte[] VID = {0x12, (byte) 0xf5, (byte) 0xf2, (byte) 0x8c, 0x45, 0x71, 0x68, (byte) 0xa9,
      0x70, 0x2d, (byte) 0x9f, (byte) 0xe2, 0x74, (byte) 0xcc, 0x01, 0x00};

  /** The longest banner kept (a TLV may hold 65535 bytes; a login banner is a few lines). */
  static final int MAX_BANNER = 4096;

  static V1VendorIdPayload vid() {
    return new V1VendorIdPayload(VID.clone());
  }

  static boolean sent(List<V1VendorIdPayload> vids) {
    return vids.stream().anyMatch(v -> Arrays.equals(v.data(), VID));
  }

  /** {@code remote_peer_type=cisco}: the peer is a Cisco-style ModeConfig server, we are its Unity client. */
  static boolean client(Connection c) {
    return "cisco".equalsIgnoreCase(c.config().keywords().getOrDefault("remote_peer_type", ""));
  }

  /** Our first phase 1 message's vendor IDs: the Unity one for a cisco peer. */
  static List<V1VendorIdPayload> initiatorVids(Connection c) {
    return client(c) ? List.of(vid()) : List.of();
  }

  /** The responder's answer: the Unity VID back when the client sent it and we serve ModeConfig to it. */
  static List<V1VendorIdPayload> responderVids(Connection c, List<V1VendorIdPayload> theirs) {
    return c != null && sent(theirs) && (XauthServer.modecfg(c) || XauthServer.xauth(c)) ? List.of(vid())
        : List.of();
  }

  /** What a Unity client adds to its ModeConfig REQUEST, values empty. */
  static List<DataAttribute> requested(Connection c) {
    if (!client(c)) {
      return List.of();
    }
    return List.of(CfgAttribute.UNITY_BANNER.tlv(new byte[0]), CfgAttribute.UNITY_SPLIT_INCLUDE.tlv(new byte[0]),
        CfgAttribute.UNITY_DEF_DOMAIN.tlv(new byte[0]));
  }

  // ---- client ----

  /**
   * The gateway's REPLY or SET: keeps the banner, default domain and split networks on {@code c} (for any conn;
   * used only by a cisco one) and logs each once. A malformed split list is one line and ignored: the tunnel then
   * goes to the conn's own rightsubnet, as without Unity. Other Unity attributes are accepted and not used.
   */
  static void take(IsakmpSa sa, CfgState c, V1AttributePayload attr) {
    attr.find(CfgAttribute.UNITY_BANNER).map(DataAttribute::variable).filter(b -> b.length > 0).ifPresent(b -> {
      c.banner = new String(b, 0, Math.min(b.length, MAX_BANNER), StandardCharsets.UTF_8);
      V1Log.sa(sa, Outcome.COMMENT, "ModeCfg: banner \"" + escape(c.banner) + "\"");
    });
    attr.find(CfgAttribute.UNITY_DEF_DOMAIN).map(DataAttribute::variable).filter(b -> b.length > 0).ifPresent(b -> {
      c.domain = new String(b, 0, Math.min(b.length, 255), StandardCharsets.UTF_8);
      V1Log.sa(sa, Outcome.COMMENT, "ModeCfg: default domain \"" + escape(c.domain) + "\"");
    });
    Set<Subnet> splits = new LinkedHashSet<>();
    for (DataAttribute a : attr.all(CfgAttribute.UNITY_SPLIT_INCLUDE)) {
      if (a.variable().length == 0) {
        continue; // an ACK's echo, or an empty list
      }
      try {
        for (UnitySplit.Network n : UnitySplit.decode(a.variable())) {
          splits.add(new Subnet(n.network(), n.prefix()));
        }
      } catch (InvalidSyntaxException ex) {
        V1Log.sa(sa, Outcome.LOG_SERIOUS, "ModeCfg: ignoring the gateway's split networks: " + ex.getMessage());
        splits.clear();
        break;
      }
    }
    if (!splits.isEmpty()) {
      c.splits = List.copyOf(splits);
      V1Log.sa(sa, Outcome.COMMENT, "ModeCfg: split networks " + join(c.splits)
          + (usesSplits(sa.conn) ? "" : " (not used: rightsubnet= names the peer's network)"));
    }
  }

  /**
   * Whether the Quick Modes go to the split networks: a cisco conn whose rightsubnet= is absent or 0.0.0.0/0
   * (charon's unity plugin narrows the same way); an explicit rightsubnet= is the admin's and wins.
   */
  static boolean usesSplits(Connection c) {
    List<Subnet> theirs = c.remote().subnets();
    return client(c) && (theirs.isEmpty() || theirs.stream().allMatch(s -> s.prefix() == 0));
  }

  /** The peer networks our Quick Modes go to on this ISAKMP SA; empty: the conn's own rightsubnet. */
  static List<Subnet> quickModeTargets(IsakmpSa sa) {
    CfgState c = sa.cfg;
    if (c == null || !c.client || c.splits.isEmpty() || !usesSplits(sa.conn)) {
      return List.of();
    }
    return c.splits;
  }

  /** Printable, one line, bounded: what the gateway says goes to logs and a shell variable's reader. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 512; i++) {
      char ch = s.charAt(i);
      if (ch == '\n') {
        b.append("\\n");
      } else if (ch == '\\' || ch == '"') {
        b.append('\\').append(ch);
      } else if (ch < 0x20 || ch == 0x7f) {
        b.append(String.format("\\x%02x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return b.length() >= 512 ? b + "..." : b.toString();
  }

  static String join(List<Subnet> l) {
    return String.join(",", l.stream().map(Subnet::toString).toList());
  }

  // ---- server ----

  /**
   * The Unity attributes a server has for this SA's client: the split networks (our IPv4 subnets on this conn and
   * the conns that share its ISAKMP SA, none when one of them is 0.0.0.0/0: everything goes into the tunnel) and
   * the banner. Empty for a REPLY-less push to a client that did not send the Unity vendor ID.
   */
  static List<DataAttribute> serverAttributes(Ikev1Engine e, IsakmpSa sa, boolean asked) {
    if (!asked && !sa.peerUnity) {
      return List.of();
    }
    List<DataAttribute> out = new ArrayList<>();
    List<UnitySplit.Network> nets = serverSplits(e, sa).stream()
        .map(s -> new UnitySplit.Network((Inet4Address) s.network(), s.prefix())).toList();
    if (!nets.isEmpty()) {
      out.add(CfgAttribute.UNITY_SPLIT_INCLUDE.tlv(UnitySplit.encode(nets)));
    }
    banner(sa.conn).ifPresent(b -> out.add(CfgAttribute.UNITY_BANNER.tlv(b.getBytes(StandardCharsets.UTF_8))));
    return out;
  }

  /**
   * A Unity client's Quick Mode names 0.0.0.0/0 as our side (charon's unity plugin does: it proposes the wildcard
   * and narrows to the split networks itself, unity_narrow.c); taken on the ISAKMP SA's conn when we gave it split
   * networks, with their policies only (see {@link QuickKeys#selectors}).
   */
  static boolean wideFromClient(Ikev1Engine e, IsakmpSa sa, Subnet ours) {
    return sa.peerUnity && ours.prefix() == 0 && ours.network() instanceof Inet4Address
        && sa.modecfgAddress().isPresent() && XauthServer.modecfg(sa.conn) && !serverSplits(e, sa).isEmpty();
  }

  /** The split networks we give this SA's client (see {@link #serverAttributes}); empty for "everything". */
  static List<Subnet> serverSplits(Ikev1Engine e, IsakmpSa sa) {
    Set<Subnet> seen = new LinkedHashSet<>();
    List<Connection> conns = new ArrayList<>(List.of(sa.conn));
    e.connections().stream().filter(c -> c != sa.conn && Ikev1Engine.samePeer(sa, c)).forEach(conns::add);
    for (Connection c : conns) {
      for (Subnet s : c.local().subnets()) {
        if (s.network() instanceof Inet4Address) {
          if (s.prefix() == 0) {
            return List.of();
          }
          seen.add(s);
        }
      }
    }
    return List.copyOf(seen);
  }

  /** {@code modecfgbanner=} for the peer's end, else ours (as modecfgdns). */
  static Optional<String> banner(Connection c) {
    return c.remote().modecfg().banner().or(() -> c.local().modecfg().banner());
  }
}
