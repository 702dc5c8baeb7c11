#!/usr/bin/env bash
# Builds the desktop libminiapp_ffi and generates its Kotlin bindings into target/android-native/
# (what android/pom.xml compiles against and its Robolectric tests load through JNA).
# For a device build, cross-compile miniapp-ffi for the Android ABIs instead (cargo-ndk).
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/android-native
cargo build -q -p miniapp-ffi --lib
cargo build -q -p miniapp-uniffi-bindgen
mkdir -p "$out"
cp target/debug/libminiapp_ffi.so "$out/"
rm -rf "$out/kotlin"
target/debug/uniffi-bindgen generate --no-format --language kotlin \
  --library "$out/libminiapp_ffi.so" --out-dir "$out/kotlin" >/dev/null
echo "android: native library and bindings in $out"
