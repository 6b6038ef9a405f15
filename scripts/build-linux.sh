#!/usr/bin/env bash
# Builds a static huizong for Linux desktops (信创: Kylin, UOS) on any Linux with rustup:
#   scripts/build-linux.sh x86_64|aarch64 [--debug]
#       → target/<arch>-unknown-linux-musl/{release,debug}/huizong (path on stdout; under
#         $CARGO_TARGET_DIR when it is set)
# musl, linked statically: no shared library at all, so it starts on glibc 2.28 (Kylin V10,
# UOS 20) as on anything newer. The C parts of the tree (zstd-sys, lz4-sys, psm) need a musl
# C cross compiler, which Debian does not ship: cargo-zigbuild drives zig's, and both come
# from the registries (zig from PyPI's `ziglang`, into target/zig; cargo-zigbuild from
# crates.io). Nothing from apt beyond python3-pip when no pip is there.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:?usage: scripts/build-linux.sh x86_64|aarch64 [--debug]}
profile=release
[ "${2:-}" = --debug ] && profile=debug
case "$arch" in
    x86_64 | aarch64) ;;
    *) echo "unknown architecture: $arch (x86_64 or aarch64)" >&2; exit 2 ;;
esac
triple="$arch-unknown-linux-musl"

# zig: one already found by cargo-zigbuild (`python3 -m ziglang`, or `zig` on PATH), else
# PyPI's into target/zig.
if ! python3 -m ziglang version >/dev/null 2>&1 && ! command -v zig >/dev/null; then
    if [ ! -x target/zig/ziglang/zig ]; then
        if ! python3 -m pip --version >/dev/null 2>&1; then
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >/dev/null
        fi
        python3 -m pip install -q --disable-pip-version-check --target target/zig ziglang==0.17.1 >&2
    fi
    export CARGO_ZIGBUILD_ZIG_PATH="$PWD/target/zig/ziglang/zig"
fi
cargo zigbuild --version >/dev/null 2>&1 ||
    cargo install -q --locked cargo-zigbuild --version 0.24.1 >&2
rustup target add "$triple" >/dev/null 2>&1

flags=()
[ "$profile" = release ] && flags+=(--release)
# Symbols are not needed by users and triple the size (target units only: the host's build
# scripts keep theirs).
if [ "$profile" = release ]; then
    var="CARGO_TARGET_$(echo "$triple" | tr 'a-z-' 'A-Z_')_RUSTFLAGS"
    export "$var"="-C strip=symbols"
fi
cargo zigbuild "${flags[@]}" --target "$triple" --bin huizong >&2
echo "${CARGO_TARGET_DIR:-target}/$triple/$profile/huizong"
