# Sourced by testing/vm/netkey-lab inside the guest (and usable on the host for dry runs): the two-host lab,
# pluto and charon per namespace, and the checks the scenarios share. Every check prints its evidence;
# a scenario fails by returning non-zero from a check (the driver prints PASS/FAIL).
# Names: namespaces $LAB-west / $LAB-east, directories $LABDIR/{west,east}.

LAB=${NETKEY_LAB_NAME:-nk}
LABDIR=/run/oj-lab/$LAB
TOP=${TOP:?}
IPSEC_TOP=${NETKEY_LAB_IPSEC_TOP:-$TOP}   # bin/ipsec and pluto's jars (netkey-lab runs a snapshot of them)
W_NS=$LAB-west; E_NS=$LAB-east
W_IP=192.1.2.45; E_IP=192.1.2.23
W_NET=192.0.1.254; E_NET=192.0.2.254
PSK="netkey-lab-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
# pluto and the CLIs in the guest: C1 JIT only (the guest emulates the CPU, JIT work costs more than it saves)
export PLUTO_JAVA_OPTS=${PLUTO_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto}
export IPSEC_JAVA_OPTS=${IPSEC_JAVA_OPTS:--Xshare:auto}

ms() { date +%s%3N; }
say() { printf '  %s\n' "$*"; }
fail() { printf '  FAILED: %s\n' "$*"; return 1; }
on() { local h=$1; shift; ip netns exec "$LAB-$h" "$@"; }
ipsec() { local h=$1; shift; on "$h" "$IPSEC_TOP/bin/ipsec" "$@"; }
whack() { local h=$1; shift; ipsec "$h" whack --ctlbase "$LABDIR/$h/pluto" "$@"; }
auto() { local h=$1; shift; ipsec "$h" auto --ctlbase "$LABDIR/$h/pluto" --config "$LABDIR/$h/ipsec.conf" "$@"; }

# Each host gets a default route via the other, as a gateway on the Internet has one: Openswan's netkey
# updown adds no route (only with leftsourceip or ROUTE=yes), the kernel's XFRM policy catches the packet
# only after a route was found for it.
lab_up() {
  "$TOP/testing/lab/lab-up" --name "$LAB" >/dev/null || return 1
  on west ip route add default via "$E_IP" dev eth0 && on east ip route add default via "$W_IP" dev eth0
}
lab_down() {
  "$TOP/testing/lab/lab-down" --name "$LAB" >/dev/null 2>&1 || true
}

# conns shared by both plutos (left = west, right = east; each pluto orients itself by its own address)
conn_block() { # name extra-lines...
  local name=$1; shift
  printf 'conn %s\n\tikev2=insist\n\tauthby=secret\n\tleft=%s\n\tleftid=@west\n\tleftsubnet=192.0.1.0/24\n' \
    "$name" "$W_IP"
  printf '\tright=%s\n\trightid=@east\n\trightsubnet=192.0.2.0/24\n\tike=aes128gcm16-sha2_256;x25519\n' "$E_IP"
  local l; for l in "$@"; do printf '\t%s\n' "$l"; done
  echo
}
write_pluto_conf() { # host
  local d=$LABDIR/$1
  mkdir -p "$d/ipsec.d"/{policies,certs,cacerts,private,crls}
  {
    printf 'config setup\n\tprotostack=netkey\n\tuniqueids=yes\n\n'
    conn_block gcm 'phase2alg=aes128gcm16' 'auto=add'
    conn_block cbc 'esp=aes128-sha2_256' 'auto=add'
    conn_block encaps 'phase2alg=aes128gcm16' 'forceencaps=yes' 'auto=add'
    conn_block rekey 'phase2alg=aes128gcm16' 'salifetime=40s' 'rekeymargin=15s' 'rekeyfuzz=0%' 'auto=add'
    conn_block route 'phase2alg=aes128gcm16' 'auto=route'
    conn_block charon 'phase2alg=aes128gcm16' 'auto=add'
    conn_block shunt 'phase2alg=aes128gcm16' 'auto=add'
    conn_block natmove 'phase2alg=aes128gcm16' 'auto=add'
    conn_block pass253 'type=passthrough' 'auto=route' | sed 's|rightsubnet=192.0.2.0/24|rightsubnet=192.0.2.253/32|'
    conn_block restart 'phase2alg=aes128gcm16' 'auto=add' \
      | sed 's|leftsubnet=192.0.1.0/24|leftsubnets={10.1.1.0/24 10.1.2.0/24 10.1.3.0/24 10.1.4.0/24}|;
             s|rightsubnet=192.0.2.0/24|rightsubnets={10.2.1.0/24 10.2.2.0/24 10.2.3.0/24 10.2.4.0/24 10.2.5.0/24}|'
    [ -z "${PKI_DIR:-}" ] || pluto_cert_conns      # k's certificate conns (k-cert.sh)
  } > "$d/ipsec.conf"
  printf '@west @east : PSK "%s"\n' "$PSK" > "$d/ipsec.secrets"
  chmod 600 "$d/ipsec.secrets"
  [ -z "${PKI_DIR:-}" ] || pluto_pki "$1"          # and their CA, certificates and keys
}

# Starts pluto in HOST's namespace (not waiting); pluto_wait HOST... waits until each answers whack.
pluto_launch() { # host
  local h=$1 d=$LABDIR/$1
  write_pluto_conf "$h"
  date +%s%3N > "$d/pluto-start.ms"
  ip netns exec "$LAB-$h" "$IPSEC_TOP/bin/ipsec" pluto --nofork --stderrlog --ctlbase "$d/pluto" \
    --config "$d/ipsec.conf" --secretsfile "$d/ipsec.secrets" --ipsecdir "$d/ipsec.d" --use-netkey \
    > "$d/pluto.log" 2>&1 < /dev/null &
  echo $! > "$d/pluto-lab.pid"
}
pluto_wait() { # hosts...
  local h d i ok
  for h in "$@"; do
    d=$LABDIR/$h; ok=0
    for i in $(seq 1 1200); do
      if [ -S "$d/pluto.ctl" ] && whack "$h" --status >/dev/null 2>&1 < /dev/null; then ok=1; break; fi
      kill -0 "$(cat "$d/pluto-lab.pid")" 2>/dev/null || break
      sleep 0.25
    done
    if [ $ok = 0 ]; then fail "pluto on $h did not start; end of its log:"; tail -n 20 "$d/pluto.log"; return 1; fi
    say "pluto on $h (pid $(cat "$d/pluto-lab.pid")) answers whack $(( $(ms) - $(cat "$d/pluto-start.ms") )) ms after launch"
  done
}
pluto_stop() { # host
  local d=$LABDIR/$1 pid
  pid=$(cat "$d/pluto-lab.pid" 2>/dev/null) || return 0
  whack "$1" --shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null
  for _ in $(seq 1 240); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$d/pluto-lab.pid"
}

PY=/usr/bin/python3

# ---------------------------------------------------------------------------------------------- checks
# auto --up CONN from HOST; the output must say the IPsec SA is established
conn_up() { # host conn
  local out t; t=$(ms)
  out=$(auto "$1" --up "$2" 2>&1); local rc=$?
  printf '%s\n' "$out" | sed 's/^/    /' | tail -n 4
  printf '%s\n' "$out" | grep "IPsec SA established" >/dev/null \
    || { fail "ipsec auto --up $2 (exit $rc) did not establish an IPsec SA"; return 1; }
  say "$2 up from $1 in $(( $(ms) - t )) ms"
}
# ipsec auto --add CONN on the given hosts (in parallel: each is a JVM start)
conns_add() { # conn hosts...
  local c=$1 h pids=() rc=0; shift
  for h in "$@"; do auto "$h" --add "$c" > "$LABDIR/$h/add.out" 2>&1 & pids+=($!); done
  for h in "${pids[@]}"; do wait "$h" || rc=1; done
  [ $rc = 0 ] || { fail "ipsec auto --add $c failed:"; cat "$LABDIR"/*/add.out; }
  return $rc
}
conns_delete() { # conn hosts...
  local c=$1 h pids=(); shift
  for h in "$@"; do auto "$h" --delete "$c" >/dev/null 2>&1 & pids+=($!); done
  for h in "${pids[@]}"; do wait "$h"; done
  return 0
}
conn_down() { # host conn: down, and no ESP SA of this pair left in either kernel after a few seconds
  auto "$1" --down "$2" >/dev/null 2>&1
  local i
  for i in $(seq 1 40); do
    [ -z "$(esp_tunnel_sas west)$(esp_tunnel_sas east)" ] && return 0
    sleep 0.5
  done
  say "after --down $2 the kernels still hold ESP SAs:"; on west ip xfrm state list proto esp | grep '^src\|spi'
  on east ip xfrm state list proto esp | grep '^src\|spi'
}

# keyed ESP tunnel SAs in HOST's kernel (not the larval ones ALLOCSPI leaves), one "spi 0x..." line each
esp_tunnel_sas() { on "$1" ip xfrm state list proto esp | grep 'mode tunnel' | sed 's/.*\(spi 0x[0-9a-f]*\).*/\1/'; }

# "IN OUT" SPIs (0x%08x) of CONN's newest IPsec SA in HOST's pluto (CONN '*': any conn), from whack --status --json
child_spis() { # host conn
  whack "$1" --status --json 2>/dev/null | "$PY" -c '
import json, sys
conn = sys.argv[1]
line = [l for l in sys.stdin.read().splitlines() if "{" in l][-1]
doc = json.loads(line[line.index("{"):])
kids = [s for s in doc["states"] if s["kind"] == "IPSEC" and conn in ("*", s["conn"])]
newest = {c["newestIpsecSa"] for c in doc["connections"] if conn in ("*", c["name"])}
kids = [k for k in kids if k["serial"] in newest] or kids[-1:]
print(kids[-1]["inSpi"], kids[-1]["outSpi"], kids[-1]["conn"]) if kids else sys.exit(1)' "$2"
}

# the SPI is an ESP state in HOST's kernel (ip xfrm state); prints its src/dst line as evidence
xfrm_has_spi() { # host spi
  local line
  line=$(on "$1" ip xfrm state list proto esp | grep -B1 "spi $2 " | head -n 2 | tr '\n\t' '  ')
  [ -n "$line" ] || { fail "$1: ip xfrm state has no ESP SA with spi $2"; return 1; }
  say "$1 ip xfrm state: $line"
}

# bytes and packets of the ESP SA with SPI in HOST's kernel, "BYTES PACKETS" (ip -s xfrm state)
xfrm_counters() { # host spi
  on "$1" ip -s xfrm state list proto esp | "$PY" -c '
import re, sys
spi, text = sys.argv[1], sys.stdin.read()
for block in re.split(r"\n(?=src )", text):
    if re.search(r"spi %s\b" % spi, block):
        m = re.search(r"lifetime current:\s*\n\s*(\d+)\(bytes\), (\d+)\(packets\)", block)
        print(m.group(1), m.group(2)) if m else sys.exit(2)
        sys.exit(0)
sys.exit(1)' "$2"
}

# N pings 192.0.1.254 -> 192.0.2.254 at INTERVAL; need MIN replies (default all). Prints ping's summary.
ping_across() { # count interval [min]
  local n=$1 iv=$2 min=${3:-$1} out got
  out=$(on west ping -n -q -c "$n" -i "$iv" -W 3 -I "$W_NET" "$E_NET" 2>&1)
  got=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
  say "ping: $(printf '%s\n' "$out" | grep 'packets transmitted')"
  [ "${got:-0}" -ge "$min" ] || { fail "ping: ${got:-0} of $n replies, needed $min"; return 1; }
}

# MB of random bytes over TCP from 192.0.1.254 (west) to 192.0.2.254:5001 (east); sha256 must match
tcp_transfer() { # megabytes
  local mb=$1 d=$LABDIR sent got
  rm -f "$d/tcp.sha"
  on east "$PY" -c '
import hashlib, socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.254", 5001)); s.listen(1); s.settimeout(120)
c, _ = s.accept(); c.settimeout(120); h = hashlib.sha256(); n = 0
while True:
    b = c.recv(65536)
    if not b: break
    h.update(b); n += len(b)
open(sys.argv[1], "w").write("%s %d\n" % (h.hexdigest(), n))' "$d/tcp.sha" &
  local srv=$! t; t=$(ms)
  sent=$(on west "$PY" -c '
import hashlib, os, socket, sys, time
data = os.urandom(int(sys.argv[1]) * 1048576)
for i in range(100):
    try:
        c = socket.create_connection(("192.0.2.254", 5001), timeout=60, source_address=("192.0.1.254", 0)); break
    except ConnectionRefusedError:
        time.sleep(0.2)
c.sendall(data); c.close()
print(hashlib.sha256(data).hexdigest(), len(data))' "$mb")
  wait $srv
  got=$(cat "$d/tcp.sha" 2>/dev/null)
  say "tcp: sent ${sent:-nothing} / received ${got:-nothing} in $(( $(ms) - t )) ms"
  [ -n "$sent" ] && [ "$sent" = "$got" ] || { fail "the TCP transfer did not arrive intact"; return 1; }
}

# the SPIs pluto reports are in both kernels; prints them in WH_IN / WH_OUT
check_spis() { # conn
  local s; s=$(child_spis west "$1") || { fail "whack --status --json on west lists no IPsec SA of $1"; return 1; }
  read -r WH_IN WH_OUT WH_CONN <<< "$s"
  say "west whack --status: $1 inbound SPI $WH_IN, outbound SPI $WH_OUT"
  xfrm_has_spi west "$WH_IN" && xfrm_has_spi west "$WH_OUT" && xfrm_has_spi east "$WH_IN" && xfrm_has_spi east "$WH_OUT"
}
