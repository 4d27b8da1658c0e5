# f: pluto (netkey) on west <-> strongSwan charon (kernel-netlink: the kernel's ESP, no encapsulation) on
# east, in place of east's pluto. pluto initiates, then charon does (swanctl --initiate); ping both times;
# swanctl --list-sas shows the Child SA INSTALLED with the SPIs pluto reports.
scenario_f_title="pluto (netkey) <-> strongSwan charon (kernel-netlink), both directions"
CHARON=${OJ_CHARON:-/usr/lib/ipsec/charon}
CHARON_DIR=/tmp/netkey-lab-charon-$LAB    # not under /run: charon gets a private tmpfs there

charon_conf() { # dir
  cat > "$1/strongswan.conf" <<CONF
charon {
  load_modular = no
  load = random nonce openssl aes sha1 sha2 hmac gcm kdf pem pkcs1 pkcs8 x509 constraints pubkey curve25519 kernel-netlink socket-default vici
  port = 500
  port_nat_t = 4500
  filelog {
    stderr {
      time_format = %T
      default = 1
      ike = 2
      knl = 2
    }
  }
  plugins {
    vici {
      socket = unix:///run/charon.vici
    }
  }
}
CONF
  cat > "$1/swanctl.conf" <<CONF
connections {
  westnet-eastnet {
    version = 2
    local_addrs = $E_IP
    remote_addrs = $W_IP
    proposals = aes128gcm16-prfsha256-x25519
    local {
      auth = psk
      id = @east
    }
    remote {
      auth = psk
      id = @west
    }
    children {
      net {
        local_ts = 192.0.2.0/24
        remote_ts = 192.0.1.0/24
        esp_proposals = aes128gcm16-x25519,aes128gcm16
        start_action = none
      }
    }
  }
$(charon_cert_conns)
}
secrets {
  ike-west {
    id-1 = @east
    id-2 = @west
    secret = "$PSK"
  }
}
CONF
}

charon_start() { # on east, private /run (its pid file and vici socket); a charon already running (k) is kept
  local d=$CHARON_DIR i
  mkdir -p "$d"/{x509,x509ca,x509ocsp,x509aa,x509ac,x509crl,pubkey,private,rsa,ecdsa,bliss,pkcs8,pkcs12}
  charon_conf "$d"
  charon_certs "$d"
  if [ -f "$d/charon.pid" ] && kill -0 "$(cat "$d/charon.pid")" 2>/dev/null; then
    swanctl --load-all --noprompt --file "$d/swanctl.conf" >/dev/null || { fail "swanctl --load-all failed"; return 1; }
    say "charon on east (pid $(cat "$d/charon.pid")) runs already: its conns reloaded"
    return 0
  fi
  ip netns exec "$E_NS" unshare -m --propagation private sh -c \
    'mount -n -t tmpfs none /run && STRONGSWAN_CONF="$1/strongswan.conf" exec "$2"' sh "$d" "$CHARON" \
    > "$d/charon.log" 2>&1 < /dev/null &
  echo $! > "$d/charon.pid"
  for i in $(seq 1 240); do
    nsenter -t "$(cat "$d/charon.pid")" -m -n test -S /run/charon.vici 2>/dev/null && break
    kill -0 "$(cat "$d/charon.pid")" 2>/dev/null || { fail "charon exited:"; tail -n 10 "$d/charon.log"; return 1; }
    sleep 0.25
  done
  swanctl --load-all --noprompt --file "$d/swanctl.conf" >/dev/null || { fail "swanctl --load-all failed"; return 1; }
  say "charon on east: pid $(cat "$d/charon.pid"), plugins: kernel-netlink (no kernel-libipsec)"
}
charon_stop() {
  local f=$CHARON_DIR/charon.pid pid
  pid=$(cat "$f" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null; rm -f "$f"
}
swanctl() { nsenter -t "$(cat "$CHARON_DIR/charon.pid")" -m -n /usr/sbin/swanctl "$@" --uri unix:///run/charon.vici; }

# swanctl --list-sas shows net INSTALLED with both of pluto's SPIs (charon names them from its side)
charon_has_spis() {
  local sas; sas=$(swanctl --list-sas 2>&1)
  printf '%s\n' "$sas" | grep -E 'INSTALLED|in  |out ' | sed 's/^/    swanctl: /'
  printf '%s\n' "$sas" | grep 'net: #[0-9]*, reqid [0-9]*, INSTALLED, TUNNEL' >/dev/null || { fail "charon's Child SA is not INSTALLED"; return 1; }
  local in=${WH_IN#0x} out=${WH_OUT#0x}
  printf '%s\n' "$sas" | grep "in  *c\?$out" >/dev/null && printf '%s\n' "$sas" | grep "out *c\?$in" >/dev/null \
    || { fail "charon's SPIs are not pluto's (in $WH_OUT, out $WH_IN from charon's side)"; return 1; }
  say "charon's inbound SPI is pluto's outbound $WH_OUT and the reverse"
}

scenario_f() {
  pluto_stop east
  [ -z "$(on east ip xfrm policy list | grep -v 'socket\|^$')" ] || say "east's pluto left policies behind:"
  charon_start || return 1
  say "-- pluto initiates"
  conn_up west charon || return 1
  check_spis charon || return 1
  charon_has_spis || return 1
  ping_across 5 0.2 || return 1
  auto west --down charon >/dev/null 2>&1
  sleep 2
  say "-- charon initiates (swanctl --initiate --child net)"
  swanctl --initiate --child net --timeout 60 2>&1 | tail -n 2 | sed 's/^/    /'
  local s i
  for i in $(seq 1 20); do s=$(child_spis west '*') && break; sleep 0.5; done
  [ -n "$s" ] || { fail "pluto shows no IPsec SA after charon initiated"; return 1; }
  read -r WH_IN WH_OUT WH_CONN <<< "$s"
  say "west whack --status: $WH_CONN inbound SPI $WH_IN, outbound SPI $WH_OUT"
  xfrm_has_spi west "$WH_IN" && xfrm_has_spi east "$WH_OUT" || return 1
  charon_has_spis || return 1
  ping_across 5 0.2 || return 1
}
