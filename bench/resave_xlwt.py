"""Copies a corpus into .xls with xlwt: returns as Python office scripts wrote old forms.

    pip install openpyxl xlwt
    python3 bench/resave_xlwt.py SOURCE_DIR TARGET_DIR

Every .xlsx under SOURCE_DIR (the bench's `_out` left out) is read with openpyxl (a formula as
its cached value) and written with xlwt as .xls (BIFF8) under TARGET_DIR at the same relative
path: each sheet in order with its visibility, each cell's value and number format, merged
areas and column widths; not fonts, fills or borders. pandas wrote .xls through xlwt until
2.0, and many offices' scripts still do. About 15 s for 1,200 returns.
"""

import datetime
import os
import sys

import openpyxl
import xlwt

from corpus_files import corpus_files


def copy_book(path: str, out: str) -> None:
    source = openpyxl.load_workbook(path, data_only=True)
    book = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, xlwt.XFStyle] = {}

    def style(number_format: str) -> xlwt.XFStyle:
        if number_format not in styles:
            s = xlwt.XFStyle()
            s.num_format_str = number_format
            styles[number_format] = s
        return styles[number_format]

    for ws in source.worksheets:
        sheet = book.add_sheet(ws.title, cell_overwrite_ok=True)
        if ws.sheet_state == "hidden":
            sheet.visibility = 1
        elif ws.sheet_state == "veryHidden":
            sheet.visibility = 2
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None:
                    continue
                r, c = cell.row - 1, cell.column - 1
                fmt = cell.number_format or "General"
                if isinstance(value, (datetime.datetime, datetime.date)):
                    if fmt == "General":
                        fmt = "yyyy-mm-dd"
                    sheet.write(r, c, value, style(fmt))
                elif isinstance(value, datetime.time):
                    sheet.write(r, c, value.isoformat())
                elif fmt != "General" and isinstance(value, (int, float)):
                    sheet.write(r, c, value, style(fmt))
                else:
                    sheet.write(r, c, value)
        for merged in ws.merged_cells.ranges:
            sheet.merge(
                merged.min_row - 1, merged.max_row - 1, merged.min_col - 1, merged.max_col - 1
            )
        for letter, dim in ws.column_dimensions.items():
            if dim.width:
                col = openpyxl.utils.column_index_from_string(letter) - 1
                sheet.col(col).width = min(int(dim.width * 256), 65535)
    book.save(out)


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    count = 0
    for path, rel in corpus_files(source):
        out = os.path.join(target, rel[: -len(".xlsx")] + ".xls")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        copy_book(path, out)
        count += 1
    print(f"xlwt: wrote {count} workbooks under {target}")


if __name__ == "__main__":
    main()
