# l: west behind a NAT whose mapping changes under a live tunnel (the NAT rebooted or timed the flow out). The NAPT
# is netfilter SNAT on west's own egress (the lab's plutos stay as they are; a NAT namespace in between would
# cost two more pluto starts in the emulated guest): IKE from 500 leaves as $W_IP:40500, NAT-T (IKE and
# ESP-in-UDP) from 4500 as $W_IP:$L_PORT1; NAT-D makes both plutos see it. Then the rule moves 4500 to $L_PORT2
# and west's conntrack is flushed: west's next ESP reaches east from the new port, east's kernel reports the
# mapping (XFRM_MSG_MAPPING) and east's pluto, not behind the NAT, moves its SAs there (RFC 7296 §2.23) with
# XFRM_MSG_UPDSA. Pass: east's ip xfrm state shows the new encap ports on the same SPIs, and pings cross again.
scenario_l_title="NAT rebinding: east follows west's new mapping (UDP encap ports updated in place)"
L_PORT1=40000
L_PORT2=40001

nat_west() { on west iptables -w -t nat "$@"; }

# west's egress NAPT: udp 500 -> 40500, udp 4500 -> PORT
nat_west_map() { # port
  nat_west -F POSTROUTING \
    && nat_west -A POSTROUTING -o eth0 -p udp --sport 500 -j SNAT --to-source "$W_IP:40500" \
    && nat_west -A POSTROUTING -o eth0 -p udp --sport 4500 -j SNAT --to-source "$W_IP:$1"
}

# deletes every conntrack entry of HOST's namespace: ctnetlink IPCTNL_MSG_CT_DELETE without a tuple
# (the conntrack tool may be missing)
conntrack_flush() { # host
  on "$1" "$PY" -c '
import socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)   # NETLINK_NETFILTER
s.settimeout(5)
nfgen = struct.pack("BBH", socket.AF_INET, 0, 0)             # nfgenmsg: family, version, res_id
s.send(struct.pack("=IHHII", 16 + len(nfgen), (1 << 8) | 2, 1 | 4, 1, 0) + nfgen)  # CTNETLINK, CT_DELETE; REQUEST|ACK
err = struct.unpack_from("=i", s.recv(4096), 16)[0]
raise SystemExit("conntrack flush: errno %d" % -err if err else 0)'
}

# "SPORT DPORT" of the UDP encapsulation of the ESP SA with SPI in HOST's kernel (ip xfrm state)
encap_of() { # host spi
  on "$1" ip xfrm state list proto esp | "$PY" -c '
import re, sys
spi, text = sys.argv[1], sys.stdin.read()
for block in re.split(r"\n(?=src )", text):
    if re.search(r"spi %s\b" % spi, block):
        m = re.search(r"encap type espinudp sport (\d+) dport (\d+)", block)
        print(m.group(1), m.group(2)) if m else print("none")
        sys.exit(0)
print("gone")' "$2"
}

scenario_l() {
  modprobe -a -q nf_conntrack_netlink iptable_nat nft_chain_nat xt_nat 2>/dev/null
  nat_west_map "$L_PORT1" || { fail "cannot set up SNAT in west (iptables -t nat)"; return 1; }
  conntrack_flush west || { fail "cannot flush west's conntrack table"; nat_west -F POSTROUTING; return 1; }
  natmove_run; local r=$?
  nat_west -F POSTROUTING; conntrack_flush west
  return $r
}

natmove_run() {
  conn_up west natmove || return 1
  check_spis natmove || return 1
  local spis="$WH_IN $WH_OUT" out in t i line
  out=$(encap_of east "$WH_IN"); in=$(encap_of east "$WH_OUT")
  say "east ip xfrm state: SA $WH_IN to west encap sport/dport $out, SA $WH_OUT from west $in"
  [ "$out" = "4500 $L_PORT1" ] && [ "$in" = "$L_PORT1 4500" ] \
    || { fail "east's SAs do not use the NAT's mapping $W_IP:$L_PORT1"; return 1; }
  ping_across 5 0.2 || return 1
  nat_west_map "$L_PORT2" && conntrack_flush west || { fail "cannot change west's SNAT mapping"; return 1; }
  say "west's NAT now maps udp 4500 to $L_PORT2 (conntrack flushed)"
  t=$(ms)
  for i in $(seq 1 30); do   # west's ESP from the new port makes east's kernel report the mapping
    on west ping -n -q -c 1 -W 1 -I "$W_NET" "$E_NET" >/dev/null 2>&1
    [ "$(encap_of east "$WH_IN")" = "4500 $L_PORT2" ] && break
  done
  out=$(encap_of east "$WH_IN"); in=$(encap_of east "$WH_OUT")
  say "east ip xfrm state $(( $(ms) - t )) ms after the rebinding: SA $WH_IN encap $out, SA $WH_OUT encap $in"
  line=$(grep "NAT-T" "$LABDIR/east/pluto.log" | tail -n 2 | tr '\n' ' ')
  say "east's pluto: ${line:-no NAT-T line}"
  [ "$out" = "4500 $L_PORT2" ] && [ "$in" = "$L_PORT2 4500" ] \
    || { fail "east did not move its SAs to $W_IP:$L_PORT2"; return 1; }
  say "the SAs with SPIs $spis moved in place (keys and sequence numbers kept, no rekey)"
  ping_across 10 0.2 || return 1
  conn_down west natmove
}
