#!/bin/sh
# Linux launcher: runs huizong beside this script as a double-click on huizong.exe runs on
# Windows (the Chinese console in a terminal window, waiting for Enter at the end). 汇总.desktop
# calls it in a terminal window; started on a desktop without one (a file manager running the
# script itself), it opens one.
# A folder dropped on the launcher is passed on and summarised alone.
here=$(cd "$(dirname "$0")" && pwd)
if [ "$1" = --in-terminal ]; then
    shift
elif [ ! -t 0 ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    for t in x-terminal-emulator xterm; do
        if command -v "$t" >/dev/null 2>&1; then
            exec "$t" -e "$here/huizong.sh" --in-terminal "$@"
        fi
    done
fi
exec "$here/huizong" __double_click "$@"
