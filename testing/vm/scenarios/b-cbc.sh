# b: as a, with esp=aes128-sha2_256 (AES-CBC + HMAC-SHA2-256-128)
scenario_b_title="pluto<->pluto netkey, tunnel AES-CBC-128 + HMAC-SHA2-256"
scenario_b() {
  esp_traffic_checks cbc 'enc cbc(aes)' || return 1
  on west ip xfrm state list proto esp | grep 'auth-trunc hmac(sha256) 0x[0-9a-f]* 128' >/dev/null \
    || { fail "west's kernel SAs are not hmac(sha256) truncated to 128 bits"; return 1; }
  say "kernel integrity: auth-trunc hmac(sha256) 128"
  conn_down west cbc
}
