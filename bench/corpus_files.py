"""The .xlsx files of a corpus, for the Python re-saving scripts (`resave_openpyxl.py`,
`resave_xlwt.py`): every one under a folder, sorted, the bench's `_out` left out, each with
its path relative to the folder."""

import os
from collections.abc import Iterator


def corpus_files(source: str) -> Iterator[tuple[str, str]]:
    """(path, path relative to `source`) of each .xlsx under `source`."""
    for root, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if d != "_out")
        for name in sorted(files):
            if name.lower().endswith(".xlsx"):
                path = os.path.join(root, name)
                yield path, os.path.relpath(path, source)
