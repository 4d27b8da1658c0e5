# a: pluto <-> pluto, IKEv2 PSK, tunnel mode, ESP AES-GCM-128 in the kernel: ping, 2 MB over TCP, the SPIs
# pluto reports are the kernel's, the kernel's counters grow, ipsec look shows the kernel state.
scenario_a_title="pluto<->pluto netkey, IKEv2 PSK, tunnel AES-GCM-128"
scenario_a() {
  esp_traffic_checks gcm 'aead rfc4106(gcm(aes))' || return 1
  local look; look=$(ipsec west look --ctlbase "$LABDIR/west/pluto" 2>&1)
  printf '%s\n' "$look" | grep "spi $WH_OUT" >/dev/null || { fail "ipsec look does not show SA $WH_OUT:"; printf '%s\n' "$look" | head; return 1; }
  say "ipsec look: $(printf '%s\n' "$look" | grep -c '^src') SA/policy entries, e.g.: $(printf '%s\n' "$look" | grep -A1 "spi $WH_OUT" | tr '\n\t' '  ')"
  conn_down west gcm
}

# up, then: SPIs in both kernels, the kernel algorithm, ping 10/10, TCP 2 MB, counters grew on both sides
esp_traffic_checks() { # conn kernel-alg-text
  conn_up west "$1" || return 1
  check_spis "$1" || return 1
  on west ip xfrm state list proto esp | grep "$2" >/dev/null \
    || { fail "west's kernel SAs do not use $2"; on west ip xfrm state list proto esp; return 1; }
  say "kernel algorithm: $2"
  local before after
  before=$(xfrm_counters west "$WH_OUT") || { fail "no counters for $WH_OUT"; return 1; }
  ping_across 10 0.2 || return 1
  tcp_transfer 2 || return 1
  after=$(xfrm_counters west "$WH_OUT")
  local eastin; eastin=$(xfrm_counters east "$WH_OUT")
  say "ip -s xfrm state, SA $WH_OUT: west out ${before% *} -> ${after% *} bytes (${after#* } packets); east in ${eastin% *} bytes"
  [ "${after% *}" -gt $(( ${before% *} + 2000000 )) ] || { fail "west's outbound SA counted too few bytes"; return 1; }
  [ "${eastin% *}" -gt 2000000 ] || { fail "east's inbound SA counted too few bytes"; return 1; }
}
