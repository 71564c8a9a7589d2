"""Discovering what an import holds: folders, ``.zip`` archives, single files.

An import path is one of
* a folder: ``<table>.csv`` / ``<table>.parquet`` / ``*.xlsx`` at its top, policy files
  ``*.toml`` at its top or in ``policies/``;
* a ``.zip`` archive holding such a folder (at its root, or inside one top folder);
* a single ``<table>.csv`` / ``<table>.parquet``, an ``.xlsx`` workbook (one sheet per
  table) or a ``<manufacturer_id>.toml`` policy file.

A path that does not exist, a single file whose extension is not one of these, or
a single ``.csv``/``.parquet`` not named after a table, is a usage error
(:class:`UsageError`), raised before the store is touched; so is an input beyond the import
limits (:class:`LimitExceeded`, :mod:`~analytics.contract.importer.limits`: zip, workbook, Parquet
and TOML bombs), checked here before anything is read. Messages name files as the import names
them, never by a server path. Inside a folder, files
that are not part of the contract are reported as warnings and ignored.
"""
from __future__ import annotations

import contextlib
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analytics.contract.importer import limits
from analytics.contract.importer.errors import UsageError
from analytics.core.problems import WARNING, Problem
from analytics.contract.importer.tables import IMPORT_TABLES

TABLE_EXTENSIONS = (".csv", ".parquet")
SUPPORTED = (".csv", ".parquet", ".xlsx", ".zip", ".toml")


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
    """Extract ``archive`` into ``into`` safely and within the import limits
    (:mod:`~analytics.contract.importer.limits`: entries, sizes, compression ratio, checked from the
    archive's directory first and again while streaming each member); returns the folder holding
    the tables. Messages name the archive by its file name, never a server path."""
    name = archive.name
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            limits.check_members(name, infos)
            budget = [limits.MAX_ARCHIVE_BYTES]
            for info in infos:
                member = PurePosixPath(info.filename)
                if member.is_absolute() or ".." in member.parts:
                    raise UsageError(f"{name}: the archive holds an unsafe path {info.filename!r}")
                if info.filename.startswith("__MACOSX/"):
                    continue
                target = into.joinpath(*member.parts)
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                limits.extract_member(zf, info, target, name, budget)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error,
            RuntimeError) as exc:  # RuntimeError: an encrypted member
        raise UsageError(f"{name}: not a readable .zip archive ({type(exc).__name__}: {_no_path(exc, into)})") from None
    root = into
    children = [c for c in root.iterdir() if c.name != "__MACOSX"]
    # A zip made by compressing a folder holds that one folder: look inside it.
    if len(children) == 1 and children[0].is_dir() and children[0].name != "policies":
        root = children[0]
    return root


def _no_path(exc: BaseException, folder: Path) -> str:
    """An exception's text without the server's temporary folder in it."""
    return str(exc).replace(str(folder) + "/", "").replace(str(folder), "")


def check_limits(source: Source) -> None:
    """The import limits of one source (workbook, Parquet, TOML), before it is read."""
    if source.kind == "xlsx":
        limits.check_workbook(source.path, source.name)
    elif source.kind == "parquet":
        limits.check_parquet(source.path, source.name)
    elif source.kind == "toml":
        limits.check_toml(source.path, source.name)


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
            raise UsageError(f"{path.name}: unsupported file type {suffix or '(none)'!r}; "
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
                raise UsageError(f"{path.name}: a {suffix} file must be named after a table of the data contract "
                                 f"({', '.join(IMPORT_TABLES)})")
            found.sources.append(source)
    for source in found.sources:
        check_limits(source)
    return found
