# d: salifetime=30s, rekeymargin=10s, rekeyfuzz=0%: pluto rekeys every ~20 s; a ping every 0.2 s for 60 s spans
# at least two rekeys (counted from west's log, not sampled: a whack call in a slow guest takes seconds), loses
# nothing, and the SPIs changed.
scenario_d_title="rekey under traffic (salifetime=30s, rekeymargin=10s, rekeyfuzz=0%)"
scenario_d() {
  conn_up west rekey || return 1
  check_spis rekey || return 1
  local first=$WH_OUT
  local n=300 out got spis=$WH_OUT log0
  log0=$(wc -l < "$LABDIR/west/pluto.log")
  local mon; on west ip -ts xfrm monitor > "$LABDIR/rekey-xfrm-monitor.txt" 2>&1 & mon=$!
  say "ping started $(date +%T.%3N)"
  on west ping -D -n -c $n -i 0.2 -W 3 -I "$W_NET" "$E_NET" > "$LABDIR/rekey-ping.txt" 2>&1 &
  local pid=$! i s
  for i in $(seq 1 90); do          # sample the newest outbound SPI while the ping runs
    kill -0 $pid 2>/dev/null || break
    s=$(child_spis west rekey 2>/dev/null) && read -r _ s _ <<< "$s" && case " $spis " in *" $s "*) ;; *) spis="$spis $s";; esac
    sleep 1
  done
  wait $pid
  kill $mon 2>/dev/null; wait $mon 2>/dev/null
  say "ping: $(grep 'packets transmitted' "$LABDIR/rekey-ping.txt")"
  say "outbound SPIs seen: $spis"
  local rekeys; rekeys=$(tail -n +"$((log0 + 1))" "$LABDIR/west/pluto.log" 2>/dev/null | grep -c '"rekey" #[0-9]*: .*IPsec SA established')
  local lost; lost=$("$PY" -c '
import re, sys
seen = {int(m) for m in re.findall(r"icmp_seq=(\d+) ", open(sys.argv[1]).read())}
print(" ".join(str(i) for i in range(1, int(sys.argv[2]) + 1) if i not in seen))' "$LABDIR/rekey-ping.txt" $n)
  if [ -n "$lost" ]; then
    say "lost icmp_seq: $lost; replies around them (ping -D) and west's kernel events (ip xfrm monitor):"
    "$PY" -c '
import re, sys, datetime
t = {int(q): float(ts) for ts, q in re.findall(r"\[(\d+\.\d+)\] .*icmp_seq=(\d+) ", open(sys.argv[1]).read())}
for q in map(int, sys.argv[2:]):
    a, b = t.get(q - 1), t.get(q + 1)
    f = lambda x: datetime.datetime.fromtimestamp(x).strftime("%H:%M:%S.%f")[:-3] if x else "?"
    print("      icmp_seq=%d lost: reply %d at %s, reply %d at %s" % (q, q - 1, f(a), q + 1, f(b)))' \
      "$LABDIR/rekey-ping.txt" $lost
    grep -v 'Async event' "$LABDIR/rekey-xfrm-monitor.txt" | grep -A1 '^\[' | grep -v '^--' | paste - - \
      | sed 's/\t/ /g; s/  */ /g' | cut -c1-140 | sed 's/^/      /' | head -n 60
  fi
  local h; for h in west east; do
    say "$h /proc/net/xfrm_stat (non-zero): $(on "$h" awk '$2 != 0 { printf "%s=%s ", $1, $2 }' /proc/net/xfrm_stat)"
  done
  got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$LABDIR/rekey-ping.txt")
  grep -h 'STATE_V2_REKEY\|rekey\|Rekey' "$LABDIR/west/pluto.log" | tail -n 4 | sed 's/^/    west log: /'
  say "IPsec SAs established by rekeys during the ping (west's log): $rekeys"
  [ "$rekeys" -ge 2 ] || { fail "$rekeys rekeys during the ping, expected 2 or more"; return 1; }
  [ "${got:-0}" = $n ] || { fail "${got:-0} of $n pings answered across the rekeys"; return 1; }
  # the rekeys go on every 20 s: one may move the SPIs between pluto's status and the kernels' lists (a slow guest)
  local i; for i in 1 2 3; do
    check_spis rekey && break
    [ $i = 3 ] && return 1
    say "a rekey moved the SPIs during the check; checking again"; sleep 3
  done
  [ "$WH_OUT" != "$first" ] || { fail "the outbound SPI did not change"; return 1; }
  conn_down west rekey
}
