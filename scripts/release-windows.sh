#!/usr/bin/env bash
# Assembles huizong-<version>-windows/ (and a .zip when `zip` is installed): huizong.exe,
# templates/, samples/ and 使用说明.txt, ready to hand to an office.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-windows.sh >/dev/null
version=$(grep -m1 '^version' Cargo.toml | cut -d'"' -f2)
dir="target/huizong-${version}-windows"
rm -rf "$dir"
mkdir -p "$dir"
cp target/x86_64-pc-windows-gnu/release/huizong.exe "$dir/"
cp -r templates samples "$dir/"
cp docs/使用说明.txt "$dir/"
# Windows line endings for Notepad.
sed -i 's/$/\r/' "$dir/使用说明.txt"
if command -v zip >/dev/null; then
    (cd target && rm -f "huizong-${version}-windows.zip" && zip -qr "huizong-${version}-windows.zip" "huizong-${version}-windows")
fi
echo "$dir"
