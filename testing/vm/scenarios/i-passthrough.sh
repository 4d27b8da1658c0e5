# i: a passthrough /32 inside a tunnelled /24 on netkey (Openswan's LAN exclusion): conn shunt tunnels
# 192.0.1.0/24 - 192.0.2.0/24, conn pass253 (type=passthrough, auto=route, on both plutos) exempts 192.0.2.253/32.
# Pings to 192.0.2.254 go through ESP (the SA's counters grow); pings to 192.0.2.253 are answered and the ESP
# counters stay as they were in both directions; the pass policies are more preferred than the tunnel's.
scenario_i_title="passthrough /32 inside a tunnelled /24: the /32 bypasses ESP, the /24 uses it"
PASS_IP=192.0.2.253

scenario_i() {
  on east ip addr add "$PASS_IP/32" dev lo || { fail "cannot add $PASS_IP on east"; return 1; }
  conns_add pass253 west east || return 1
  local h out
  for h in west east; do
    out=$(auto "$h" --route pass253 2>&1) || { printf '%s\n' "$out" | sed 's/^/    /'; fail "$h: auto --route pass253"; return 1; }
  done
  say "pass policy on west: $(on west ip xfrm policy list dir out | grep -A2 "dst $PASS_IP/32" | tr '\n\t' '  ')"
  conn_up west shunt || return 1
  check_spis shunt || return 1
  ping_across 3 0.2 || return 1
  local before after
  before="$(xfrm_counters west "$WH_OUT") / $(xfrm_counters west "$WH_IN")"
  out=$(on west ping -n -q -c 5 -i 0.2 -W 3 -I "$W_NET" "$PASS_IP" 2>&1)
  say "ping $PASS_IP: $(printf '%s\n' "$out" | grep 'packets transmitted')"
  printf '%s\n' "$out" | grep -q ' 5 received' || { fail "the passthrough host did not answer every ping"; return 1; }
  after="$(xfrm_counters west "$WH_OUT") / $(xfrm_counters west "$WH_IN")"
  say "west's ESP SA counters (out / in, bytes packets): before $before, after $after"
  [ "$before" = "$after" ] || { fail "pings to the passthrough /32 went through ESP"; return 1; }
  ping_across 3 0.2 || return 1
  after="$(xfrm_counters west "$WH_OUT") / $(xfrm_counters west "$WH_IN")"
  [ "$before" != "$after" ] || { fail "pings to the tunnelled /24 did not go through ESP"; return 1; }
  say "and the /24's pings did: $after"
  conn_down west shunt
  conns_delete pass253 west east
  [ -z "$(on west ip xfrm policy list | grep "$PASS_IP/32")" ] || { fail "the pass policy outlived auto --delete"; return 1; }
  on east ip addr del "$PASS_IP/32" dev lo
}
