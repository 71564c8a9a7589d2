"""Bounds on what an import may expand into: no archive, workbook, Parquet or TOML bomb.

A 1 MB zip can hold a 1 GiB CSV; a Parquet file can declare a billion rows of one repeated value;
an xlsx workbook is itself a zip of XML parts, which could declare entities; a TOML file can nest
arrays until the parser runs out of stack. Every input is checked against the limits below
*before* it is expanded or read — from the sizes the archive's directory, the Parquet footer or the
file itself declares — and a zip member is extracted by streaming, counting the bytes actually
written, so a lying header cannot get past them either (Python's ``zipfile`` also never returns
more than the declared size). A breach raises :class:`~analytics.contract.importer.errors.LimitExceeded` (a usage error): its
message names the file (as the import names it, never a server path) and the limit, and nothing
has been written to the store.

The limits are far above real data: the demo's export holds about 180 bytes per intervention in
``interventions.csv`` (about 180 MB for 1,000,000 interventions, about 600 MB for the whole
export) and its CSV files deflate 5 to 8 times. Documented in README "Import limits" and
docs/SECURITY.md.
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from analytics.contract.importer.errors import LimitExceeded

MiB = 1 << 20
GiB = 1 << 30

#: Members of one archive (zip) or workbook (xlsx).
MAX_ARCHIVE_ENTRIES = 10_000
#: Uncompressed size of one member of an archive or workbook.
MAX_ENTRY_BYTES = 2 * GiB
#: Uncompressed size of all members of one archive or workbook together.
MAX_ARCHIVE_BYTES = 4 * GiB
#: Uncompressed / compressed size of one member (CSV and sheet XML compress about 5–20 times);
#: members smaller than :data:`RATIO_FREE_BYTES` are not held to it.
MAX_COMPRESSION_RATIO = 200
RATIO_FREE_BYTES = 1 * MiB
#: The beginning of each XML part of a workbook searched for a DOCTYPE (a DTD, and with it any
#: entity, is refused: it can only come before the root element).
XML_PROLOGUE_BYTES = 64 * 1024
#: Parquet: rows of one file, uncompressed bytes of one row group and of the whole file, columns.
MAX_PARQUET_ROWS = 50_000_000
MAX_ROW_GROUP_BYTES = 1 * GiB
MAX_PARQUET_BYTES = 4 * GiB
MAX_PARQUET_COLUMNS = 1_000
#: Policy (TOML) files: size and nesting of arrays and inline tables.
MAX_TOML_BYTES = 1 * MiB
MAX_TOML_NESTING = 32

_COPY_CHUNK = 1 * MiB


def _size(n: int) -> str:
    if n >= GiB:
        return f"{n / GiB:.3g} GiB"
    if n >= MiB:
        return f"{n / MiB:.3g} MiB"
    return f"{n:,} bytes"


def _refuse(name: str, what: str) -> LimitExceeded:
    return LimitExceeded(f"{name}: refused, {what}; nothing was imported "
                         "(see README \"Import limits\")")


# ---------------------------------------------------------------- zip archives and workbooks

def check_members(name: str, infos: list[zipfile.ZipInfo]) -> None:
    """The declared sizes of an archive's (or workbook's) members against the limits."""
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        raise _refuse(name, f"it holds {len(infos):,} entries, more than the limit of {MAX_ARCHIVE_ENTRIES:,}")
    total = 0
    for info in infos:
        check_member(name, info.filename, info.file_size, info.compress_size)
        total += info.file_size
        if total > MAX_ARCHIVE_BYTES:
            raise _refuse(name, f"its entries expand to more than {_size(MAX_ARCHIVE_BYTES)} "
                                "(limit on the uncompressed size of an archive)")


def check_member(name: str, member: str, size: int, compressed: int) -> None:
    if size > MAX_ENTRY_BYTES:
        raise _refuse(f"{name}:{member}", f"it expands to more than {_size(MAX_ENTRY_BYTES)} "
                                          "(limit on the uncompressed size of one file)")
    if size > RATIO_FREE_BYTES and size > MAX_COMPRESSION_RATIO * max(compressed, 1):
        raise _refuse(f"{name}:{member}", f"it expands {size / max(compressed, 1):,.0f} times "
                                          f"(limit on the compression ratio: {MAX_COMPRESSION_RATIO})")


def extract_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, name: str,
                   budget: list[int]) -> None:
    """Stream one member to ``target``, counting what is written against the member's limits and
    the archive's remaining ``budget`` (a one-element list, decreased); a breach removes the file."""
    written = 0
    limit = min(MAX_ENTRY_BYTES, budget[0])
    if info.file_size > RATIO_FREE_BYTES:
        limit = min(limit, MAX_COMPRESSION_RATIO * max(info.compress_size, 1))
    limit = max(limit, min(RATIO_FREE_BYTES, budget[0]))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zf.open(info) as src, open(target, "wb") as out:
            while chunk := src.read(_COPY_CHUNK):
                written += len(chunk)
                if written > limit:
                    raise _refuse(f"{name}:{info.filename}",
                                  f"it expands beyond {_size(limit)} while being extracted "
                                  "(limits on the uncompressed size and the compression ratio)")
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    budget[0] -= written


def check_workbook(path: Path, name: str) -> None:
    """An xlsx workbook (a zip of XML parts): member limits, and no DTD in any XML part."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            check_members(name, infos)
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as part:
                        prologue = part.read(XML_PROLOGUE_BYTES)
                    if b"<!DOCTYPE" in prologue.upper() or b"<!ENTITY" in prologue.upper():
                        raise _refuse(f"{name}:{info.filename}",
                                      "the XML part declares a DOCTYPE or entities (never in a workbook; "
                                      "refused as a possible entity expansion bomb)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError):
        return  # a damaged or encrypted zip: the workbook reader reports it as an unreadable workbook


# ---------------------------------------------------------------- Parquet

def check_parquet(path: Path, name: str) -> None:
    """A Parquet file's rows, columns and decoded size against the limits, before it is read into
    staging. The footer is checked first (rows, row groups' uncompressed sizes); then the file is
    streamed once, by batches with text kept dictionary-encoded, adding up the size every value
    will have once decoded — a dictionary of one 1 MiB text repeated a million times is small on
    disk and in the footer, but 1 TiB as rows. A file whose footer cannot be read is left to the
    reader to report (with its name)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
        meta = file.metadata
    except Exception:  # noqa: BLE001 - not Parquet: the reader says so, with the file's name
        return
    if meta.num_columns > MAX_PARQUET_COLUMNS:
        raise _refuse(name, f"it has {meta.num_columns:,} columns, more than the limit of {MAX_PARQUET_COLUMNS:,}")
    if meta.num_rows > MAX_PARQUET_ROWS:
        raise _refuse(name, f"it declares {meta.num_rows:,} rows, more than the limit of {MAX_PARQUET_ROWS:,}")
    for i in range(meta.num_row_groups):
        group = meta.row_group(i)
        if group.num_rows > MAX_PARQUET_ROWS:
            raise _refuse(name, f"row group {i + 1} declares {group.num_rows:,} rows, more than the limit of "
                                f"{MAX_PARQUET_ROWS:,}")
        _check_row_group_size(name, i, max(group.total_byte_size, 0))
    try:
        file = pq.ParquetFile(path, read_dictionary=[f.name for f in file.schema_arrow])
        total = 0
        for i in range(meta.num_row_groups):
            decoded = 0
            for batch in file.iter_batches(batch_size=_PARQUET_BATCH_ROWS, row_groups=[i], use_threads=False):
                for column in batch.columns:
                    if pa.types.is_dictionary(column.type) and (pa.types.is_string(column.type.value_type)
                                                                or pa.types.is_binary(column.type.value_type)):
                        lengths = pc.binary_length(column.dictionary)
                        decoded += pc.sum(pc.take(lengths, column.indices)).as_py() or 0
                    else:
                        decoded += column.nbytes
                _check_row_group_size(name, i, decoded)
            total += decoded
            if total > MAX_PARQUET_BYTES:
                raise _refuse(name, f"its values expand to more than {_size(MAX_PARQUET_BYTES)} "
                                    "(limit on the decoded size of a Parquet file)")
    except LimitExceeded:
        raise
    except Exception:  # noqa: BLE001 - a damaged file: the reader reports it, with the file's name
        return


#: Rows per batch of the Parquet size check (its memory: at most one batch of values, decoded
#: dictionaries excepted).
_PARQUET_BATCH_ROWS = 8_192


def _check_row_group_size(name: str, index: int, size: int) -> None:
    if size > MAX_ROW_GROUP_BYTES:
        raise _refuse(name, f"row group {index + 1} expands to more than {_size(MAX_ROW_GROUP_BYTES)} "
                            "(limit on the decoded size of one row group)")


# ---------------------------------------------------------------- TOML

def toml_nesting(text: str) -> int:
    """The deepest nesting of arrays and inline tables in a TOML text (strings and comments skipped)."""
    depth = deepest = 0
    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if c == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if (text[i] == "\\" and quote[0] == '"') else 1
            i += len(quote)
            at_line_start = False
            continue
        if c == "[" and at_line_start and depth == 0:  # a [table] or [[array]] header: not nesting
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c == "\n":
            at_line_start = True
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
            at_line_start = False
        elif c in "]}":
            depth = max(depth - 1, 0)
        elif not c.isspace():
            at_line_start = False
        i += 1
    return deepest


def check_toml(path: Path, name: str) -> None:
    size = path.stat().st_size
    if size > MAX_TOML_BYTES:
        raise _refuse(name, f"the policy file has {_size(size)}, more than the limit of {_size(MAX_TOML_BYTES)}")
    text = path.read_bytes().decode("utf-8", "replace")
    depth = toml_nesting(text)
    if depth > MAX_TOML_NESTING:
        raise _refuse(name, f"arrays or inline tables nest {depth} deep, more than the limit of {MAX_TOML_NESTING}")


__all__ = ["LimitExceeded", "MAX_ARCHIVE_BYTES", "MAX_ARCHIVE_ENTRIES", "MAX_COMPRESSION_RATIO",
           "MAX_ENTRY_BYTES", "MAX_PARQUET_BYTES", "MAX_PARQUET_COLUMNS", "MAX_PARQUET_ROWS",
           "MAX_ROW_GROUP_BYTES", "MAX_TOML_BYTES", "MAX_TOML_NESTING", "check_members", "check_parquet",
           "check_toml", "check_workbook", "extract_member", "toml_nesting"]
