#!/usr/bin/env bash
# Instruction counts (callgrind `Ir`) of the runtime bench scenarios: deterministic, so figures
# compare across runs and machines where wall time does not (at ~8 G Ir/s, 1 ms ≈ 8 M Ir).
# Only the measured part of each scenario is counted (the set-up is not).
#
#   bash benches/callgrind.sh            # every scenario, a table on stdout
#   bash benches/callgrind.sh set-row    # one kind
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
cargo build -q --release -p miniapp-benches --bin miniapp-ir
bin=target/release/miniapp-ir
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

scenarios=("cold-start" "first-render 100" "first-render 1000" "first-render 5000"
  "set-row 100" "set-row 1000" "set-row 5000" "retitle-row 100" "retitle-row 1000"
  "retitle-row 5000" "tap")
printf '%-20s %15s %10s\n' scenario Ir "≈ ms"
for s in "${scenarios[@]}"; do
  [ $# -gt 0 ] && [ "${s%% *}" != "$1" ] && continue
  file="$out/cg.${s// /-}"
  # opening compiles the templates on a thread of its own (compile.rs): count it in a cold start
  threads=()
  [ "${s%% *}" = cold-start ] && threads=(--toggle-collect='*compile_all*')
  # shellcheck disable=SC2086
  valgrind --tool=callgrind --callgrind-out-file="$file" --collect-atstart=no \
    --toggle-collect='*counted*' "${threads[@]}" "$bin" $s >/dev/null 2>"$out/log" || { cat "$out/log" >&2; exit 1; }
  ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$file")
  printf '%-20s %15s %10.2f\n' "$s" "$(printf "%'d" "$ir")" "$(echo "$ir / 8000000" | bc -l)"
done
