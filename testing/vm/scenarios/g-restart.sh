# g: kill -9 of west's pluto with 20 tunnels up on netkey (issue 13). Netkey leaves the dead daemon's SAs and
# policies in the kernel; the restarted pluto must clear them before it keys anything, bring the 20 back, and
# east must drop its old SAs when the new IKE SA says INITIAL_CONTACT (RFC 7296 §2.4): afterwards each kernel
# holds exactly the new 40 ESP SAs and 60 policies of the 20 pairs, none of the old SPIs, and pings cross.
# The 20 tunnels are one conn with leftsubnets= (4) x rightsubnets= (5), as Openswan 2.6 permutes them; their
# Child SAs queue on one IKE SA, so in a slow guest an SPI allocated early outlives the kernel's larval SA
# (net.core.xfrm_acq_expires): west's is set to 3 s here so that path (UPDSA -> ESRCH -> NEWSA) always runs.
scenario_g_title="kill -9 with 20 tunnels up: restart clears the kernel, the 20 return, east keeps no old SA"
scenario_g() {
  on west ip addr add 10.1.1.1/32 dev lo; on east ip addr add 10.2.1.1/32 dev lo
  local acq; acq=$(on west sysctl -n net.core.xfrm_acq_expires); on west sysctl -qw net.core.xfrm_acq_expires=3
  local rc=0; scenario_g_run || rc=1
  on west sysctl -qw net.core.xfrm_acq_expires="$acq"
  on west ip addr del 10.1.1.1/32 dev lo 2>/dev/null; on east ip addr del 10.2.1.1/32 dev lo 2>/dev/null
  return $rc
}
# the 20 pairs' ESP SAs / policies in HOST's kernel (policies: out, in, fwd per pair; only 10.x selectors)
g_sas() { esp_tunnel_sas "$1" | sort; }
g_policies() { on "$1" ip xfrm policy list | grep -c '^src 10\.'; }
g_up() { # all 20 instances of "restart" from west; prints how many said established (output in g-up.out)
  auto west --up restart > "$LABDIR/g-up.out" 2>&1
  grep -c 'IPsec SA established' "$LABDIR/g-up.out"
}
g_why() { # what auto --up said besides the established lines, and west's log lines that are not routine
  grep -v 'IPsec SA established' "$LABDIR/g-up.out" | tail -n 15 | sed 's/^/    auto --up: /'
  grep -i 'fail\|timeout\|retransmit\|refus\|NO_\|unacceptable\|error' "$LABDIR/west/pluto.log" | tail -n 15 \
    | sed 's/^/    west log: /'
}
g_missing() { # which of the 20 pairs west's kernel lacks an outbound policy for, and west's log of them
  local l r name pols; pols=$(on west ip xfrm policy list dir out)
  for l in 1 2 3 4; do for r in 1 2 3 4 5; do
    name="restart/${l}x${r}"
    printf '%s\n' "$pols" | grep -q "^src 10.1.$l.0/24 dst 10.2.$r.0/24" && continue
    say "west's kernel has no outbound policy for $name (10.1.$l.0/24 -> 10.2.$r.0/24); west's log of it:"
    grep -F "\"$name\"" "$LABDIR/west/pluto.log" | tail -n 12 | sed 's/^/    /'
  done; done
  say "west's ESP SAs: $(on west ip xfrm state list proto esp | grep -c '^src') states in all (larval included)"
}
g_count() { # host: "SAS POLICIES"
  echo "$(g_sas "$1" | grep -c spi) $(g_policies "$1")"
}
g_await() { # host want-"SAS POLICIES" seconds
  local i; for i in $(seq 1 $(( $3 * 2 ))); do [ "$(g_count "$1")" = "$2" ] && return 0; sleep 0.5; done
  fail "$1's kernel holds $(g_count "$1") (ESP SAs, policies of the 20 pairs), expected $2"
}
scenario_g_run() {
  local n t0 old new
  n=$(g_up); say "auto --up restart: $n IPsec SAs established"
  [ "$n" = 20 ] || { fail "$n of 20 tunnels established"; g_why; return 1; }
  g_await west "40 60" 10 && g_await east "40 60" 10 || return 1
  say "west re-added $(grep -c 'adding the SA anew' "$LABDIR/west/pluto.log") SAs whose larval SPI had expired"
  old=$(g_sas west)
  kill -KILL "$(cat "$LABDIR/west/pluto-lab.pid")"; sleep 0.5
  say "west's pluto killed (-9); its kernel still holds $(g_count west) (ESP SAs, policies): netkey keeps them"
  t0=$(ms)
  pluto_launch west && pluto_wait west || return 1
  conns_add restart west || return 1
  n=$(g_up); say "after the restart: $n IPsec SAs established, $(( $(ms) - t0 )) ms after the launch"
  [ "$n" = 20 ] || { fail "$n of 20 tunnels re-established"; g_why; return 1; }
  g_await west "40 60" 10 || { g_missing; return 1; }
  g_await east "40 60" 15 || return 1     # east deletes the old 40 on INITIAL_CONTACT
  new=$(g_sas west)
  # files, not <(...): the guest has no /dev/fd, and comm then failed with an empty output, which passed
  printf '%s\n' "$old" > "$LABDIR/g-old.spis"; printf '%s\n' "$new" > "$LABDIR/g-new.spis"
  local both; both=$(comm -12 "$LABDIR/g-old.spis" "$LABDIR/g-new.spis") || { fail "comm cannot compare the SPIs"; return 1; }
  [ "$(grep -c spi "$LABDIR/g-old.spis")" = 40 ] || { fail "before the kill: $(grep -c spi "$LABDIR/g-old.spis") SPIs, not 40"; return 1; }
  [ -z "$both" ] || { fail "SPIs from before the kill still in west's kernel: $(printf '%s' "$both" | tr '\n' ' ')"; return 1; }
  say "west and east each hold 40 ESP SAs and 60 policies, none from before the kill"
  local out; out=$(on west ping -n -q -c 3 -i 0.3 -W 3 -I 10.1.1.1 10.2.1.1 2>&1)
  say "ping 10.1.1.1 -> 10.2.1.1: $(printf '%s\n' "$out" | grep 'packets transmitted')"
  printf '%s\n' "$out" | grep -q ' 3 received' || { fail "pings did not cross the restored tunnel"; return 1; }
  auto west --down restart >/dev/null 2>&1
  g_await west "0 0" 10 && g_await east "0 0" 10
}
