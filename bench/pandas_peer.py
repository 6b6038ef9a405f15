"""The script an office writes instead of huizong: pandas reads every return and sums.

    python3 bench/pandas_peer.py CORPUS_DIR [calamine|openpyxl|inflate]

Reads the progress and investment sheets of every return under CORPUS_DIR (as written by
`cargo run --release --example bench -- --keep CORPUS_DIR`), sums year-to-date progress per
task and month and year-to-date investment per project and month, and prints the wall time.
It does less than huizong (no checks, no roster, no summary workbook): it is the floor of
what such a script costs. Needs `pip install pandas openpyxl python-calamine`.

`inflate` only decompresses every part of every return with the standard library (no XML
parsing, no pandas): the time Python needs merely to get at the bytes.
"""

import glob
import os
import sys
import time
import zipfile


def main() -> None:
    root = sys.argv[1]
    engine = sys.argv[2] if len(sys.argv) > 2 else "calamine"
    files = sorted(
        f
        for f in glob.glob(os.path.join(root, "**", "*.xlsx"), recursive=True)
        if "任务清单" not in f and "_out" not in f
    )
    start = time.perf_counter()
    if engine == "inflate":
        inflated = 0
        for f in files:
            with zipfile.ZipFile(f) as z:
                for name in z.namelist():
                    inflated += len(z.read(name))
        secs = time.perf_counter() - start
        print(
            f"python zipfile: inflated {len(files)} returns ({inflated / 1e6:.1f} MB) in {secs:.2f} s "
            f"({secs * 1000 / max(len(files), 1):.2f} ms per return)"
        )
        return
    import pandas as pd

    progress, invest = [], []
    for f in files:
        month = os.path.basename(os.path.dirname(f))
        sheets = pd.read_excel(f, sheet_name=["重点任务进展", "固定资产投资"], header=4, engine=engine)
        # Headers wrapped to fit the printed page (`任务\n编号`) are the same columns.
        for df in sheets.values():
            df.columns = ["".join(str(c).split()) for c in df.columns]
        p = sheets["重点任务进展"][["任务编号", "本月完成", "自年初累计完成"]].copy()
        p["月份"] = month
        progress.append(p)
        i = sheets["固定资产投资"][["项目编号", "本月完成投资（万元）", "自年初累计完成投资（万元）"]].copy()
        i["月份"] = month
        invest.append(i)
    p = pd.concat(progress)
    for c in ["本月完成", "自年初累计完成"]:
        p[c] = pd.to_numeric(p[c], errors="coerce")
    i = pd.concat(invest)
    for c in ["本月完成投资（万元）", "自年初累计完成投资（万元）"]:
        i[c] = pd.to_numeric(i[c], errors="coerce")
    by_task = p.groupby(["月份", "任务编号"])[["本月完成", "自年初累计完成"]].sum()
    by_project = i.groupby(["月份", "项目编号"])[["本月完成投资（万元）", "自年初累计完成投资（万元）"]].sum()
    secs = time.perf_counter() - start
    print(
        f"pandas+{engine}: {len(files)} returns in {secs:.2f} s "
        f"({secs * 1000 / max(len(files), 1):.1f} ms per return); "
        f"{len(by_task)} task-months, {len(by_project)} project-months"
    )


if __name__ == "__main__":
    main()
