# k: X.509 certificates on netkey (issue 10), pluto (west) <-> strongSwan charon (east, kernel-netlink, in place of
# east's pluto as in f). A root CA (EC P-256) and host certificates, made with openssl on the host before the guest
# boots (netkey-lab, NETKEY_LAB_PKI): west-ec/east-ec (P-256) and west-rsa/east-rsa (RSA 2048). pluto initiates
# IKEv2 with the ECDSA certificates (conn certec), then IKEv1 Main Mode with the RSA ones (certrsa): each time the
# tunnel is up, whack --status names charon's subject and issuer, the SPIs are in both kernels, the pings are
# counted by the ESP SAs, and --down leaves no ESP SA.
scenario_k_title="X.509 on netkey: pluto <-> charon, IKEv2 ECDSA P-256 and IKEv1 Main Mode RSA certificates"
PKI_DIR=${NETKEY_LAB_PKI:-}
PKI_CA_DN="C=CA, O=Lab, CN=Lab Root CA"

# west's and east's pluto: the CA, the host's two certificates and keys, their secrets lines (write_pluto_conf)
pluto_pki() { # host
  local h=$1 d=$LABDIR/$1 t
  [ -n "$PKI_DIR" ] && [ -f "$PKI_DIR/ca.pem" ] || return 0
  install -m 0644 "$PKI_DIR/ca.pem" "$d/ipsec.d/cacerts/"
  for t in ec rsa; do
    install -m 0644 "$PKI_DIR/$h-$t.pem" "$d/ipsec.d/certs/"
    install -m 0600 "$PKI_DIR/$h-$t.key" "$d/ipsec.d/private/"
  done
  printf ': ECDSA %s-ec.key\n: RSA %s-rsa.key\n' "$h" "$h" >> "$d/ipsec.secrets"
}
# the two conns, as both gateways could share them (each pluto finds itself by its address)
pluto_cert_conns() {
  local v t
  for v in "certec 2 ec" "certrsa 1 rsa"; do
    set -- $v
    printf 'conn %s\n\tikev2=%s\n\tauthby=rsasig\n' "$1" "$([ "$2" = 2 ] && echo insist || echo never)"
    printf '\tleft=%s\n\tleftsubnet=192.0.1.0/24\n\tleftcert=west-%s.pem\n\tleftid=%%fromcert\n\tleftsendcert=always\n' "$W_IP" "$3"
    printf '\tright=%s\n\trightsubnet=192.0.2.0/24\n\trightid="C=CA, O=Lab, CN=east-%s"\n\trightca=%%same\n' "$E_IP" "$3"
    if [ "$2" = 2 ]; then printf '\tike=aes128gcm16-sha2_256;x25519\n\tesp=aes128gcm16\n'
    else printf '\tike=aes128-sha2_256-modp2048\n\tesp=aes128-sha1\n'; fi
    printf '\tauto=add\n\n'
  done
}

# charon's side: the CA and east's certificates and keys beside its swanctl.conf, and the two conns
charon_certs() { # dir
  [ -n "$PKI_DIR" ] && [ -f "$PKI_DIR/ca.pem" ] || return 0
  install -m 0644 "$PKI_DIR/ca.pem" "$1/x509ca/"
  install -m 0644 "$PKI_DIR/east-ec.pem" "$PKI_DIR/east-rsa.pem" "$1/x509/"
  install -m 0600 "$PKI_DIR/east-ec.key" "$PKI_DIR/east-rsa.key" "$1/private/"
}
charon_cert_conns() {
  [ -n "$PKI_DIR" ] && [ -f "$PKI_DIR/ca.pem" ] || return 0
  local v
  for v in "certec 2 ec aes128gcm16-prfsha256-x25519 aes128gcm16" "certrsa 1 rsa aes128-sha256-modp2048 aes128-sha1-modp2048"; do
    set -- $v
    cat <<CONF
  $1 {
    version = $2
    local_addrs = $E_IP
    remote_addrs = $W_IP
    proposals = $4
    local {
      auth = pubkey
      certs = east-$3.pem
      id = "C=CA, O=Lab, CN=east-$3"
    }
    remote {
      auth = pubkey
      id = "C=CA, O=Lab, CN=west-$3"
    }
    children {
      net-$3 {
        local_ts = 192.0.2.0/24
        remote_ts = 192.0.1.0/24
        esp_proposals = $5
        start_action = none
      }
    }
  }
CONF
  done
}

scenario_k() {
  [ -n "$PKI_DIR" ] && [ -f "$PKI_DIR/ca.pem" ] || { fail "no PKI (netkey-lab makes it on the host with openssl)"; return 1; }
  pluto_stop east
  charon_start || return 1
  say "charon: $(swanctl --list-certs 2>/dev/null | grep -c 'subject:') certificates loaded"
  local a b; auto west --add certec > "$LABDIR/k-add1.out" 2>&1 & a=$!; auto west --add certrsa > "$LABDIR/k-add2.out" 2>&1 & b=$!
  wait $a && wait $b || { fail "ipsec auto --add certec/certrsa on west:"; cat "$LABDIR"/k-add?.out; return 1; }
  grep -h 'warn\|WARN' "$LABDIR"/k-add?.out | sed 's/^/    auto --add: /'
  k_one certec 2 ec && k_one certrsa 1 rsa
}

k_one() { # conn version ec|rsa
  local c=$1 v=$2 t=$3 out
  say "-- IKEv$v, $(printf %s "$t" | tr a-z A-Z) certificates (conn $c)"
  conn_up west "$c" || { swanctl --list-sas 2>&1 | head -n 5 | sed 's/^/    swanctl: /'; return 1; }
  local peer="C=CA, O=Lab, CN=east-$t"
  out=$(whack west --status 2>&1 | grep "\"$c\"" | grep -F "peer='$peer' issuer='$PKI_CA_DN'")
  [ -n "$out" ] || { fail "whack --status does not name peer='$peer' issuer='$PKI_CA_DN':"; whack west --status | grep "\"$c\"" | sed 's/^/    /'; return 1; }
  say "whack --status: $(printf '%s\n' "$out" | head -n 1 | sed 's/.*\(peer=\)/\1/')"
  check_spis "$c" || return 1
  local sas; sas=$(swanctl --list-sas --ike "$c" 2>&1)
  printf '%s\n' "$sas" | grep -q "net-$t: #[0-9]*, reqid [0-9]*, INSTALLED, TUNNEL" || { fail "charon's Child SA net-$t is not INSTALLED"; return 1; }
  printf '%s\n' "$sas" | grep -q "in  *${WH_OUT#0x}" || { fail "charon's inbound SPI is not pluto's outbound $WH_OUT"; return 1; }
  say "charon: $(printf '%s\n' "$sas" | grep -m1 "$c: #" | sed 's/^ *//'), $(printf '%s\n' "$sas" | grep -m1 'remote ' | sed 's/^ *//')"
  local before after eastin
  before=$(xfrm_counters west "$WH_OUT")
  ping_across 10 0.2 || return 1
  after=$(xfrm_counters west "$WH_OUT"); eastin=$(xfrm_counters east "$WH_OUT")
  say "ip -s xfrm state, SA $WH_OUT: west out ${before#* } -> ${after#* } packets; east (charon's) in ${eastin#* } packets"
  [ "${after#* }" -ge $(( ${before#* } + 10 )) ] || { fail "west's outbound ESP SA did not count the pings"; return 1; }
  [ "${eastin#* }" -ge 10 ] || { fail "east's inbound ESP SA did not count the pings"; return 1; }
  conn_down west "$c"
}
