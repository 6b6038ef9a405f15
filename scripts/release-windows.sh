#!/usr/bin/env bash
# Assembles huizong-<version>-windows/ (and a .zip when `zip` is installed), ready to hand
# to an office:
#   huizong.exe     double-click: summarises 报表\ only, output in output\
#   报表\           empty: the office copies the month's returns and the task list here
#   示例数据\       the samples, read only when the clerk types 示例 at the first start
#   空白模板\       the blank task-list and return templates and the default configuration
#   使用说明.txt
# Nothing that ships stands where a double-click reads (src/double_click.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-windows.sh >/dev/null
version=$(grep -m1 '^version' Cargo.toml | cut -d'"' -f2)
dir="target/huizong-${version}-windows"
rm -rf "$dir"
mkdir -p "$dir/报表" "$dir/空白模板"
cp target/x86_64-pc-windows-gnu/release/huizong.exe "$dir/"
# Symbols are not needed by users and triple the size.
x86_64-w64-mingw32-strip "$dir/huizong.exe"
cp -r samples "$dir/示例数据"
cp templates/任务清单模板.xlsx templates/月报模板.xlsx "$dir/空白模板/"
# The default configuration, to copy into 报表 as huizong.toml when the office changes it.
cp templates/default.toml "$dir/空白模板/huizong.toml.示例"
cp docs/使用说明.txt "$dir/"
# Windows line endings for Notepad.
sed -i 's/$/\r/' "$dir/使用说明.txt"
# A BOM so that every Notepad reads it as UTF-8.
printf '\xEF\xBB\xBF' | cat - "$dir/使用说明.txt" > "$dir/.tmp" && mv "$dir/.tmp" "$dir/使用说明.txt"
if command -v zip >/dev/null; then
    (cd target && rm -f "huizong-${version}-windows.zip" && zip -qr "huizong-${version}-windows.zip" "huizong-${version}-windows")
fi
echo "$dir"
