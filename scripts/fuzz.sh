#!/usr/bin/env bash
# Builds the fuzz target and runs it for a bounded time (default 60 s) over a corpus seeded
# with the samples, the committed fixtures and the public test files: whatever the bytes,
# reading and interpreting must end with data or findings. Installs cargo-fuzz when it is
# missing. The stable toolchain is enough (RUSTC_BOOTSTRAP lets it take libFuzzer's flags).
#
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# The same versions as the main build, plus libFuzzer's crate.
cp Cargo.lock fuzz/Cargo.lock
corpus=fuzz/corpus/read_workbook
mkdir -p "$corpus"
find samples tests/fixtures -type f \( -name '*.xls*' -o -name '*.ods' -o -name '*.et' \) \
    -size -2M -exec cp -t "$corpus" {} +
cd fuzz
# A debug build with overflow checks on: every arithmetic overflow on what a file says is a
# crash the fuzzer reports. No sanitizer: the Rust code is safe, and the build stays short.
# A unit that runs two minutes is a hang (Excel's encryption's 100,000 SHA-512 rounds take
# seconds in a debug build, never minutes).
RUSTC_BOOTSTRAP=1 cargo fuzz run --dev --sanitizer none read_workbook "../$corpus" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=120 -print_final_stats=1
