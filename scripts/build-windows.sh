#!/usr/bin/env bash
# Cross-builds a static huizong.exe for Windows (x86_64-pc-windows-gnu) on Linux.
#   scripts/build-windows.sh        → target/x86_64-pc-windows-gnu/release/huizong.exe
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq gcc-mingw-w64-x86-64 >/dev/null
fi
rustup target add x86_64-pc-windows-gnu >/dev/null
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
# Static C runtime: the exe needs no DLL beyond those every Windows has.
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"
cargo build --release --target x86_64-pc-windows-gnu --bin huizong
exe=target/x86_64-pc-windows-gnu/release/huizong.exe
echo "$exe"
# The DLLs it imports (all part of Windows):
x86_64-w64-mingw32-objdump -p "$exe" | grep "DLL Name" | sort -u
