# h: the Debian package as an admin replacing strongSwan's starter installs it (after f: east runs charon).
# In the guest's throw-away overlay: dpkg removes strongswan-starter (it owns /usr/sbin/ipsec and /etc/ipsec.conf;
# charon stays), installs packaging/target/openswanj_*.deb (what `mvn package` made), west's lab pluto makes way,
# /etc/ipsec.conf and /etc/ipsec.secrets get the conn to charon, `ipsec setup start` from /usr/sbin/ipsec starts
# pluto on netkey, `ipsec auto --up charon` brings the tunnel up, pings cross, `ipsec setup stop` ends it.
scenario_h_title="the Debian package installed with dpkg: ipsec setup start, auto --up to charon, ping, setup stop"
DEB=${NETKEY_LAB_DEB:-}

scenario_h() {
  [ -n "$DEB" ] && [ -f "$DEB" ] || { fail "no Debian package (mvn -q -DskipTests package makes packaging/target/*.deb)"; return 1; }
  local out
  if [ ! -f "$CHARON_DIR/charon.pid" ]; then pluto_stop east; charon_start || return 1; fi   # run without f
  # the guest has no systemd: the package's scripts must cope; --force-depends: the strongswan metapackage stays
  out=$(dpkg --purge --force-depends strongswan-starter 2>&1) || { printf '%s\n' "$out" | tail -n 5; fail "dpkg --purge strongswan-starter"; return 1; }
  out=$(dpkg -i "$DEB" 2>&1) || { printf '%s\n' "$out" | tail -n 8; fail "dpkg -i $(basename "$DEB")"; return 1; }
  printf '%s\n' "$out" | grep -E '^(Unpacking|Setting up)' | sed 's/^/    dpkg: /'
  [ "$(readlink /usr/sbin/ipsec)" = ../lib/openswanj/bin/ipsec ] || { fail "/usr/sbin/ipsec is not the package's"; return 1; }
  [ "$(stat -c %a /etc/ipsec.secrets)" = 600 ] || { fail "/etc/ipsec.secrets is not 0600"; return 1; }
  say "$(/usr/sbin/ipsec --version | head -n 1)"
  pluto_stop west
  {
    printf 'config setup\n\tprotostack=netkey\n\tplutostderrlog=/tmp/h-pluto.log\n\n'
    conn_block charon 'phase2alg=aes128gcm16' 'auto=add'
  } > /etc/ipsec.conf
  printf '@west @east : PSK "%s"\n' "$PSK" > /etc/ipsec.secrets
  local t; t=$(ms)
  out=$(IPSEC_SETUP_TIMEOUT=600 on west /usr/sbin/ipsec setup start 2>&1) \
    || { printf '%s\n' "$out" | sed 's/^/    /'; tail -n 15 /tmp/h-pluto.log 2>/dev/null | sed 's/^/    pluto: /'; fail "ipsec setup start"; return 1; }
  printf '%s\n' "$out" | sed 's/^/    /' | tail -n 3
  say "ipsec setup start returned after $(( $(ms) - t )) ms"
  out=$(on west /usr/sbin/ipsec auto --up charon 2>&1); local rc=$?
  printf '%s\n' "$out" | tail -n 3 | sed 's/^/    /'
  printf '%s\n' "$out" | grep "IPsec SA established" >/dev/null \
    || { tail -n 15 /tmp/h-pluto.log | sed 's/^/    pluto: /'; fail "ipsec auto --up charon (exit $rc)"; return 1; }
  [ -n "$(esp_tunnel_sas west)" ] || { fail "no ESP SA in west's kernel"; return 1; }
  charon_has_spis_any || return 1
  ping_across 5 0.2 || return 1
  out=$(on west /usr/sbin/ipsec setup stop 2>&1) || { printf '%s\n' "$out"; fail "ipsec setup stop"; return 1; }
  sleep 2
  [ -z "$(esp_tunnel_sas west)" ] || { fail "ESP SAs left in west's kernel after setup stop"; return 1; }
  say "ipsec setup stop: pluto gone, no ESP SA left on west"
}

# charon lists an INSTALLED Child SA (any SPIs: pluto's own status is the package's now)
charon_has_spis_any() {
  swanctl --list-sas 2>&1 | grep 'net: #[0-9]*, reqid [0-9]*, INSTALLED, TUNNEL' >/dev/null \
    || { fail "charon's Child SA is not INSTALLED"; return 1; }
  say "charon: Child SA net INSTALLED"
}
