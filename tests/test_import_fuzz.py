"""A fuzz run of the importer (hypothesis) over malformed CSV, XLSX, Parquet and TOML files.

Each example is a valid file of the contract's good fixture, damaged (bytes flipped, inserted or
cut, or replaced by arbitrary bytes), imported into a store holding the good fixture. Whatever
the input, the importer either lands it (a damage that leaves a valid file) or answers with clear
problems (each naming the file, with a message) or a usage error — never another exception — and
a rejected input leaves the store exactly as it was. No message shows the server's folder.
"""
from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import openpyxl
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.import_support import GOOD, engine_off, snapshot  # noqa: F401

from analytics.contract.importer import UsageError, import_paths

SETTINGS = settings(max_examples=10, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "stations"
    for line in (GOOD / "stations.csv").read_text(encoding="utf-8").splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _parquet_bytes() -> bytes:
    out = io.BytesIO()
    pq.write_table(pacsv.read_csv(GOOD / "stations.csv"), out)
    return out.getvalue()


VALID = {
    "stations.csv": (GOOD / "stations.csv").read_bytes(),
    "data.xlsx": _xlsx_bytes(),
    "stations.parquet": _parquet_bytes(),
    "M01.toml": (GOOD / "policies" / "M01.toml").read_bytes(),
}


@st.composite
def damaged(draw, valid: bytes) -> bytes:
    kind = draw(st.sampled_from(["flip", "insert", "cut", "random", "truncate"]))
    if kind == "random":
        return draw(st.binary(max_size=2048))
    data = bytearray(valid)
    if kind == "truncate":
        return bytes(data[:draw(st.integers(0, max(len(data) - 1, 0)))])
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif data:
            del data[at:at + draw(st.integers(1, 64))]
    return bytes(data)


@pytest.fixture(scope="module")
def store_with_good(tmp_path_factory):
    from tests.import_support import no_engine, restore_engine

    no_engine()
    try:
        folder = tmp_path_factory.mktemp("fuzz")
        db = folder / "store.duckdb"
        assert import_paths(db, [GOOD]).ok
        return {"db": db, "folder": folder, "snapshot": snapshot(db)}
    finally:
        restore_engine()


def _import_damaged(state: dict, name: str, data: bytes) -> None:
    path = state["folder"] / "in" / name
    shutil.rmtree(path.parent, ignore_errors=True)
    path.parent.mkdir()
    path.write_bytes(data)
    try:
        result = import_paths(state["db"], [path])
    except UsageError as exc:
        assert str(exc) and str(path.parent) not in str(exc), str(exc)
        assert snapshot(state["db"]) == state["snapshot"]
        return
    if result.ok:  # the damage left a valid file: it landed, and is the new reference
        state["snapshot"] = snapshot(state["db"])
        return
    assert result.problems
    for problem in result.problems:
        assert problem.file.startswith(name) and problem.message, problem
        assert str(path.parent) not in str(problem), problem
    assert snapshot(state["db"]) == state["snapshot"]


@pytest.mark.parametrize("name", sorted(VALID))
def test_damaged_files_give_clear_problems_and_leave_the_store_alone(store_with_good, name):
    @SETTINGS
    @given(damaged(VALID[name]))
    def run(data):
        _import_damaged(store_with_good, name, data)

    run()
