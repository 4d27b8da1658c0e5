# j: opportunistic encryption on netkey (issue 9), with no conn written for any pair. An OE lab of its own
# (testing/oe/oe-up: west .45, east .23, north .33 and nic .254 on one LAN, each namespace resolving through nic):
# the host keys (ipsec newhostkey --bits 2048) and nic's zones with their IPSECKEY records (ipsec showhostkey
# --ipseckey) are made on the host before the guest boots (testing/oe/nic-zones --dir, NETKEY_LAB_OE), nic's
# BIND 9 serves them (nic-start), west's and east's plutos run protostack=netkey with oe=yes and the policy
# groups private-or-clear 192.1.2.0/24 and clear 192.1.2.254/32 (nic). West pings east: the first packet's
# ACQUIRE, east's key from DNS, IKEv2 with RSA; ESP SAs in both kernels with pluto's SPIs, counters growing.
# Then north (no key) under private-or-clear: reached in the clear through a %pass shunt in west's kernel.
scenario_j_title="opportunistic encryption on netkey: a ping to east with no conn, keys from DNS (BIND 9)"
OE_ZONES_DIR=${NETKEY_LAB_OE:-}
OE_NAME=${LAB}oe

oe_pluto() { # host: ipsec.conf with oe=yes and no conn, the policy groups, pluto started (not waited for)
  local h=$1 d=$LABDIR/$1
  mkdir -p "$d/ipsec.d"/{policies,certs,cacerts,private,crls}
  printf 'config setup\n\tprotostack=netkey\n\toe=yes\n' > "$d/ipsec.conf"
  printf '# netkey-lab j\n192.1.2.0/24\n' > "$d/ipsec.d/policies/private-or-clear"
  printf '# netkey-lab j: nic, the resolver\n192.1.2.254/32\n' > "$d/ipsec.d/policies/clear"
  date +%s%3N > "$d/pluto-start.ms"
  ip netns exec "$LAB-$h" "$IPSEC_TOP/bin/ipsec" pluto --nofork --stderrlog --ctlbase "$d/pluto" \
    --config "$d/ipsec.conf" --secretsfile "$d/ipsec.secrets" --ipsecdir "$d/ipsec.d" --use-netkey \
    > "$d/pluto.log" 2>&1 < /dev/null &
  echo $! > "$d/pluto-lab.pid"    # oe-down stops what the pid files in the host directories name
}

scenario_j() {
  [ -n "$OE_ZONES_DIR" ] && [ -d "$OE_ZONES_DIR/nic/zones" ] \
    || { fail "no OE zones (netkey-lab makes them on the host with testing/oe/nic-zones --dir)"; return 1; }
  local oe=$TOP/testing/oe rc=0
  "$oe/oe-down" --name "$OE_NAME" >/dev/null 2>&1
  "$oe/oe-up" --name "$OE_NAME" west east north >/dev/null || { fail "testing/oe/oe-up"; return 1; }
  # the functions of lib.sh (on, whack, child_spis, xfrm_*) work on the OE lab's namespaces and directories
  local LAB=$OE_NAME LABDIR=/run/oj-lab/$OE_NAME
  cp -a "$OE_ZONES_DIR"/. "$LABDIR"/ || { fail "cannot copy $OE_ZONES_DIR"; rc=1; }
  [ $rc = 0 ] && { scenario_j_run || rc=1; }
  if [ $rc != 0 ]; then
    for h in west east; do echo "  -- end of $h's OE pluto.log"; tail -n 25 "$LABDIR/$h/pluto.log" | sed 's/^/    /'; done
    echo "  -- end of nic's named.log"; tail -n 8 "$LABDIR/nic/named.log" 2>/dev/null | sed 's/^/    /'
  fi
  local p1 p2; whack west --shutdown >/dev/null 2>&1 & p1=$!; whack east --shutdown >/dev/null 2>&1 & p2=$!
  wait $p1 $p2
  "$oe/oe-down" --name "$OE_NAME" >/dev/null 2>&1
  return $rc
}

scenario_j_run() {
  local out
  out=$("$TOP/testing/oe/nic-start" --name "$OE_NAME" --mode signed 2>&1) || { printf '%s\n' "$out"; fail "nic-start"; return 1; }
  say "$out"
  oe_pluto west; oe_pluto east
  pluto_wait west east || return 1
  say "west: $(grep -h 'policy group eroutes installed' "$LABDIR/west/pluto.log" | sed 's/^.*opportunistic/opportunistic/')"
  say "west's trap for the group: $(on west ip xfrm policy list dir out | awk '/^src/ { p = / dst 192.1.2.0\/24/ } p' | tr '\n\t' '  ' | cut -c1-200)"
  [ -z "$(esp_tunnel_sas west)$(esp_tunnel_sas east)" ] || { fail "ESP SAs exist before any packet"; return 1; }

  # the first packet: ACQUIRE -> %hold -> DNS -> IKEv2; a ping every 0.25 s until 8 replies (at most 40 s)
  local t0 first
  t0=$(ms)
  on west ping -D -n -c 8 -i 0.25 -W 2 -w 40 "$E_IP" > "$LABDIR/j-ping.txt" 2>&1
  first=$(sed -n 's/^\[\([0-9]*\)\.\([0-9]\{3\}\).*icmp_seq=\([0-9]*\) .*/\1\2 \3/p' "$LABDIR/j-ping.txt" | head -n 1)
  say "ping east: $(grep 'packets transmitted' "$LABDIR/j-ping.txt")"
  [ -n "$first" ] || { fail "east never answered"; grep -h 'OE\|acquire' "$LABDIR/west/pluto.log" | tail -n 8 | sed 's/^/    /'; return 1; }
  say "first packet to first reply: $(( ${first% *} - t0 )) ms; the first reply is icmp_seq=${first#* }, so $(( ${first#* } - 1 )) echo request(s) were lost while OE negotiated"
  grep -h 'acquire for\|FOUND\|initiating IKEv2\|OE tunnel' "$LABDIR/west/pluto.log" | sed 's/^.*\("private-or-clear\)/\1/' \
    | cut -c1-170 | sed 's/^/    west log: /'
  grep -q 'OE tunnel 192.1.2.45 -> 192.1.2.23 up' "$LABDIR/west/pluto.log" || { fail "west's pluto logged no OE tunnel up"; return 1; }
  local last; last=$(sed -n 's/.*icmp_seq=\([0-9]*\) .*/\1/p' "$LABDIR/j-ping.txt" | tail -n 1)
  local sent; sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$LABDIR/j-ping.txt")
  [ "${last:-0}" = "$sent" ] || { fail "the last echo requests were not answered (last reply icmp_seq=$last of $sent)"; return 1; }

  check_spis '*' || return 1
  say "instance: $WH_CONN"
  case "$WH_CONN" in private-or-clear#192.1.2.0/24*) ;; *) fail "the IPsec SA is not a private-or-clear instance"; return 1;; esac
  local before after eastin
  before=$(xfrm_counters west "$WH_OUT")
  out=$(on west ping -n -q -c 10 -i 0.2 -W 2 "$E_IP" 2>&1)
  say "ping east again: $(printf '%s\n' "$out" | grep 'packets transmitted')"
  printf '%s\n' "$out" | grep -q ' 10 received' || { fail "not every ping crossed the OE tunnel"; return 1; }
  after=$(xfrm_counters west "$WH_OUT"); eastin=$(xfrm_counters east "$WH_OUT")
  say "ip -s xfrm state, SA $WH_OUT: west out ${before#* } -> ${after#* } packets; east in ${eastin#* } packets"
  [ "${after#* }" -ge $(( ${before#* } + 10 )) ] || { fail "west's outbound ESP SA did not count the 10 pings"; return 1; }
  [ "${eastin#* }" -ge "${after#* }" ] || { fail "east's inbound ESP SA counted fewer packets than west sent"; return 1; }
  say "east: $(whack east --status | grep -m1 'private-or-clear#.*esp\.' | cut -c1-150)"

  # north has no key: private-or-clear lets it through in the clear, by a %pass shunt for the flow; the first
  # echo requests wait on %hold while west's pluto finds no key in DNS (seconds on a loaded guest): a ping every
  # 0.25 s until 8 replies (at most 40 s), and the last ones must be answered
  out=$(on west ping -n -c 8 -i 0.25 -W 2 -w 40 192.1.2.33 2>&1)
  say "ping north (no key): $(printf '%s\n' "$out" | grep 'packets transmitted')"
  last=$(printf '%s\n' "$out" | sed -n 's/.*icmp_seq=\([0-9]*\) .*/\1/p' | tail -n 1)
  sent=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p')
  [ -n "$last" ] && [ "$last" = "$sent" ] || { fail "north was not reached in the clear (last reply icmp_seq=${last:-none} of ${sent:-?})"; return 1; }
  grep -h 'OE to 192.1.2.33 failed' "$LABDIR/west/pluto.log" | head -n 1 | sed 's/^.*\(OE to\)/\1/' | cut -c1-160 | sed 's/^/    west log: /'
  local pol; pol=$(on west ip xfrm policy list dir out | awk '/^src/ { p = /^src 192.1.2.45\/32 dst 192.1.2.33\/32/ } p')
  say "west's shunt: $(printf '%s\n' "$pol" | tr '\n\t' '  ' | cut -c1-160)"
  [ -n "$pol" ] && ! printf '%s\n' "$pol" | grep -q 'tmpl\|block' || { fail "no %pass policy (no template) for 192.1.2.45 -> 192.1.2.33"; return 1; }
  whack west --status | grep -q '192.1.2.45 -> 192.1.2.33: %pass shunt' || { fail "whack --status shows no %pass shunt for north"; return 1; }
  # (the kernel's own larval state of the ACQUIRE, spi 0, lives on for net.core.xfrm_acq_expires: not an SA)
  [ -z "$(on west ip xfrm state list proto esp | grep -A1 'dst 192.1.2.33' | grep 'spi 0x' | grep -v 'spi 0x00000000 ')" ] \
    || { fail "an ESP SA to north exists:"; on west ip xfrm state list proto esp | grep -A1 'dst 192.1.2.33'; return 1; }
  say "north: %pass shunt, no ESP SA"
}
