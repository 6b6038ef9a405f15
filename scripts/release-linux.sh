#!/usr/bin/env bash
# Assembles huizong-<version>-linux-<arch>/ and its .tar.gz (tar keeps the launcher
# executable, which a .zip unpacked by a desktop's archive manager may not), for 信创
# desktops (Kylin, UOS) and any other Linux:
#   huizong          the static binary (no shared library needed: glibc 2.28 or none)
#   汇总.desktop      double-click: a terminal window runs huizong.sh, which summarises 报表/ only
#   huizong.sh       the launcher's script: `huizong __double_click`, the Windows exe's start
#   报表/            empty: the office copies the month's returns and the task list here
#   示例数据/        the samples, read only when the clerk types 示例 at the first start
#   空白模板/        the blank task-list and return templates and the default configuration
#   使用说明.txt
# Nothing that ships stands where a double-click reads (src/double_click.rs).
#   scripts/release-linux.sh [x86_64] [aarch64]     (both when none is named)
# HUIZONG_PROFILE=debug assembles from debug builds (the tests do, to save CI's time).
set -euo pipefail
cd "$(dirname "$0")/.."
archs=("$@")
[ ${#archs[@]} -eq 0 ] && archs=(x86_64 aarch64)
profile=${HUIZONG_PROFILE:-release}
version=$(grep -m1 '^version' Cargo.toml | cut -d'"' -f2)
for arch in "${archs[@]}"; do
    if [ "$profile" = debug ]; then
        bin=$(scripts/build-linux.sh "$arch" --debug)
    else
        bin=$(scripts/build-linux.sh "$arch")
    fi
    name="huizong-${version}-linux-${arch}"
    dir="target/$name"
    rm -rf "$dir"
    mkdir -p "$dir/报表" "$dir/空白模板"
    install -m 755 "$bin" "$dir/huizong"
    install -m 755 packaging/linux/huizong.sh "$dir/"
    install -m 755 packaging/linux/汇总.desktop "$dir/"
    cp -r samples "$dir/示例数据"
    cp templates/任务清单模板.xlsx templates/月报模板.xlsx "$dir/空白模板/"
    cp templates/default.toml "$dir/空白模板/huizong.toml.示例"
    cp docs/使用说明-linux.txt "$dir/使用说明.txt"
    tar -C target -czf "target/$name.tar.gz" "$name"
    echo "$dir"
done
