"""Named SQL: every query lives in ``queries/<name>.sql`` and runs with bound parameters.

Values never enter SQL text. Parameters are passed to DuckDB as ``$name`` bindings,
so a station id such as ``'); DROP TABLE x; --`` is only ever data.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Mapping

import duckdb
import pandas as pd

from analytics.core.config import QUERIES_DIR

_NAME_RE = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")
_PARAM_RE = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")
_COMMENT_RE = re.compile(r"--[^\n]*|'(?:[^']|'')*'")


_INCLUDE_RE = re.compile(r"^[ \t]*-- include: (fragments/[a-z0-9_]+)[ \t]*$", re.MULTILINE)


@functools.cache
def load(name: str) -> str:
    """Text of ``queries/<name>.sql``; ``name`` may hold sub-folders (``engine/findings``).

    A line ``-- include: fragments/<fragment>`` stands for the text of
    ``queries/fragments/<fragment>.sql``: a condition said once (the viewer's selection) and used
    by many queries. Only fixed SQL from that folder is included, never a value.
    """
    if not _NAME_RE.match(name):
        raise ValueError(f"invalid query name {name!r}")
    text = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return _INCLUDE_RE.sub(lambda m: load(m.group(1)).rstrip("\n"), text)


def without_comments(text: str) -> str:
    """``text`` with its comments and string literals blanked (what is left is the SQL's names)."""
    return _COMMENT_RE.sub(" ", text)


@functools.cache
def parameters(name: str) -> frozenset[str]:
    """The ``$parameters`` a query uses (comments and string literals ignored)."""
    text = without_comments(load(name))
    return frozenset(_PARAM_RE.findall(text))


def _bind(name: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    wanted = parameters(name)
    given = dict(params or {})
    missing = wanted - given.keys()
    if missing:
        raise TypeError(f"query {name!r} needs parameters {sorted(missing)}")
    # DuckDB refuses unused named parameters, so pass only what the query uses.
    return {k: given[k] for k in wanted}


def execute(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None):
    """Run a named query (DDL or DML); returns the connection's result."""
    bound = _bind(name, params)
    return con.execute(load(name), bound) if bound else con.execute(load(name))


def fetch_df(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run a named query and read its whole result as a DataFrame."""
    return execute(con, name, params).df()


def fetch_all(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
    return execute(con, name, params).fetchall()


def run_script(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run a parameterless multi-statement file (migrations, derived-table refresh)."""
    con.execute(load(name))
