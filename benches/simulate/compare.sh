#!/usr/bin/env bash
# miniapp vs miniprogram-simulate on the same list page (`list_app` of benches/src/lib.rs,
# `list_page.js` here): the median of N fresh processes per side and scenario, and the ratio.
#
#   bash benches/simulate/compare.sh [--runs N] [--no-build]
#
# miniapp: target/release/miniapp-ir SCENARIO; simulate: node list_page.js SCENARIO.
# Both print `measured: X ms`, the wall time of the measured part only (see README.md).
set -euo pipefail
export LC_ALL=C # decimal points for printf, sort -g, bc

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=5
build=1
sim_limit=60 # seconds: a simulate run of a 5,000-row scenario longer than this is skipped

die() { echo "compare.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) [ $# -ge 2 ] || die "--runs needs a number"; runs=$2; shift 2 ;;
    --runs=*) runs=${1#--runs=}; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (usage: compare.sh [--runs N] [--no-build])" ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive number, got '$runs'"

command -v node >/dev/null || die "node is needed (Node 20)"
command -v npm >/dev/null || die "npm is needed"
command -v cargo >/dev/null || die "cargo is needed to build miniapp-ir"
command -v timeout >/dev/null || die "timeout (coreutils) is needed"

# --- simulate side: node_modules from the lock file, once
if [ ! -f "$here/node_modules/miniprogram-simulate/package.json" ] || [ ! -f "$here/node_modules/jsdom/package.json" ]; then
  echo "installing miniprogram-simulate (npm ci) ..." >&2
  (cd "$here" && npm ci --no-audit --no-fund >&2) || die "npm ci failed in $here"
fi

# --- miniapp side: the release binary (cargo does nothing when it is up to date)
bin="${CARGO_TARGET_DIR:-$root/target}/release/miniapp-ir"
if [ "$build" = 1 ]; then
  echo "building miniapp-ir (release) ..." >&2
  (cd "$root" && cargo build -q --release -p miniapp-benches --bin miniapp-ir) || die "cargo build of miniapp-ir failed"
fi
[ -x "$bin" ] || die "$bin is missing (build it: cargo build --release -p miniapp-benches --bin miniapp-ir)"
"$bin" tap | grep -q '^measured: ' || die "$bin does not print 'measured: X ms' (stale binary? rebuild it)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# now_ns: a monotonic-enough wall clock for whole processes
now_ns() { date +%s%N; }

# run_once SIDE SCENARIO... : prints "MEASURED_MS WALL_S", or "timeout" (simulate over the limit)
run_once() {
  local side=$1; shift
  local out rc=0 t0 t1
  t0=$(now_ns)
  if [ "$side" = miniapp ]; then
    out=$("$bin" "$@" 2>"$tmp/err") || rc=$?
  else
    out=$(timeout "$sim_limit" node "$here/list_page.js" "$@" 2>"$tmp/err") || rc=$?
  fi
  t1=$(now_ns)
  if [ "$side" = simulate ] && [ "$rc" = 124 ]; then echo timeout; return; fi
  if [ "$rc" != 0 ]; then
    cat "$tmp/err" >&2
    die "$side $* failed (exit $rc)"
  fi
  local ms
  ms=$(printf '%s\n' "$out" | sed -n 's/^measured: \([0-9.]*\) ms$/\1/p')
  [ -n "$ms" ] || die "$side $* printed no 'measured: X ms' line: $out"
  echo "$ms $(echo "($t1 - $t0) / 1000000000" | bc -l)"
}

# median of the numbers on stdin
median() {
  sort -g | awk '{ a[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

scenarios=("first-render 100" "first-render 1000" "first-render 5000"
  "set-row 100" "set-row 1000" "set-row 5000" "retitle-row 1000" "tap")

sim_version=$(node -p "require('$here/node_modules/miniprogram-simulate/package.json').version")
jsdom_version=$(node -p "require('$here/node_modules/jsdom/package.json').version")
exparser_version=$(node -p "require('$here/node_modules/miniprogram-exparser/package.json').version")
jcomp_version=$(node -p "require('$here/node_modules/j-component/package.json').version")

echo "node $(node --version), miniprogram-simulate $sim_version (j-component $jcomp_version, miniprogram-exparser $exparser_version, jsdom $jsdom_version)"
echo "miniapp: $bin ($(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$root" && git diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes'))"
echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "each side: a fresh process per run, $runs runs, median of the in-process 'measured' time:"
echo "  first-render = launch + first frames (miniapp) / render + attach with attached's setData of the rows, to the DOM (simulate);"
echo "  set-row, retitle-row, tap = one tap after one warm-up tap, handler + setData through to the frame (miniapp) / the jsdom DOM (simulate)."
echo "  tap = #bump on a 1000-row page. Process start, package/WXML compilation and module loading are not timed."
echo

printf '%-18s | %10s | %11s | %16s\n' scenario "miniapp ms" "simulate ms" "simulate/miniapp"
printf '%-18s-+-%10s-+-%11s-+-%16s\n' "------------------" "----------" "-----------" "----------------"
notes=()
cold_mini=() cold_sim=()
for s in "${scenarios[@]}"; do
  # shellcheck disable=SC2086
  set -- $s
  : >"$tmp/mini" ; : >"$tmp/sim"
  for ((i = 0; i < runs; i++)); do
    r=$(run_once miniapp "$@")
    echo "${r% *}" >>"$tmp/mini"
    [ "$s" = "first-render 1000" ] && cold_mini+=("${r#* }")
  done
  skipped=0
  for ((i = 0; i < runs; i++)); do
    r=$(run_once simulate "$@")
    if [ "$r" = timeout ]; then
      skipped=1
      notes+=("simulate $s: skipped, a run took more than ${sim_limit} s")
      break
    fi
    echo "${r% *}" >>"$tmp/sim"
    [ "$s" = "first-render 1000" ] && cold_sim+=("${r#* }")
  done
  m=$(median <"$tmp/mini")
  if [ "$skipped" = 1 ]; then
    printf '%-18s | %10.3f | %11s | %16s\n' "$s" "$m" "skipped" "-"
  else
    sm=$(median <"$tmp/sim")
    printf '%-18s | %10.3f | %11.3f | %15.1fx\n' "$s" "$m" "$sm" "$(echo "$sm / $m" | bc -l)"
  fi
done

echo
for n in "${notes[@]+"${notes[@]}"}"; do echo "note: $n"; done
cm=$(printf '%s\n' "${cold_mini[@]}" | median)
cs=$(printf '%s\n' "${cold_sim[@]+"${cold_sim[@]}"}" | median)
printf 'cold process wall time, first-render 1000 (whole process from outside, median of %d): miniapp %.3f s, simulate %.3f s (%.1fx)\n' \
  "$runs" "$cm" "$cs" "$(echo "$cs / $cm" | bc -l)"
