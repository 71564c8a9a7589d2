"""Contract files, written chunk by chunk: one file per table, appended, bounded in memory.

Columns follow ``analytics.contract`` (names and order). Values are built from
integer arrays (day numbers, cents) without going through floats, so a written
amount is exactly the one computed: money as DECIMAL(18,2), dates as ISO days.
CSV (UTF-8, header row, ``,``) or Parquet — both are contract formats.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from analytics.contract.tables import TABLES_BY_NAME

FORMATS = ("csv", "parquet")


def _arrow_type(column) -> pa.DataType:
    if column.type == "text":
        return pa.string()
    if column.type == "date":
        return pa.date32()
    if column.type == "int":
        return pa.int64()
    # Decimals are written with the decimals they need (money: 2; km: 1; rates: see writer).
    return {"travel_km": pa.decimal128(18, 1), "vat_rate": pa.decimal128(18, 2),
            "eur_per_unit": pa.decimal128(18, 6)}.get(column.name, pa.decimal128(18, 2))


def schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(c.name, _arrow_type(c)) for c in TABLES_BY_NAME[table].columns])


# ---------------------------------------------------------------- array builders

def decimal(units: np.ndarray, scale: int, mask: np.ndarray | None = None) -> pa.Array:
    """A DECIMAL(18, scale) array from integers counting 10**-scale (cents for scale 2)."""
    units = np.ascontiguousarray(units, dtype=np.int64)
    words = np.empty((len(units), 2), dtype=np.int64)  # little-endian 128-bit two's complement
    words[:, 0] = units
    words[:, 1] = np.where(units < 0, -1, 0)
    validity = None
    null_count = 0
    if mask is not None and mask.any():
        validity = pa.array(~mask).buffers()[1]
        null_count = int(mask.sum())
    return pa.Array.from_buffers(pa.decimal128(18, scale), len(units), [validity, pa.py_buffer(words)],
                                 null_count=null_count)


def dates(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """A date array from day numbers (days since 1970-01-01); ``mask`` True = empty."""
    return pa.array(np.asarray(days, dtype=np.int32), type=pa.int32(), mask=mask).cast(pa.date32())


def ints(values: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64), type=pa.int64(), mask=mask)


def labels(indices: np.ndarray, values, mask: np.ndarray | None = None) -> pa.Array:
    """Text from a small vocabulary: ``values[indices]`` (``mask`` True = empty)."""
    out = pc.take(pa.array(list(values), type=pa.string()), pa.array(np.asarray(indices, dtype=np.int64)))
    if mask is not None and mask.any():
        out = pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), out)
    return out


def numbered(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded number, e.g. ``I00000042``."""
    digits = pc.utf8_lpad(pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, pa.scalar(""))


def joined(left: pa.Array, right: pa.Array, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(left, right, pa.scalar(sep))


# ---------------------------------------------------------------- sinks

class TableSink:
    """Appends chunks to ``<directory>/<table>.<fmt>``; a table never written still gets its header."""

    def __init__(self, directory: Path, table: str, fmt: str):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: use one of {FORMATS}")
        self.table = table
        self.schema = schema(table)
        self.path = Path(directory) / f"{table}.{fmt}"
        self.rows = 0
        if fmt == "csv":
            self._writer = pacsv.CSVWriter(self.path, self.schema)
        else:
            self._writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")

    def write(self, columns: dict[str, pa.Array]) -> None:
        arrays = [columns[f.name] for f in self.schema]
        batch = pa.Table.from_arrays(arrays, schema=self.schema)
        if batch.num_rows:
            self._writer.write_table(batch)
            self.rows += batch.num_rows

    def close(self) -> None:
        self._writer.close()


class Sinks:
    """One :class:`TableSink` per contract table."""

    def __init__(self, directory: Path, fmt: str, tables):
        Path(directory).mkdir(parents=True, exist_ok=True)
        self.sinks = {t: TableSink(directory, t, fmt) for t in tables}

    def write(self, table: str, columns: dict[str, pa.Array]) -> None:
        self.sinks[table].write(columns)

    def rows(self) -> dict[str, int]:
        return {t: s.rows for t, s in self.sinks.items()}

    def paths(self) -> list[Path]:
        return [s.path for s in self.sinks.values()]

    def close(self) -> None:
        for s in self.sinks.values():
            s.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
