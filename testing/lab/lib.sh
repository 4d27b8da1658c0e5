# Shared by the lab scripts (sourced, not run). Names and addresses of the two-host lab.
# Addresses are Openswan's test-suite ones; they exist only inside the lab's namespaces.

LAB_ROOT=${OJ_LAB_ROOT:-/run/oj-lab}
LAB_NAME=${OJ_LAB_NAME:-oj}
LAB_HOSTS=(west east)
# Every namespace a lab may have: `lab-up --nat` adds the router "nat" between west and east.
LAB_ALL_HOSTS=(west east nat)

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# Consume a leading `--name PREFIX`; the remaining args are left in LAB_ARGS.
lab_parse_name() {
  LAB_ARGS=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --name) [ $# -ge 2 ] || die "--name needs a value"; LAB_NAME=$2; shift 2;;
      --name=*) LAB_NAME=${1#--name=}; shift;;
      *) LAB_ARGS+=("$1"); shift;;
    esac
  done
  [[ "$LAB_NAME" =~ ^[a-z][a-z0-9]{0,9}$ ]] \
    || die "lab name '$LAB_NAME' must be 1-10 lower-case letters/digits, starting with a letter"
  LAB_DIR=$LAB_ROOT/$LAB_NAME
}

lab_ns() { echo "$LAB_NAME-$1"; }
lab_hostdir() { echo "$LAB_DIR/$1"; }

# host -> "link-address/len subnet-address/32"
lab_link_addr() { case "$1" in west) echo 192.1.2.45/24;; east) echo 192.1.2.23/24;; esac; }
# The NAT lab (lab-up --nat): west on the inside link 192.1.3.0/24 behind the router nat (192.1.3.254 inside,
# 192.1.2.254 outside), east on the outside link 192.1.2.0/24 as in the two-host lab.
LAB_NAT_WEST=192.1.3.45/24
LAB_NAT_INSIDE=192.1.3.254/24
LAB_NAT_OUTSIDE=192.1.2.254/24
lab_subnet_addr() { case "$1" in west) echo 192.0.1.254/32;; east) echo 192.0.2.254/32;; esac; }

lab_check_host() {
  case "${1:-}" in
    west|east) ;;
    "") die "which host? (west or east)";;
    *) die "unknown host '$1' (west or east)";;
  esac
}

lab_require_up() {
  [ -d "$LAB_DIR" ] && lab_ns_exists "$(lab_ns west)" \
    || die "lab '$LAB_NAME' is not up (run testing/lab/lab-up --name $LAB_NAME)"
}

# A pid file names a live process only if that pid still runs in the lab's namespace.
lab_pid_alive() {
  local pid=$1 ns=$2
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  ip netns identify "$pid" 2>/dev/null | grep -x "$ns" >/dev/null
}

# Stop the processes named by pid files ("NS:FILE" pairs) together: TERM to all, up to 5 s, then KILL.
# Removes the files. A pid that no longer runs in its namespace is not touched (it was reused).
lab_stop_pidfiles() {
  local pair ns file pid i live=()
  for pair in "$@"; do
    ns=${pair%%:*}; file=${pair#*:}
    [ -f "$file" ] || continue
    pid=$(cat "$file" 2>/dev/null || true)
    if lab_pid_alive "$pid" "$ns"; then
      kill -TERM "$pid" 2>/dev/null || true
      live+=("$pid:$(basename "$file" .pid)")
    fi
    rm -f "$file"
  done
  [ ${#live[@]} -gt 0 ] || return 0
  for i in $(seq 1 100); do
    local any=0
    for pair in "${live[@]}"; do kill -0 "${pair%%:*}" 2>/dev/null && any=1; done
    [ $any = 1 ] || return 0
    sleep 0.05
  done
  for pair in "${live[@]}"; do
    if kill -0 "${pair%%:*}" 2>/dev/null; then
      echo "$(basename "$0"): ${pair#*:} (${pair%%:*}) ignored TERM for 5 s; killing" >&2
      kill -KILL "${pair%%:*}" 2>/dev/null || true
    fi
  done
}

lab_ns_exists() { ip netns list | awk '{print $1}' | grep -x "$1" >/dev/null; }
