# Shared by the OE lab scripts (sourced, not run): one LAN (a bridge in its own namespace) with nic (BIND 9)
# and the hosts west, east, north, south, each a namespace with one veth port on the bridge.
# Addresses are Openswan's test-suite ones (192.1.2.0/24) plus 2001:db8:1:2::/64; they exist only inside
# the lab's namespaces. Builds on testing/lab/lib.sh (die, --name parsing, pid-file handling).
oe_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$oe_here/../lab/lib.sh"
# The default prefix carries $OJ_LAB_TAG, so two checkouts never share (or take down) each other's lab.
LAB_NAME=${OJ_LAB_NAME:-oe${OJ_LAB_TAG:-}}
OE_TOP=$(cd "$oe_here/../.." && pwd)
OE_HOSTS_ALL=(west east north south)
OE_DOMAIN=oe.test
OE_REV4=2.1.192.in-addr.arpa
OE_REV4_SUBNET=2.0.192.in-addr.arpa          # east's subnet 192.0.2.0/24: delegated to east (gateway records)
OE_REV6=2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa
OE_ZONES=("$OE_DOMAIN" "$OE_REV4" "$OE_REV4_SUBNET" "$OE_REV6")

oe_check_host() {
  case "${1:-}" in
    nic|west|east|north|south) ;;
    *) die "unknown host '${1:-}' (nic, west, east, north or south)";;
  esac
}
# host -> the last part of its addresses on the LAN
oe_suffix() { case "$1" in nic) echo 254;; west) echo 45;; east) echo 23;; north) echo 33;; south) echo 66;; snat) echo 99;; esac; }
oe_addr4() { echo "192.1.2.$(oe_suffix "$1")"; }
oe_natted_addr4() { echo "192.1.3.$(oe_suffix "$1")"; }   # a host behind snat (oe-up --behind-nat)
oe_addr6() { echo "2001:db8:1:2::$(oe_suffix "$1")"; }
oe_lan_ns() { lab_ns lan; }

oe_require_up() {
  [ -d "$LAB_DIR" ] && lab_ns_exists "$(lab_ns nic)" \
    || die "OE lab '$LAB_NAME' is not up (run testing/oe/oe-up --name $LAB_NAME)"
}

# The hosts this lab was brought up with (written by oe-up).
oe_hosts() { cat "$LAB_DIR/hosts" 2>/dev/null || true; }
