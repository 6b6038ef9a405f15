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
# Symbols are not needed by users and triple the size.
x86_64-w64-mingw32-strip "$dir/huizong.exe"
cp -r templates samples "$dir/"
cp docs/使用说明.txt "$dir/"
# Windows line endings for Notepad.
sed -i 's/$/\r/' "$dir/使用说明.txt"
# A BOM so that every Notepad reads it as UTF-8.
printf '\xEF\xBB\xBF' | cat - "$dir/使用说明.txt" > "$dir/.tmp" && mv "$dir/.tmp" "$dir/使用说明.txt"
if command -v zip >/dev/null; then
    (cd target && rm -f "huizong-${version}-windows.zip" && zip -qr "huizong-${version}-windows.zip" "huizong-${version}-windows")
fi
echo "$dir"
