# c: forceencaps=yes on both ends: IKE moves to 4500 and the kernel SAs carry ESP in UDP (RFC 3948)
scenario_c_title="UDP encapsulation (forceencaps=yes)"
scenario_c() {
  conn_up west encaps || return 1
  check_spis encaps || return 1
  local h line
  for h in west east; do
    line=$(on "$h" ip xfrm state list proto esp | grep 'encap type espinudp' | head -n 1)
    [ -n "$line" ] || { fail "$h: ip xfrm state shows no 'encap espinudp'"; on "$h" ip xfrm state list proto esp; return 1; }
    say "$h ip xfrm state:$line"
  done
  local before after
  before=$(xfrm_counters east "$WH_OUT")
  ping_across 10 0.2 || return 1
  after=$(xfrm_counters east "$WH_OUT")
  say "east inbound SA $WH_OUT: ${before#* } -> ${after#* } packets"
  [ "${after#* }" -ge $(( ${before#* } + 10 )) ] || { fail "east's inbound encapsulated SA did not count the pings"; return 1; }
  conn_down west encaps
}
