# m: cluster takeover on netkey (issue 15, docs/HA.md), end to end in the kernel. A lab of its own, as
# testing/ha/failover has on the host (klips): a LAN bridge with etcd (192.1.2.5), two pluto nodes a (.11) and
# b (.12) on netkey serving the virtual address 192.1.2.23 (192.0.2.254/32 on each lo), and road (.45,
# 192.0.1.254/32) running strongSwan's charon on kernel-netlink with a tunnel to the VIP. Both plutos start at
# once; whichever is elected is "the active node", the other "the standby". Pings at 10/s from road; kill -9 of
# the active pluto (its kernel keeps its SAs and the VIP, as a crashed daemon's would). The standby is elected,
# claims the VIP and installs the Child SA in ITS kernel: ip xfrm state in its namespace holds charon's two SPIs,
# its outbound oseq starts past the old node's last one plus cluster-seq-margin (RFC 4303 §3.3.3) and road's
# inbound SA sees those numbers; pings resume; charon's IKE and Child SA SPIs are unchanged (no renegotiation);
# the IKE message IDs are synchronised (RFC 6311); a Child SA rekey from charon afterwards is answered by the new
# node. Runs only when named (testing/vm/netkey-lab m).
scenario_m_title="cluster takeover on netkey: kill -9 of the active node, the standby's kernel carries the tunnel"
M_NAME=${LAB}m
M_VIP=192.1.2.23; M_ETCD=192.1.2.5; M_ROAD=192.1.2.45
M_CHARON_DIR=/tmp/netkey-lab-charon-$M_NAME

m_down() {
  local f pid h
  for f in /run/oj-lab/$M_NAME/*/*.pid "$M_CHARON_DIR/charon.pid"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null); [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -f "$f"
  done
  for h in etcd a b road lan; do
    ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$M_NAME-$h" || continue
    ip netns pids "$M_NAME-$h" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
    ip netns del "$M_NAME-$h" 2>/dev/null
  done
  rm -rf "/run/oj-lab/$M_NAME"
}

scenario_m() {
  m_down
  # lib.sh's on/whack/auto work on this lab's namespaces and directories
  local LAB=$M_NAME LABDIR=/run/oj-lab/$M_NAME rc=0
  scenario_m_run || rc=1
  if [ $rc != 0 ]; then
    for h in a b; do echo "  -- end of $h's pluto.log"; tail -n 25 "$LABDIR/$h/pluto.log" 2>/dev/null | sed 's/^/    /'; done
    echo "  -- end of road's charon.log"; tail -n 20 "$M_CHARON_DIR/charon.log" 2>/dev/null | sed 's/^/    /'
    echo "  -- end of etcd.log"; tail -n 5 "$LABDIR/etcd/etcd.log" 2>/dev/null | sed 's/^/    /'
  fi
  m_down
  return $rc
}

m_conf() { # node
  printf 'config setup\n\tprotostack=netkey\n\tcluster-etcd=http://%s:2379\n\tcluster-node=%s\n' "$M_ETCD" "$1"
  # a TTL of 15 s, not the default 3: pluto waits one TTL for its first lease at start-up, and jetcd's first
  # call in this emulated CPU took over 5 s (first VM run: "no lease from etcd ...: no answer within 5 s")
  printf '\tcluster-vip=%s\n\tcluster-lease-ttl=15\n\n' "$M_VIP"
  printf 'conn road\n\tikev2=insist\n\tauthby=secret\n\tleft=%s\n\tleftid=@gw\n\tleftsubnet=192.0.2.0/24\n' "$M_VIP"
  printf '\tright=%s\n\trightid=@road\n\trightsubnet=192.0.1.0/24\n' "$M_ROAD"
  printf '\tike=aes128gcm16-sha2_256;x25519\n\tphase2alg=aes128gcm16\n\tauto=add\n'
}
m_pluto() { # node: started, not waited for
  local d=$LABDIR/$1
  mkdir -p "$d/ipsec.d"/{policies,certs,cacerts,private,crls}
  m_conf "$1" > "$d/ipsec.conf"
  printf '@gw @road : PSK "%s"\n: CLUSTER 0x%s\n' "$PSK" "$M_KEY" > "$d/ipsec.secrets"; chmod 600 "$d/ipsec.secrets"
  date +%s%3N > "$d/pluto-start.ms"
  ip netns exec "$LAB-$1" "$IPSEC_TOP/bin/ipsec" pluto --nofork --stderrlog --ctlbase "$d/pluto" \
    --config "$d/ipsec.conf" --secretsfile "$d/ipsec.secrets" --ipsecdir "$d/ipsec.d" --use-netkey \
    >> "$d/pluto.log" 2>&1 < /dev/null &
  echo $! > "$d/pluto-lab.pid"; disown
}
m_status() { whack "$1" --status 2>/dev/null | grep 'cluster:'; }
m_role() { m_status "$1" | sed -n "s/^.*cluster: vip $M_VIP: \([a-z]*\).*/\1/p" | head -n 1; }
m_await() { # seconds description command...
  local s=$1 what=$2 i; shift 2
  for i in $(seq 1 $((s * 4))); do "$@" && return 0; sleep 0.25; done
  fail "$what (not after $s s)"
}
m_claimed() { m_status "$1" | grep -q "vip $M_VIP: active (address claimed)"; }
m_is() { [ "$(m_role "$1")" = "$2" ]; }
m_warm() { m_status "$1" | grep -q "warm copy: $2 records"; }
m_swan() { nsenter -t "$(cat "$M_CHARON_DIR/charon.pid")" -m -n /usr/sbin/swanctl "$@" --uri unix:///run/charon.vici; }
m_ikespis() { m_swan --list-sas 2>/dev/null | grep -oE '[0-9a-f]{16}_i\*? [0-9a-f]{16}_r\*?' | head -n 1; }
m_childspis() { m_swan --list-sas 2>/dev/null | grep -oE '(in|out) +[0-9a-f]{8}' | tr -s ' ' | tr '\n' ' '; }
m_ping() { on road ping -n -c 1 -W 1 -I 192.0.1.254 192.0.2.254 >/dev/null 2>&1; }
# the groups of REGEX in the ESP SA with SPI in NODE's kernel (ip -s xfrm state), space-separated
m_sa_match() { # node spi regex
  on "$1" ip -s xfrm state list proto esp | "$PY" -c '
import re, sys
spi, pat, text = sys.argv[1], sys.argv[2], sys.stdin.read()
for block in re.split(r"\n(?=src )", text):
    if re.search(r"spi 0x0*%s\b" % spi.lstrip("0"), block):
        m = re.search(pat, block)
        print(*m.groups()) if m else sys.exit(2)
        sys.exit(0)
sys.exit(1)' "$2" "$3"
}
# "oseq seq" of the ESP SA with SPI in NODE's kernel (ip -s xfrm state: "anti-replay context: seq 0x.., oseq 0x..")
m_replay() { # node spi
  local r; r=$(m_sa_match "$1" "$2" 'seq 0x([0-9a-f]+), oseq 0x([0-9a-f]+)') || return 1
  echo "$((16#${r#* })) $((16#${r% *}))"
}

# pings resume: waits up to 30 s for a ping (ping -D -> FILE, pid PID) answered more than 1 s after KILL_AT (epoch
# seconds), then 2 s more, and stops the pinger; fails when none was
m_pings_resume() { # file kill_at pid
  local i
  m_after() { awk -v k="$2" -F'[][]' '/bytes from/ { if ($2 + 0 > k + 1) { f = 1; exit } } END { exit !f }' "$1"; }
  for i in $(seq 1 120); do m_after "$1" "$2" && break; sleep 0.25; done
  sleep 2; kill -INT "$3" 2>/dev/null; wait "$3"
  m_after "$1" "$2" || { fail "no ping answered after the kill: $(grep 'packets transmitted' "$1")"; return 1; }
}

# the cluster half of the lab, shared with n: LAN, etcd, nodes a and b with conn road, one elected; sets the
# caller's ACT (the active node) and SBY (the standby)
m_cluster_up() {
  local h ip
  command -v etcd >/dev/null && command -v arping >/dev/null || { fail "etcd or arping not found"; return 1; }
  mkdir -p "$LABDIR" "$M_CHARON_DIR"
  ip netns add "$LAB-lan" && ip -n "$LAB-lan" link add br0 type bridge && ip -n "$LAB-lan" link set br0 up || return 1
  for h in etcd:$M_ETCD a:192.1.2.11 b:192.1.2.12 road:$M_ROAD; do
    ip=${h#*:}; h=${h%%:*}
    mkdir -p "$LABDIR/$h"
    ip netns add "$LAB-$h" && ip link add eth0 netns "$LAB-$h" type veth peer name "v-$h" netns "$LAB-lan" \
      && ip -n "$LAB-lan" link set "v-$h" master br0 up && on "$h" ip link set lo up \
      && on "$h" ip addr add "$ip/24" dev eth0 && on "$h" ip link set eth0 up || { fail "namespace $LAB-$h"; return 1; }
  done
  on road ip addr add 192.0.1.254/32 dev lo && on road ip route add 192.0.2.0/24 via "$M_VIP" dev eth0 || return 1
  for h in a b; do
    on "$h" ip addr add 192.0.2.254/32 dev lo && on "$h" ip route add 192.0.1.0/24 via "$M_ROAD" dev eth0 || return 1
  done

  ip netns exec "$LAB-etcd" etcd --name e --data-dir "$LABDIR/etcd/data" --listen-client-urls "http://$M_ETCD:2379" \
    --advertise-client-urls "http://$M_ETCD:2379" --listen-peer-urls http://127.0.0.1:2380 \
    --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster e=http://127.0.0.1:2380 \
    > "$LABDIR/etcd/etcd.log" 2>&1 < /dev/null &
  echo $! > "$LABDIR/etcd/etcd.pid"; disown
  m_etcd_ok() { on etcd etcdctl --endpoints "http://$M_ETCD:2379" endpoint health >/dev/null 2>&1; }
  m_await 60 "etcd healthy" m_etcd_ok || return 1
  say "etcd at $M_ETCD:2379"

  M_KEY=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
  m_pluto a; m_pluto b
  pluto_wait a b || return 1
  local p1 p2
  auto a --add road > "$LABDIR/a/add.out" 2>&1 & p1=$!; auto b --add road > "$LABDIR/b/add.out" 2>&1 & p2=$!
  wait $p1 && wait $p2 || { fail "ipsec auto --add road:"; cat "$LABDIR"/?/add.out; return 1; }
  # started together: either may be elected; ACT is the one that claims the address, SBY the other (both the
  # caller's: it declares them local)
  m_either() { if m_claimed a; then ACT=a SBY=b; elif m_claimed b; then ACT=b SBY=a; else return 1; fi; }
  m_await 60 "one node active with the address claimed" m_either || return 1
  m_await 60 "$SBY standby" m_is "$SBY" standby || return 1
  say "$ACT: $(m_status "$ACT" | grep "vip $M_VIP" | sed 's/^000 //')"
  say "$SBY: $(m_status "$SBY" | grep "vip $M_VIP" | sed 's/^000 //')"
}

scenario_m_run() {
  local ACT SBY
  m_cluster_up || return 1

  # charon on road, kernel-netlink (the kernel's ESP), in a private /run (vici socket, pid file)
  local cd=$M_CHARON_DIR
  mkdir -p "$cd"/{x509,x509ca,x509ocsp,x509aa,x509ac,x509crl,pubkey,private,rsa,ecdsa,bliss,pkcs8,pkcs12}
  cat > "$cd/strongswan.conf" <<CONF
charon {
  load_modular = no
  load = random nonce openssl aes sha1 sha2 hmac gcm kdf pem pkcs1 pkcs8 x509 pubkey curve25519 kernel-netlink socket-default vici
  port = 500
  port_nat_t = 4500
  filelog {
    stderr {
      time_format = %T
      default = 1
      ike = 2
      knl = 1
    }
  }
  plugins {
    vici {
      socket = unix:///run/charon.vici
    }
  }
}
CONF
  cat > "$cd/swanctl.conf" <<CONF
connections {
  gw {
    version = 2
    local_addrs = $M_ROAD
    remote_addrs = $M_VIP
    proposals = aes128gcm16-prfsha256-x25519
    local {
      auth = psk
      id = @road
    }
    remote {
      auth = psk
      id = @gw
    }
    children {
      net {
        local_ts = 192.0.1.0/24
        remote_ts = 192.0.2.0/24
        esp_proposals = aes128gcm16
        start_action = none
      }
    }
  }
}
secrets {
  ike-gw {
    id-1 = @road
    id-2 = @gw
    secret = "$PSK"
  }
}
CONF
  ip netns exec "$LAB-road" unshare -m --propagation private sh -c \
    'mount -n -t tmpfs none /run && STRONGSWAN_CONF="$1/strongswan.conf" exec "$2"' sh "$cd" "$CHARON" \
    > "$cd/charon.log" 2>&1 < /dev/null &
  echo $! > "$cd/charon.pid"; disown
  m_vici() { nsenter -t "$(cat "$cd/charon.pid")" -m -n test -S /run/charon.vici 2>/dev/null; }
  m_await 60 "charon's vici socket" m_vici || return 1
  m_swan --load-all --noprompt --file "$cd/swanctl.conf" >/dev/null || { fail "swanctl --load-all"; return 1; }
  m_swan --initiate --child net --timeout 60 > "$cd/initiate.out" 2>&1 \
    || { fail "charon cannot bring up the tunnel to $M_VIP:"; tail -n 5 "$cd/initiate.out"; return 1; }
  m_await 30 "$SBY's warm copy holds the IKE SA and the Child SA" m_warm "$SBY" 2 || return 1
  say "$SBY: $(m_status "$SBY" | grep 'warm copy' | sed 's/^000 //')"
  m_await 20 "pings through the tunnel" m_ping || return 1

  local ike0 child0 in out
  ike0=$(m_ikespis); child0=$(m_childspis)
  in=$(printf '%s\n' "$child0" | sed -n 's/.*in \([0-9a-f]*\).*/\1/p'); out=$(printf '%s\n' "$child0" | sed -n 's/.*out \([0-9a-f]*\).*/\1/p')
  say "charon before: IKE SA $ike0; Child SA $child0(road's in = the gateway's outbound)"
  xfrm_has_spi "$ACT" "0x$in" && xfrm_has_spi "$ACT" "0x$out" || return 1
  [ -z "$(esp_tunnel_sas "$SBY")" ] || { fail "$SBY's kernel holds ESP SAs while standby: $(esp_tunnel_sas "$SBY" | tr '\n' ' ')"; return 1; }
  say "$SBY's kernel holds no ESP SA while standby"

  # ---- kill -9 of the active node, pings at 10/s from road
  on road ping -D -n -i 0.1 -W 1 -c 900 -I 192.0.1.254 192.0.2.254 > "$LABDIR/m-ping.txt" 2>&1 &
  local pp=$! t0 kill_at
  sleep 3
  kill_at=$(date +%s.%N); t0=$(ms)
  kill -KILL "$(cat "$LABDIR/$ACT/pluto-lab.pid")"; rm -f "$LABDIR/$ACT/pluto-lab.pid"
  say "kill -9 of $ACT's pluto"
  m_await 60 "$SBY active after $ACT was killed" m_is "$SBY" active || { kill "$pp" 2>/dev/null; return 1; }
  local took; took=$(( $(ms) - t0 ))
  m_took() { m_status "$SBY" | grep -q 'last takeover'; }
  m_await 30 "$SBY's takeover" m_took || { kill "$pp" 2>/dev/null; return 1; }
  say "$SBY: $(m_status "$SBY" | grep 'last takeover' | sed 's/^000 //') (seen active ${took} ms after the kill)"
  # pings answered after the kill, then stop the pinger
  m_pings_resume "$LABDIR/m-ping.txt" "$kill_at" "$pp" || return 1
  local gap; gap=$(awk -F'[][]' '/bytes from/ { t = $2 + 0; if (last && t - last > g) g = t - last; last = t } END { printf "%.2f", g }' "$LABDIR/m-ping.txt")
  say "pings: $(grep 'packets transmitted' "$LABDIR/m-ping.txt"); longest silence ${gap} s"

  # ---- the new node's kernel carries the same SPIs; its outbound counter starts past the old one's (RFC 4303 §3.3.3)
  xfrm_has_spi "$SBY" "0x$in" && xfrm_has_spi "$SBY" "0x$out" || return 1
  local ra rb rr margin=65536
  ra=$(m_replay "$ACT" "$in") || { fail "no replay state for $ACT's outbound SA $in"; return 1; }
  rb=$(m_replay "$SBY" "$in") || { fail "no replay state for $SBY's outbound SA $in"; return 1; }
  rr=$(m_replay road "$in") || { fail "no replay state for road's inbound SA $in"; return 1; }
  say "outbound SA $in: $ACT's kernel oseq ${ra% *} (left by the dead daemon), $SBY's oseq ${rb% *}; road's inbound seq ${rr#* }"
  [ "${rb% *}" -gt $(( ${ra% *} + margin )) ] \
    || { fail "$SBY's outbound oseq ${rb% *} is not past $ACT's ${ra% *} + cluster-seq-margin $margin"; return 1; }
  [ "${rr#* }" -gt $(( ${ra% *} + margin )) ] \
    || { fail "road's inbound SA never saw $SBY's sequence numbers (seq ${rr#* })"; return 1; }

  # ---- no renegotiation: charon's SAs keep their SPIs
  local ike1 child1; ike1=$(m_ikespis); child1=$(m_childspis)
  say "charon after: IKE SA $ike1; Child SA $child1"
  [ -n "$ike1" ] && [ "$ike1" = "$ike0" ] && [ "$child1" = "$child0" ] \
    || { fail "charon renegotiated: IKE SA $ike0 -> $ike1, Child SA $child0-> $child1"; return 1; }
  m_synced() { grep -q 'RFC 6311 message ID sync done' "$LABDIR/$SBY/pluto.log" && grep -q 'requested MID sync' "$cd/charon.log"; }
  m_await 30 "the RFC 6311 message ID sync in $SBY's and charon's logs" m_synced || return 1
  say "$SBY: $(grep -o 'RFC 6311 message ID sync done.*' "$LABDIR/$SBY/pluto.log" | tail -n 1)"

  # ---- a rekey afterwards: charon asks, the new node answers from the replicated SK_d and installs the new SAs in its kernel
  m_swan --rekey --child net > "$cd/rekey.out" 2>&1 || { fail "swanctl --rekey --child net"; return 1; }
  m_rekeyed() { local c; c=$(m_childspis); [ -n "$c" ] && [ "$c" != "$child1" ]; }
  m_await 60 "the Child SA rekey changes its SPIs" m_rekeyed || return 1
  local child2 in2; child2=$(m_childspis); in2=$(printf '%s\n' "$child2" | sed -n 's/.*in \([0-9a-f]*\).*/\1/p')
  xfrm_has_spi "$SBY" "0x$in2" || return 1
  m_await 20 "pings after the rekey" m_ping || return 1
  say "rekeyed by $SBY: Child SA now $child2; pings pass"
}
