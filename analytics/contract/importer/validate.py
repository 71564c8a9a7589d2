"""Validation: the contract's rules as SQL over the staging tables, every problem in one pass.

Three kinds of rules, all producing rows ``(_file, _row, column, value, rule, message)``:

* column rules (``queries/import/column_rules.sql``): one CASE per column built from the
  contract's declarations, so each bad cell gives one problem and a file's problems all
  come out of one scan of its staging table;
* row rules (``queries/import/rows/<table>.sql``): cross-column rules of one row;
* cross-table rules (``queries/import/cross/*.sql``): duplicate keys, references,
  invoice/intervention consistency, disputes, the invoice currency — over the
  effective tables (store plus import, ``queries/import/effective.sql``).

Identifiers in generated SQL come only from :mod:`analytics.contract` and
:mod:`analytics.importer.tables` (a fixed whitelist); constants are bound parameters.
"""
from __future__ import annotations

import functools
import re

import duckdb
import pyarrow as pa

from analytics.core import sql
from analytics.core.config import QUERIES_DIR
from analytics.contract import identifiers
from analytics.contract.tables import MAX_TEXT_LENGTH, Column, Table
from analytics.core.problems import Problem
from analytics.contract.importer.reading import staging_name
from analytics.contract.importer.tables import IMPORT_TABLES, UNLIMITED_TEXT, ident, sql_type

_FRAGMENT_RE = re.compile(r"^-- @(\w+)\n(.*?)(?=^-- @|\Z)", re.S | re.M)


@functools.cache
def _fragments() -> dict[str, str]:
    return {m.group(1): m.group(2).strip() for m in _FRAGMENT_RE.finditer(sql.load("contract/import/column_rules"))}


def fill_template(template: str, **names: str) -> str:
    for key, value in names.items():
        template = template.replace(f"@{key}@", value)
    return template


def _split(fragment: str) -> tuple[str, str]:
    """(condition, result) of a ``WHEN condition THEN result`` fragment."""
    condition, result = re.split(r"\s+THEN\s+", fragment, maxsplit=1)
    return condition.removeprefix("WHEN").strip(), result


def _column_case(table: Table, column: Column, params: dict) -> tuple[str, str] | None:
    """(CASE yielding the cell's problem, condition true when the cell has one)."""
    frag = _fragments()
    parts = []
    if column.required:
        parts.append("required")
    if column.type == "date":
        parts.append("date")
    elif column.type == "timestamp":
        parts.append("timestamp")
    elif column.type == "int":
        parts.append("int")
    elif column.type == "decimal":
        parts += ["decimal", "scale", "size"]
        params[f"scale_{column.name}"] = column.scale
    if column.type in ("int", "decimal"):
        for bound in ("minimum", "maximum", "below"):
            value = getattr(column, bound)
            if value is not None:
                parts.append(bound)
                params[f"{bound}_{column.name}"] = value
    if column.choices:
        parts.append("choices")
        params[f"choices_{column.name}"] = list(column.choices)
    if column.type == "text" and table.name not in UNLIMITED_TEXT:
        parts.append("length")
    if column.identifier:
        parts.append("identifier")
        params[f"identifier_{column.name}"] = column.identifier
    if not parts:
        return None
    # An empty optional cell breaks no rule: stop there (NULL would make `NOT ... OR ... IS NULL` true).
    col = ident(column.name)
    head = "" if column.required else f"WHEN {col} IS NULL THEN NULL\n"
    filled = [fill_template(frag[p], col=col, name=column.name, type=sql_type(column)) for p in parts]
    case = f"CASE {head}" + "\n".join(filled) + " END"
    any_rule = " OR ".join(f"({_split(f)[0]})" for f in filled)
    if not column.required:
        any_rule = f"({col} IS NOT NULL AND ({any_rule}))"
    return case, any_rule


@functools.cache
def _column_query(table_name: str) -> tuple[str, tuple]:
    table = IMPORT_TABLES[table_name]
    params: dict = {"max_text_length": MAX_TEXT_LENGTH}
    items, conditions = [], []
    for column in table.columns:
        built = _column_case(table, column, params)
        if built is None:
            continue
        case, any_rule = built
        items.append(
            f"{{'c': '{column.name}', 'v': coalesce({ident(column.name)}, ''), 'p': {case}}}"
        )
        conditions.append(any_rule)
    # The WHERE clause (plain conditions) finds the rows with a problem in one cheap scan;
    # the problems themselves (structs, messages) are only built for those rows.
    query = (
        "SELECT _file, _row, p.c AS \"column\", p.v AS value, p.p.r AS rule, p.p.m AS message FROM ("
        f" SELECT _file, _row, unnest(list_filter([{', '.join(items)}], lambda x: x.p.r IS NOT NULL)) AS p"
        f" FROM {staging_name(table_name)}"
        f" WHERE {' OR '.join(conditions)}"
        ") ORDER BY _file, _row"
    )
    # DuckDB refuses unused named parameters: keep those the query uses.
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", query)}
    return query, tuple(used.items())


def _problems(rows) -> list[Problem]:
    return [Problem(f, r, c, v if v is not None else "", rule, m) for f, r, c, v, rule, m in rows]


def _identifier_problems(kinds: pa.Array, values: pa.Array) -> pa.Array:
    """Per cell: ``'rule<TAB>message'`` of the identifier's problem, NULL when valid or empty
    (an Arrow function: one Python call per batch of cells, not per cell)."""
    out = []
    for kind, value in zip(kinds.to_pylist(), values.to_pylist()):
        failure = identifiers.problem(kind, value)
        out.append(None if failure is None else f"{failure.rule}\t{failure.message}")
    return pa.array(out, pa.string())


def register_identifier_check(con: duckdb.DuckDBPyConnection) -> None:
    """Make ``contract_identifier_problem(kind, value)`` (the column rule ``identifier``)
    callable in this connection's SQL: the check digits are computed in Python."""
    if not sql.fetch_all(con, "contract/import/identifier_function_known"):
        con.create_function("contract_identifier_problem", _identifier_problems,
                            [duckdb.sqltype("VARCHAR"), duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"),
                            type="arrow", null_handling="special")


def column_problems(con: duckdb.DuckDBPyConnection, table_name: str) -> list[Problem]:
    query, params = _column_query(table_name)
    if any(c.identifier for c in IMPORT_TABLES[table_name].columns):
        register_identifier_check(con)
    return _problems(con.execute(query, dict(params)).fetchall())


def row_problems(con: duckdb.DuckDBPyConnection, table_name: str) -> list[Problem]:
    if not (QUERIES_DIR / "contract" / "import" / "rows" / f"{table_name}.sql").exists():
        return []
    return _problems(sql.fetch_all(con, f"contract/import/rows/{table_name}"))


def _key_text(table: Table) -> str:
    parts = []
    for i, name in enumerate(table.key):
        prefix = ("" if i == 0 else ", ") + name + " = "
        parts.append(f"'{prefix}''' || k.k{i} || ''''")
    return " || ".join(parts)


def _key_expr(table: Table, name: str) -> str:
    column = table.column(name)
    if column.type == "int":  # 7 and 07 are the same line number
        return f"coalesce(CAST(try_cast({ident(name)} AS BIGINT) AS VARCHAR), {ident(name)})"
    return ident(name)


def duplicate_problems(con: duckdb.DuckDBPyConnection, table_name: str) -> list[Problem]:
    table = IMPORT_TABLES[table_name]
    query = fill_template(
        sql.load("contract/import/cross/duplicate_key"),
        stg=staging_name(table_name),
        keys=", ".join(f"{_key_expr(table, k)} AS k{i}" for i, k in enumerate(table.key)),
        keynames=", ".join(f"k{i}" for i in range(len(table.key))),
        keytext=_key_text(table),
        keycol=table.key[0],
        notnull=" AND ".join(f"{ident(k)} IS NOT NULL" for k in table.key),
    )
    return _problems(con.execute(query).fetchall())


def reference_problems(con: duckdb.DuckDBPyConnection, table_name: str) -> list[Problem]:
    table = IMPORT_TABLES[table_name]
    found = []
    for fk in table.references:
        query = fill_template(
            sql.load("contract/import/cross/unknown_reference"),
            stg=staging_name(table_name), col=ident(fk.column), name=fk.column,
            parent_stg=staging_name(fk.table), parent=ident(fk.table), target=ident(fk.target),
            parent_name=fk.table.rstrip("s").replace("_", " "), target_name=fk.target,
        )
        found += _problems(con.execute(query).fetchall())
    return found


#: Hand-written cross-table rules, by the table whose rows they judge.
CROSS_RULES = {
    "invoice_lines": ("line_same_station",),
    "disputes": ("dispute_on_invoice", "dispute_opened"),
}


def cross_problems(con: duckdb.DuckDBPyConnection, table_name: str, duplicates: bool = True) -> list[Problem]:
    found = duplicate_problems(con, table_name) if duplicates else []
    found += reference_problems(con, table_name)
    for rule in CROSS_RULES.get(table_name, ()):
        found += _problems(sql.fetch_all(con, f"contract/import/cross/{rule}"))
    return found


def currency_problems(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    return _problems(sql.fetch_all(con, "contract/import/cross/invoice_currency"))
