#!/usr/bin/env bash
# Builds bcryptprimitives.dll into DIR (beside huizong.exe) for running it under Wine 8.
#   scripts/wine-shim.sh DIR
#
# Wine 8 lacks bcryptprimitives.dll, which Rust's standard library imports for ProcessPrng;
# this small shim forwards it to RtlGenRandom. Used only by the tests, never shipped: real
# Windows has the DLL.
set -euo pipefail
dir=${1:?usage: scripts/wine-shim.sh DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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
x86_64-w64-mingw32-gcc -shared -O2 -o "$dir/bcryptprimitives.dll" "$work/shim.c" -ladvapi32
