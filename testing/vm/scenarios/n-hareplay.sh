# n: RFC 6311 §5.2 on netkey, both ends in the kernel (issue 15). m's cluster (etcd, nodes a and b on netkey serving
# 192.1.2.23), but road is a pluto on netkey too, so it announces IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED. kill -9 of
# the active node: the standby installs road's outbound SA as its inbound one with a floor past the old node's
# replicated high-water (the kernel's replay state: seq = floor - 1, bitmap all set) and asks road to advance; road's
# pluto moves its kernel's outbound counter in place (XFRM_MSG_NEWAE). Checked in both kernels (ip -s xfrm state),
# pings resume with the same SPIs, and an ESP packet road sent before the kill, replayed to the new node, is
# refused by its kernel (stats: replay-window). Runs only when named (testing/vm/netkey-lab n).
scenario_n_title="cluster takeover on netkey with a pluto peer: RFC 6311 replay counter sync in both kernels"

scenario_n() {
  m_down
  local LAB=$M_NAME LABDIR=/run/oj-lab/$M_NAME rc=0
  scenario_n_run || rc=1
  if [ $rc != 0 ]; then
    for h in a b road; do echo "  -- end of $h's pluto.log"; tail -n 25 "$LABDIR/$h/pluto.log" 2>/dev/null | sed 's/^/    /'; done
  fi
  m_down
  return $rc
}

n_road_pluto() {
  local d=$LABDIR/road
  mkdir -p "$d/ipsec.d"/{policies,certs,cacerts,private,crls}
  printf 'config setup\n\tprotostack=netkey\n\n' > "$d/ipsec.conf"
  printf 'conn gw\n\tikev2=insist\n\tauthby=secret\n\tleft=%s\n\tleftid=@road\n\tleftsubnet=192.0.1.0/24\n' "$M_ROAD" >> "$d/ipsec.conf"
  printf '\tright=%s\n\trightid=@gw\n\trightsubnet=192.0.2.0/24\n' "$M_VIP" >> "$d/ipsec.conf"
  printf '\tike=aes128gcm16-sha2_256;x25519\n\tphase2alg=aes128gcm16\n\tauto=add\n' >> "$d/ipsec.conf"
  printf '@road @gw : PSK "%s"\n' "$PSK" > "$d/ipsec.secrets"; chmod 600 "$d/ipsec.secrets"
  date +%s%3N > "$d/pluto-start.ms"
  ip netns exec "$LAB-road" "$IPSEC_TOP/bin/ipsec" pluto --nofork --stderrlog --ctlbase "$d/pluto" \
    --config "$d/ipsec.conf" --secretsfile "$d/ipsec.secrets" --ipsecdir "$d/ipsec.d" --use-netkey \
    >> "$d/pluto.log" 2>&1 < /dev/null &
  echo $! > "$d/pluto-lab.pid"; disown
}
# the ESP SA with SPI in HOST's kernel: its replay failures, "REPLAY_WINDOW REPLAY" (ip -s xfrm state's stats line)
n_replays() { m_sa_match "$1" "$2" 'replay-window ([0-9]+) replay ([0-9]+) failed'; } # host spi
# road's SPIs of conn gw (whack --status --json): "IN OUT", 8 hex digits each
n_spis() { child_spis road gw | awk '{ sub(/^0x/, "", $1); sub(/^0x/, "", $2); print $1, $2 }'; }

scenario_n_run() {
  local ACT SBY
  m_cluster_up || return 1
  n_road_pluto; pluto_wait road || return 1
  auto road --add gw > /dev/null 2>&1 || { fail "ipsec auto --add gw on road"; return 1; }
  auto road --up gw > "$LABDIR/road/up.out" 2>&1 || { fail "road's pluto cannot bring the tunnel up: $(tail -n 3 "$LABDIR/road/up.out")"; return 1; }
  m_await 30 "$SBY's warm copy holds the IKE SA and the Child SA" m_warm "$SBY" 2 || return 1
  m_await 20 "pings through the tunnel" m_ping || return 1
  local spis in out ike0
  spis=$(n_spis) || { fail "road's whack --status names no IPsec SA of gw"; return 1; }
  in=${spis% *}; out=${spis#* }
  ike0=$(grep -c 'PARENT SA established' "$LABDIR/road/pluto.log")
  say "road: conn gw up; its inbound SA 0x$in (the gateway's outbound), outbound SA 0x$out"
  xfrm_has_spi "$ACT" "0x$in" && xfrm_has_spi "$ACT" "0x$out" || return 1

  # an ESP packet of road's to the gateway, kept to replay after the takeover
  on road timeout 10 tcpdump -ni eth0 -c 1 -w "$LABDIR/road/old-esp.pcap" "esp and dst $M_VIP" > /dev/null 2>&1 &
  local cap=$!
  sleep 1; m_ping || true
  wait "$cap" || { fail "no ESP packet of road's captured"; return 1; }

  # ---- kill -9 of the active node, pings at 10/s from road
  on road ping -D -n -i 0.1 -W 1 -c 600 -I 192.0.1.254 192.0.2.254 > "$LABDIR/n-ping.txt" 2>&1 &
  local pp=$! kill_at
  sleep 3
  kill_at=$(date +%s.%N)
  kill -KILL "$(cat "$LABDIR/$ACT/pluto-lab.pid")"; rm -f "$LABDIR/$ACT/pluto-lab.pid"
  say "kill -9 of $ACT's pluto"
  m_await 60 "$SBY active after $ACT was killed" m_is "$SBY" active || { kill "$pp" 2>/dev/null; return 1; }
  n_floored() { grep -q 'inbound from [0-9]' "$LABDIR/$SBY/pluto.log"; }
  m_await 60 "$SBY's taken-over inbound SA with a floor" n_floored || { kill "$pp" 2>/dev/null; return 1; }
  n_advanced() { grep -q 'RFC 6311 replay counter sync from the peer: outbound ESP sequence numbers of 1 Child SA advanced by' "$LABDIR/road/pluto.log"; }
  m_await 60 "road advancing its outbound counter on $SBY's request" n_advanced || { kill "$pp" 2>/dev/null; return 1; }
  m_pings_resume "$LABDIR/n-ping.txt" "$kill_at" "$pp" || return 1
  say "pings: $(grep 'packets transmitted' "$LABDIR/n-ping.txt")"
  say "$SBY: $(grep -o 'ESP=>0x[0-9a-f]* <0x[0-9a-f]* first outbound sequence number [0-9]*, inbound from [0-9]*' "$LABDIR/$SBY/pluto.log" | tail -n 1)"
  say "road: $(grep -o 'RFC 6311 replay counter sync from the peer.*' "$LABDIR/road/pluto.log" | tail -n 1)"

  # ---- both kernels: road's outbound counter past the floor, the new node's inbound window above it
  local floor rr rb
  floor=$(grep -o 'inbound from [0-9]*' "$LABDIR/$SBY/pluto.log" | tail -n 1 | grep -o '[0-9]*$')
  rr=$(m_replay road "$out") || { fail "no replay state for road's outbound SA $out"; return 1; }
  rb=$(m_replay "$SBY" "$out") || { fail "no replay state for $SBY's inbound SA $out"; return 1; }
  say "SA 0x$out: road's kernel oseq ${rr% *}; $SBY's kernel seq ${rb#* } (floor $floor)"
  [ "${rr% *}" -ge "$floor" ] || { fail "road's outbound oseq ${rr% *} is below the floor $floor: its kernel was not advanced"; return 1; }
  [ "${rb#* }" -ge $((floor - 1)) ] || { fail "$SBY's inbound seq ${rb#* } is below the floor $floor - 1: its window starts fresh"; return 1; }
  xfrm_has_spi "$SBY" "0x$in" && xfrm_has_spi "$SBY" "0x$out" || return 1
  local spis1 ike1; spis1=$(n_spis); ike1=$(grep -c 'PARENT SA established' "$LABDIR/road/pluto.log")
  [ "$spis1" = "$spis" ] && [ "$ike1" = "$ike0" ] \
    || { fail "road renegotiated: SPIs $spis -> $spis1, IKE SAs established $ike0 -> $ike1"; return 1; }
  say "road's SPIs unchanged ($spis), no new IKE SA"

  # ---- the old packet again, now to the new node: below the floor, its kernel refuses it
  local r0 r1
  r0=$(n_replays "$SBY" "$out") || { fail "no stats for $SBY's inbound SA $out"; return 1; }
  on road "$PY" - "$LABDIR/road/old-esp.pcap" "$M_VIP" <<'PY' || { fail "cannot replay road's old ESP packet"; return 1; }
import socket, struct, sys
data = open(sys.argv[1], 'rb').read()
e = '<' if data[:4] == b'\xd4\xc3\xb2\xa1' else '>'
incl = struct.unpack(e + 'I', data[24 + 8:24 + 12])[0]
ip = data[24 + 16:24 + 16 + incl][14:]   # Ethernet, then the IPv4 packet
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 50)
s.sendto(ip[(ip[0] & 0x0f) * 4:], (sys.argv[2], 0))   # the ESP payload as it was: same SPI and sequence number
PY
  n_refused() { r1=$(n_replays "$SBY" "$out") && [ $(( ${r1% *} + ${r1#* } )) -gt $(( ${r0% *} + ${r0#* } )) ]; }
  m_await 10 "$SBY's kernel refusing road's replayed old packet" n_refused || return 1
  say "road's old ESP packet replayed to $SBY: refused by its kernel (replay-window/replay $r0 -> $r1)"
  m_await 20 "pings after the replay" m_ping || return 1
}
