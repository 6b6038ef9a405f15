#!/usr/bin/env bash
# Runs the Windows huizong.exe under Wine on samples/ and compares its figures with the
# Linux build's. Needs Debian's wine64 (apt-get install wine64) and a built exe
# (scripts/build-windows.sh). Exits 0 when they agree.
#
# Wine 8 lacks bcryptprimitives.dll, which Rust's standard library imports for ProcessPrng;
# a small shim (built here, used only for this test, never shipped) forwards it to
# RtlGenRandom. Real Windows has the DLL.
set -euo pipefail
cd "$(dirname "$0")/.."
wine=/usr/lib/wine/wine64
exe=target/x86_64-pc-windows-gnu/release/huizong.exe
[ -x "$wine" ] || { echo "wine64 not installed: skipped"; exit 0; }
[ -f "$exe" ] || scripts/build-windows.sh >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/win"
cp "$exe" "$work/win/"
cp -r samples "$work/win/样例 数据"
cat > "$work/shim.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
C
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/win/bcryptprimitives.dll" "$work/shim.c" -ladvapi32
export WINEDEBUG=-all WINEPREFIX="$work/prefix"
# A path with Chinese characters and a space.
(cd "$work/win" && "$wine" huizong.exe run "样例 数据" --quiet --export csv --out "输出 结果") </dev/null
cargo build --release --bin huizong >/dev/null 2>&1
cp -r samples "$work/linux"
target/release/huizong run "$work/linux" --quiet --export csv --out "$work/linux-out"
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
