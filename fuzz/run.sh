#!/usr/bin/env bash
# Builds the fuzz targets with cargo-fuzz (stable Rust: no sanitizer, debug assertions on) and
# runs each on its corpus, seeded from this repository's projects (fuzz/seeds.py).
#
#   bash fuzz/run.sh                      # CI: 5 s per target
#   bash fuzz/run.sh --seconds 600        # longer, per target
#   bash fuzz/run.sh --runs 10000000 package_zip templates   # the long run, by executions
#
# A long run that stops (a machine's session ending) resumes where it was: run it again, and it
# starts from the corpus it saved; runs on unchanged code add up to one campaign.
# Corpora grow in fuzz/corpus/<target>/; a crash is saved in fuzz/artifacts/<target>/ and
# reproduced with `fuzz/target/x86_64-unknown-linux-gnu/release/<target> <file>`.
# Ends with `fuzz: N passed, M failed` (one per target) and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

limit=(-max_total_time=5)
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) limit=(-max_total_time="$2"); shift 2 ;;
    --runs) limit=(-runs="$2"); shift 2 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(host_event c_abi_json templates styles package_zip package_dir)

command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz --version 0.13.2
if ! build_log=$(cargo fuzz build -s none -O -a 2>&1); then
  echo "$build_log" | grep -Ev '^\s+(Compiling|Finished)' | tail -40
  echo "fuzz: the targets did not build"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi
bin=target/x86_64-unknown-linux-gnu/release
python3 seeds.py

passed=0
failed=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  log=$(mktemp)
  set +e
  # the temporary packages of package_dir/package_zip go to memory when /dev/shm exists;
  # -reload=0: one process per corpus, so re-reading its directory (thousands of files, every
  # few seconds: 12-20% of a long run's time) finds nothing new
  TMPDIR=$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}" ) \
    "$bin/$t" "corpus/$t" "${limit[@]}" -reload=0 -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
    -artifact_prefix="artifacts/$t/" >"$log" 2>&1
  status=$?
  set -e
  # a target that crashed or hung prints no final stats: the greps find nothing
  runs=$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}' || true)
  secs=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | awk '{print $5}' || true)
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "fuzz $t: ${runs:-0} runs in ${secs:-?} s, 0 crashes, corpus $(ls "corpus/$t" | wc -l)"
  else
    failed=$((failed + 1))
    echo "fuzz $t: FAILED after ${runs:-?} runs (exit $status):"
    { grep -E 'panicked|ERROR|SUMMARY|Test unit written|timeout' "$log" || tail -5 "$log"; } | head -8 | sed 's/^/  /'
  fi
  rm -f "$log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
