#!/usr/bin/env bash
# Size of the mobile native library (`libminiapp_ffi.so` without the compilers, as the Android
# and iOS packages ship it), stripped and gzipped, then per ELF section and per part: code and
# data symbols grouped by the Rust crate they belong to (demangled paths), C code (QuickJS,
# SQLite) in one group. A symbol table is only a guide: generic code is counted where it was
# instantiated from (`core`, `alloc`), and sections without symbols (unwind tables, relocations)
# are listed by section.
#
#   bash benches/size.sh            # the default: --no-default-features (no compilers)
#   bash benches/size.sh --full     # with DevTools' compile step and the template compiler
set -euo pipefail
cd "$(dirname "$0")/.."
features=(--no-default-features)
[ "${1:-}" = --full ] && features=()
cargo build -q --release -p miniapp-ffi --lib "${features[@]}"
lib=target/release/libminiapp_ffi.so
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cp "$lib" "$out/lib.so"
strip "$out/lib.so"
printf 'libminiapp_ffi.so %s: %s bytes stripped, %s gzip -9\n' "${features[*]:-(default features)}" \
  "$(stat -c %s "$out/lib.so")" "$(gzip -9 -c "$out/lib.so" | wc -c)"
echo
echo "sections (bytes):"
size -A "$out/lib.so" | awk '$2 > 10000 && $1 ~ /^\./ {printf "  %-20s %9d\n", $1, $2}' | sort -k2 -n -r
echo
echo "symbols by part (bytes):"
nm -S --size-sort -C --defined-only "$lib" | python3 -c '
import collections, re, sys
parts, total = collections.Counter(), 0
for line in sys.stdin:
    fields = line.rstrip("\n").split(" ", 3)
    if len(fields) < 4:
        continue
    size, kind, name = int(fields[1], 16), fields[2], fields[3].lstrip("<&*( ")
    crate = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::", name)
    part = crate.group(1) if crate else "C code (QuickJS, SQLite, zlib...)" if kind in "tTwW" else "other data"
    parts[part] += size
    total += size
for part, size in parts.most_common():
    if size >= 20000:
        print(f"  {size:9d}  {part}")
print(f"  {total:9d}  (all symbols)")
'
