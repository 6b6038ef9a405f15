"""Returns as a clerk formats them: the bench's own forms (`--kind own`) with thin borders
drawn on every column of each table down to row 3000, as a clerk drags a bordered range far
below the last task. The bordered empty cells are written into each sheet (`<c r=".." s=".."/>`),
so each sheet's part is hundreds of KB inflated, tens of KB on disk: large enough that the
zip check inflates it.

    python3 bench/styled_returns.py /tmp/corpus_own /tmp/styled 2020年6月

Needs openpyxl. The task list is copied beside the month's folder.
"""

import glob
import os
import shutil
import sys

import openpyxl
from openpyxl.styles import Border, Side


def main(src: str, out: str, month: str) -> None:
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    os.makedirs(os.path.join(out, "m"), exist_ok=True)
    shutil.copy(os.path.join(src, "任务清单.xlsx"), out)
    files = sorted(glob.glob(os.path.join(src, month, "*.xlsx")))
    for f in files:
        wb = openpyxl.load_workbook(f)
        for ws in wb.worksheets:
            last, width = ws.max_row, ws.max_column
            for r in range(last + 1, 3001):
                for c in range(1, width + 1):
                    ws.cell(row=r, column=c).border = border
        wb.save(os.path.join(out, "m", os.path.basename(f)))
    print(f"{len(files)} returns written to {out}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
