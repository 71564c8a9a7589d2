"""The import page's work, apart from its widgets (so tests can drive it with plain files)."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Callable, Protocol, Sequence

import pandas as pd

from analytics.contract import importer
from analytics.core import store
from analytics.core.problems import REPORT_COLUMNS


class Upload(Protocol):
    name: str

    def getvalue(self) -> bytes: ...


def problem_frame(problems) -> pd.DataFrame:
    """The validation report: one row per problem, columns file, row, column, value, rule, message."""
    return pd.DataFrame([{c: getattr(p, c) for c in REPORT_COLUMNS} for p in problems], columns=list(REPORT_COLUMNS))


def run_import(files: Sequence[Upload], db_path: Path | str,
               progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Import uploaded files (saved under their own base names in a private temporary folder).

    Returns ``{"usage": message}`` (plus ``duplicates``, the names uploaded twice, for the page to
    word the message in its language) when nothing could be tried (two files with one name, a file
    that cannot be imported, another import running), else ``{"ok", "problems", "warnings",
    "rows", "files"}`` with the problems and warnings as :func:`problem_frame` tables.
    """
    names = [Path(f.name).name for f in files]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        return {"usage": f"The same file name was uploaded twice: {', '.join(duplicates)}. Nothing was imported.",
                "duplicates": duplicates}  # the page words the message in its language
    with tempfile.TemporaryDirectory(prefix="clairvoie-upload-") as folder:
        paths = []
        for upload, name in zip(files, names):
            target = Path(folder) / name
            target.write_bytes(upload.getvalue())
            paths.append(target)
        try:
            result = importer.import_paths(db_path, paths, progress=progress, wait=False)
        except (importer.UsageError, store.StoreBusy) as exc:
            return {"usage": str(exc)}
    return {"ok": result.ok, "problems": problem_frame(result.problems), "warnings": problem_frame(result.warnings),
            "rows": dict(result.rows_by_table), "files": names}
