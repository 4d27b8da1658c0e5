# e: auto=route: ipsec auto --route installs a %trap policy and no SA; the first ping raises an ACQUIRE,
# pluto negotiates, and the later pings are answered.
scenario_e_title="auto=route: the first packet triggers ACQUIRE and brings the tunnel up"
scenario_e() {
  auto west --route route >/dev/null 2>&1 || { fail "ipsec auto --route route failed"; return 1; }
  local pol; pol=$(on west ip xfrm policy list dir out | grep -A3 'src 192.0.1.0/24 dst 192.0.2.0/24')
  [ -n "$pol" ] || { fail "no outbound policy 192.0.1.0/24 -> 192.0.2.0/24 after --route"; return 1; }
  say "trap policy: $(printf '%s\n' "$pol" | tr '\n\t' '  ')"
  [ -z "$(esp_tunnel_sas west)" ] || { fail "an ESP SA exists before any packet"; return 1; }
  say "no ESP SA before the first packet"
  # netkey: no route is added (Openswan's _updown.netkey routes only with leftsourceip or ROUTE=yes); the
  # default route takes the first packet to the trap policy
  say "route: $(on west ip route get "$E_NET" from "$W_NET" | head -n 1)"
  local out; out=$(on west ping -n -c 12 -i 1 -W 3 -I "$W_NET" "$E_NET" 2>&1)
  say "ping: $(printf '%s\n' "$out" | grep 'packets transmitted')"
  local last; last=$(printf '%s\n' "$out" | sed -n 's/.*icmp_seq=\([0-9]*\) .*/\1/p' | tail -n 1)
  [ "${last:-0}" -eq 12 ] || { fail "the last pings were not answered (last reply: icmp_seq=${last:-none})"; return 1; }
  grep -h 'acquire' "$LABDIR/west/pluto.log" | head -n 1 | sed 's/^/    west log: /'
  grep -q 'acquire' "$LABDIR/west/pluto.log" || { fail "pluto logged no acquire"; return 1; }
  check_spis route || return 1
  conn_down west route
  auto west --unroute route >/dev/null 2>&1
}
