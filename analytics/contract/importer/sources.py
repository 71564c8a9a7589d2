"""Discovering what an import holds: folders, ``.zip`` archives, single files.

An import path is one of
* a folder: ``<table>.csv`` / ``<table>.parquet`` / ``*.xlsx`` at its top, policy files
  ``*.toml`` at its top or in ``policies/``;
* a ``.zip`` archive holding such a folder (at its root, or inside one top folder);
* a single ``<table>.csv`` / ``<table>.parquet``, an ``.xlsx`` workbook (one sheet per
  table) or a ``<manufacturer_id>.toml`` policy file.

A path that does not exist, a single file whose extension is not one of these, or
a single ``.csv``/``.parquet`` not named after a table, is a usage error
(:class:`UsageError`), raised before the store is touched. Inside a folder, files
that are not part of the contract are reported as warnings and ignored.
"""
from __future__ import annotations

import contextlib
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analytics.core.problems import WARNING, Problem
from analytics.contract.importer.tables import IMPORT_TABLES

TABLE_EXTENSIONS = (".csv", ".parquet")
SUPPORTED = (".csv", ".parquet", ".xlsx", ".zip", ".toml")


class UsageError(ValueError):
    """The import was asked for something that cannot be an import (exit code 2)."""


@dataclass(frozen=True)
class Source:
    kind: str          # "csv" | "parquet" | "xlsx" | "toml"
    path: Path         # the readable file on disk
    name: str          # the name shown in problems (``interventions.csv``, ``data.zip:policies/M01.toml``)
    table: str | None  # the table for csv/parquet; None for xlsx (sheets) and toml


@dataclass
class Discovery:
    sources: list[Source]
    warnings: list[Problem]


def _table_source(path: Path, name: str) -> Source | None:
    suffix = path.suffix.lower()
    if suffix in TABLE_EXTENSIONS and path.stem in IMPORT_TABLES:
        return Source(suffix[1:], path, name, path.stem)
    if suffix == ".xlsx":
        return Source("xlsx", path, name, None)
    return None


def _scan_folder(folder: Path, prefix: str, found: Discovery) -> None:
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    for entry in entries:
        name = prefix + entry.name
        if entry.is_dir():
            if entry.name == "policies":
                for policy in sorted(entry.iterdir(), key=lambda p: p.name):
                    if policy.is_file() and policy.suffix.lower() == ".toml":
                        found.sources.append(Source("toml", policy, prefix + "policies/" + policy.name, None))
                    else:
                        found.warnings.append(_ignored(prefix + "policies/" + policy.name,
                                                       "only .toml policy files are read from policies/"))
            else:
                found.warnings.append(_ignored(name + "/", "sub-folders other than policies/ are not read"))
            continue
        if entry.suffix.lower() == ".toml":
            found.sources.append(Source("toml", entry, name, None))
            continue
        source = _table_source(entry, name)
        if source is None:
            found.warnings.append(_ignored(name, "it is not a table of the data contract "
                                                 "(<table>.csv, <table>.parquet, a .xlsx workbook or a .toml policy)"))
        else:
            found.sources.append(source)


def _ignored(name: str, why: str) -> Problem:
    return Problem(name, None, "", "", "unknown file", f"this file was ignored: {why}", WARNING)


def _extract_zip(archive: Path, into: Path) -> Path:
    """Extract ``archive`` into ``into`` safely; returns the folder holding the tables."""
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                member = PurePosixPath(info.filename)
                if member.is_absolute() or ".." in member.parts:
                    raise UsageError(f"{archive}: the archive holds an unsafe path {info.filename!r}")
                if info.filename.startswith("__MACOSX/"):
                    continue
                zf.extract(info, into)
    except zipfile.BadZipFile as exc:
        raise UsageError(f"{archive}: not a readable .zip archive ({exc})") from None
    root = into
    children = [c for c in root.iterdir() if c.name != "__MACOSX"]
    # A zip made by compressing a folder holds that one folder: look inside it.
    if len(children) == 1 and children[0].is_dir() and children[0].name != "policies":
        root = children[0]
    return root


def discover(paths: list[Path | str], stack: contextlib.ExitStack) -> Discovery:
    """Every source of the given import paths (temporary extractions live until ``stack`` closes)."""
    found = Discovery([], [])
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_dir():
            _scan_folder(path, "", found)
            continue
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED:
            raise UsageError(f"{path}: unsupported file type {suffix or '(none)'!r}; "
                             "give a folder, a .zip, a .xlsx, a <table>.csv, a <table>.parquet or a .toml policy")
        if suffix == ".zip":
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="clairvoie-zip-")))
            root = _extract_zip(path, tmp)
            _scan_folder(root, path.name + ":", found)
        elif suffix == ".toml":
            found.sources.append(Source("toml", path, path.name, None))
        else:
            source = _table_source(path, path.name)
            if source is None:
                raise UsageError(f"{path}: a {suffix} file must be named after a table of the data contract "
                                 f"({', '.join(IMPORT_TABLES)})")
            found.sources.append(source)
    return found
