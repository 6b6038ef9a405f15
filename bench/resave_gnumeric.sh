#!/bin/sh
# Re-saves a corpus with Gnumeric's ssconvert: returns as a spreadsheet program other than
# Excel, WPS and LibreOffice writes them (indented XML, strings inline and shared).
#
#     apt-get install -y gnumeric
#     sh bench/resave_gnumeric.sh SOURCE_DIR TARGET_DIR
#
# Every .xlsx under SOURCE_DIR (the bench's `_out` left out) is written under TARGET_DIR at
# the same relative path. About 0.1 s a workbook.
set -eu
source=$1
target=$2
count=0
find "$source" -path "$source/_out" -prune -o -type f -name '*.xlsx' -print | sort | {
    while IFS= read -r file; do
        out="$target/${file#"$source"/}"
        mkdir -p "$(dirname "$out")"
        ssconvert --export-type=Gnumeric_Excel:xlsx2 "$file" "$out" 2>/dev/null
        count=$((count + 1))
    done
    echo "Gnumeric: re-saved $count workbooks under $target"
}
