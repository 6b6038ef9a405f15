#!/usr/bin/env bash
# Runs the Windows huizong.exe under Wine on samples/ and compares its figures with the
# Linux build's. Needs Debian's wine64 (apt-get install wine64) and a built exe
# (built here by scripts/build-windows.sh). Exits 0 when they agree.
# Wine 8 needs a shim DLL (scripts/wine-shim.sh), laid beside the exe for the test only.
set -euo pipefail
cd "$(dirname "$0")/.."
wine=/usr/lib/wine/wine64
exe=target/x86_64-pc-windows-gnu/release/huizong.exe
[ -x "$wine" ] || { echo "wine64 not installed (apt-get install wine64)"; exit 1; }
scripts/build-windows.sh >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/win"
cp "$exe" "$work/win/"
cp -r samples "$work/win/样例 数据"
bash scripts/wine-shim.sh "$work/win"
export WINEDEBUG=-all WINEPREFIX="$work/prefix"
# A path with Chinese characters and a space.
(cd "$work/win" && "$wine" huizong.exe run "样例 数据" --quiet --export csv --out "输出 结果") </dev/null
# The Linux build to compare with: LINUX_HUIZONG (the tests pass their own), else a release build.
linux=${LINUX_HUIZONG:-}
if [ -z "$linux" ]; then
    cargo build --release --bin huizong >/dev/null 2>&1
    linux=target/release/huizong
fi
cp -r samples "$work/linux"
"$linux" run "$work/linux" --quiet --export csv --out "$work/linux-out"
status=0
for f in progress.csv investment.csv findings.csv; do
    # Compare after normalising line endings and path separators.
    if ! diff <(tr -d '\r' < "$work/win/输出 结果/$f" | tr '\\' '/') <(tr -d '\r' < "$work/linux-out/$f") >/dev/null; then
        echo "differs: $f"
        status=1
    fi
done
[ -f "$work/win/输出 结果/2020年6月重点任务进展汇总.xlsx" ] || { echo "no summary"; status=1; }
[ $status = 0 ] && echo "Windows build under Wine: same figures as the Linux build"
exit $status
