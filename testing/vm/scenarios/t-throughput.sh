# t: for reference (issue 12's benchmark), TCP throughput inside the guest through the kernel's own ESP (netkey,
# AES-GCM-128, pluto keying it) against plain routing over the same veth (west's 192.1.2.45 to east's 192.1.2.23,
# which no tunnel covers): iperf3 for 5 s each after 2 s not counted. The guest is emulated (TCG, 2 vCPUs): the
# Gbit/s are the emulator's, only the ratio means anything. Ends with one line netkey_gbit=… plain_gbit=…
# netkey/plain=…. By name only (testing/vm/netkey-lab t), not in CI's list.
scenario_t_title="netkey throughput against plain routing in the guest (reference, not a test of speed)"
scenario_t() {
  command -v iperf3 >/dev/null || { fail "iperf3 is not installed on the host (apt-get install iperf3)"; return 1; }
  conn_up west gcm || return 1
  ping_across 3 0.2 || return 1
  local plain netkey
  plain=$(t_iperf 192.1.2.23 192.1.2.45) || return 1
  netkey=$(t_iperf 192.0.2.254 192.0.1.254) || return 1
  say "plain routing $plain Gbit/s; through netkey ESP $netkey Gbit/s"
  [ "$(awk -v n="$netkey" 'BEGIN{print (n > 0)}')" = 1 ] || { fail "no traffic crossed the tunnel"; return 1; }
  say "netkey_gbit=$netkey plain_gbit=$plain netkey/plain=$(awk -v a="$netkey" -v b="$plain" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "nan" }')"
  conn_down west gcm
}

t_iperf() { # server-address client-address: prints the receiver's Gbit/s
  on east iperf3 -s -1 -B "$1" -D || return 1
  local i; for i in $(seq 1 50); do on east ss -ltn | grep -q "$1:5201" && break; sleep 0.2; done
  on west iperf3 -c "$1" -B "$2" -t 5 -O 2 -J > "$LABDIR/t-iperf.json" || { fail "iperf3 to $1 failed"; return 1; }
  "$PY" -c 'import json,sys; print("%.3f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9))' \
    "$LABDIR/t-iperf.json"
}
