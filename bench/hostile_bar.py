"""Measures the robustness bar of docs/robustness.md:

    python3 bench/hostile_bar.py [target/release/huizong]

Copies samples/ to a temporary folder, adds a zip bomb (2 GiB of XML in a few MB), a grid
bomb, an encrypted, a truncated, an empty and a non-workbook file, runs `huizong run` under
/usr/bin/time -v, and checks that the summary's figures equal those of the samples alone.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/huizong"))


def zip_bomb(path: str, gib: int = 2) -> None:
    chunk = b" " * (1 << 24)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b"<worksheet><sheetData>")
            for _ in range((gib << 30) // len(chunk)):
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")


def grid_bomb(path: str) -> None:
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", sheet)


def summary_figures(exe: str, folder: str, out: str) -> bytes:
    subprocess.run([exe, "run", folder, "--quiet", "--out", out, "--export", "csv"], check=True)
    return open(os.path.join(out, "progress.csv"), "rb").read() + open(os.path.join(out, "investment.csv"), "rb").read()


def main() -> None:
    tmp = tempfile.mkdtemp()
    clean = os.path.join(tmp, "clean")
    shutil.copytree(os.path.join(ROOT, "samples"), clean)
    dirty = os.path.join(tmp, "dirty")
    shutil.copytree(os.path.join(ROOT, "samples"), dirty)
    inbox = os.path.join(dirty, "收件箱")
    os.makedirs(inbox)
    t = time.time()
    zip_bomb(os.path.join(inbox, "压缩炸弹.xlsx"))
    size = os.path.getsize(os.path.join(inbox, "压缩炸弹.xlsx"))
    print(f"zip bomb: {size / 1e6:.1f} MB on disk, 2 GiB inflated (made in {time.time() - t:.0f} s)")
    grid_bomb(os.path.join(inbox, "网格炸弹.xlsx"))
    enc = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1016)
    enc += "EncryptedPackage".encode("utf-16-le")
    open(os.path.join(inbox, "加密.xlsx"), "wb").write(bytes(enc) + b"\0" * 3000)
    sample = open(os.path.join(ROOT, "samples/2020年6月/长春市交通运输局_2020年6月_月报.xlsx"), "rb").read()
    open(os.path.join(inbox, "截断.xlsx"), "wb").write(sample[: len(sample) // 2])
    open(os.path.join(inbox, "空文件.xlsx"), "wb").close()
    open(os.path.join(inbox, "说明.xlsx"), "w").write("这不是表格")

    start = time.time()
    p = subprocess.run(
        ["/usr/bin/time", "-v", EXE, "run", dirty, "--out", os.path.join(tmp, "out")],
        capture_output=True,
        text=True,
    )
    wall = time.time() - start
    rss = [l for l in p.stderr.splitlines() if "Maximum resident set size" in l]
    print(f"run: exit {p.returncode}, {wall:.2f} s wall, {rss[0].strip() if rss else '?'}")
    strict = subprocess.run([EXE, "run", dirty, "--quiet", "--strict", "--out", os.path.join(tmp, "out2")])
    print(f"run --strict: exit {strict.returncode}")
    for line in p.stderr.splitlines():
        if line.startswith(("汇总完成", "数据检查")):
            print(line)
    same = summary_figures(EXE, clean, os.path.join(tmp, "c")) == summary_figures(EXE, dirty, os.path.join(tmp, "d"))
    print(f"figures equal to the samples alone: {same}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
