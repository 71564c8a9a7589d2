"""The importer: data-contract files and policy files into the store, all or nothing.

Pipeline (one writer, one private copy of the store, see :mod:`analytics.core.store`):
discover the sources -> read each into a staging table (text) -> parse the policies ->
validate (column rules, row rules, cross-table rules over store plus import; every
problem of every file in one pass) -> if nothing is wrong, load (``INSERT OR REPLACE``
by key, policies replaced per manufacturer, finding entries appended) and log -> the
writer refreshes the engine and publishes atomically. A rejected import raises inside
the writer, so the published store is untouched.

Public API: :func:`import_paths`, :func:`import_into`, :class:`ImportResult`,
:class:`UsageError` (a path that cannot be imported; exit code 2 on the command line).
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import duckdb

from analytics.contract import policy_format
from analytics.core import sql, store
from analytics.core.transactions import in_transaction
from analytics.engine import changes, publishing
from analytics.contract.tables import TABLE_ORDER
from analytics.core.problems import ERROR, Problem
from analytics.access.scope import Scope
from analytics.contract.importer import policies, reading, scope_check, validate
from analytics.contract.importer.sources import UsageError, discover
from analytics.contract.importer.tables import IMPORT_TABLES, ident, sql_type

__all__ = ["ImportResult", "UsageError", "import_paths", "import_into"]

Progress = Callable[[int, int, str], None]

#: Contract tables that also hold the engine's integer key of their intervention (``iv_key``,
#: migration 007; internal, never exported): the importer sets it when it loads a row.
KEYED_BY_INTERVENTION = ("documents", "invoice_lines")


@dataclass
class ImportResult:
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    #: rows read per table (``policies``: number of policy files), for a landed import
    rows_by_table: dict[str, int] = field(default_factory=dict)


class _Rejected(Exception):
    def __init__(self, result: ImportResult):
        super().__init__("import rejected")
        self.result = result


def _load_table(con: duckdb.DuckDBPyConnection, name: str) -> None:
    table = IMPORT_TABLES[name]
    # Into an empty table a plain INSERT gives the same rows as INSERT OR REPLACE, faster,
    # and it refuses a key given twice (see the deferred duplicate check in _run).
    empty = _empty(con, name)
    casts = ", ".join(
        ident(c.name) if c.type == "text" else f"CAST({ident(c.name)} AS {sql_type(c)})" for c in table.columns
    )
    columns = ", ".join(ident(c) for c in table.column_names)
    if name in KEYED_BY_INTERVENTION:  # the engine's key of the row's intervention, loaded with it
        columns += ", iv_key"
        casts += ", " + validate.fill_template(sql.without_comments(sql.load("contract/import/intervention_key_of")).strip(),
                                               stg=reading.staging_name(name))
    query = validate.fill_template(
        sql.load("contract/import/load_table"),
        table=ident(name), stg=reading.staging_name(name), columns=columns, casts=casts,
    )
    if empty:
        query = query.replace("INSERT OR REPLACE INTO", "INSERT INTO", 1)
    con.execute(query)


def _empty(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return not con.execute(f"SELECT 1 FROM main.{ident(name)} LIMIT 1").fetchall()


def _rejected(errors: list[Problem], warnings: list[Problem]) -> ImportResult:
    errors.sort(key=lambda p: (p.file, p.row if p.row is not None else -1))
    return ImportResult(False, errors, warnings, {})


def import_into(con: duckdb.DuckDBPyConnection, paths: Iterable[Path | str], *,
                progress: Progress | None = None) -> ImportResult:
    """Validate and load ``paths`` through a writer connection ``con``.

    Returns ``ok=False`` with every problem when the input is rejected; the connection's
    data is then unchanged (nothing is loaded before all checks pass). Raises
    :class:`UsageError` for a path that cannot be an import.
    """
    with contextlib.ExitStack() as stack:
        found = discover(list(paths), stack)
        return _run(con, found, progress or (lambda done, total, message: None))


def _load(con, parsed, rows: dict[str, int], sources, warnings: list[Problem], step) -> dict[str, int]:
    """Load what passed every check (policies, then the tables by key, then the finding entries) and
    log the import; returns the rows landed per table (and ``policies``)."""
    for p in parsed:
        # Stored under its plain file name (M01.toml), wherever it came from, so that an
        # export and re-import give the same policy_files row.
        plain = p.file_name.replace("\\", "/").rsplit(":", 1)[-1].rsplit("/", 1)[-1]
        policy_format.store_policy(con, dataclasses.replace(p, file_name=plain))
        changes.record(con, "policy", [p.manufacturer_id])
    keys_read = False
    for name in TABLE_ORDER:
        if rows.get(name):
            # what the engine must refresh: read before the load (a replaced row's old keys)
            changes.record_staged(con, name, reading.staging_name(name))
            if name in KEYED_BY_INTERVENTION and not keys_read:  # their interventions' keys, read once
                sql.run_script(con, "contract/import/staged_intervention_keys")
                keys_read = True
            _load_table(con, name)
            if name == "interventions":
                # the engine's integer key of each new intervention (a replaced one keeps its own)
                sql.execute(con, "contract/import/intervention_keys")
        step(f"loaded {name}")
    if keys_read:
        sql.run_script(con, "contract/import/staged_intervention_keys_drop")
    if rows.get("finding_entries"):
        changes.record_staged(con, "finding_entries", reading.staging_name("finding_entries"))
        sql.execute(con, "contract/import/load_finding_entries")
    step("loaded finding_entries")
    landed = dict(rows)
    if parsed:
        landed["policies"] = len(parsed)
    sql.execute(con, "contract/import/log_insert", {
        "sources": "; ".join(s.name for s in sources),
        "rows_by_table": json.dumps(landed, sort_keys=True),
        "warnings": "\n".join(str(w) for w in warnings),
    })
    return landed


@contextlib.contextmanager
def _load_transaction(con: duckdb.DuckDBPyConnection, own: bool):
    """The load's transaction: none of its own inside a caller's; else ``BEGIN`` … ``COMMIT``
    (``ROLLBACK`` on any exception), except in a replicated store's writer, which commits it when
    it publishes (everything before the load, reading and checking, ran outside any transaction,
    so a malformed file caught there aborted nothing)."""
    if not own:
        yield
        return
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    if not store.transaction_left_open():
        con.execute("COMMIT")


def _run(con, found, progress: Progress, scope: Scope | None = None) -> ImportResult:
    table_sources = [s for s in found.sources if s.kind != "toml"]
    policy_sources = [s for s in found.sources if s.kind == "toml"]
    staged_tables = IMPORT_TABLES
    total = len(table_sources) + 1 + len(staged_tables) + 1 + len(staged_tables) + 1
    done = 0
    errors: list[Problem] = []
    warnings: list[Problem] = list(found.warnings)
    rows: dict[str, int] = {}

    def step(message: str) -> None:
        nonlocal done
        done += 1
        progress(done, total, message)

    staging = reading.Staging(con)
    try:
        for source in table_sources:
            counts, e, w = reading.read_source(con, staging, source)
            errors += e
            warnings += w
            for name, n in counts.items():
                rows[name] = rows.get(name, 0) + n
            step(f"read {source.name}")
        staging.finish()

        parsed, problems = policies.parse_sources(policy_sources)
        errors += problems
        pe, pw = policies.check(con, parsed)
        errors += pe
        warnings += pw
        step("read the policy files" if policy_sources else "no policy file")

        sql.run_script(con, "contract/import/effective")
        own = not in_transaction(con)  # a caller's transaction is the caller's to end
        # Duplicate keys of a table that is empty in the store are caught by its primary key
        # when loading (a plain INSERT refuses them), so the check is deferred: it runs only
        # when something else is wrong (to list every problem) or the load refuses a key.
        # This saves a pass over the big first import. Never for a caller's transaction.
        deferred = [name for name in TABLE_ORDER if own and rows.get(name) and _empty(con, name)]
        for name in staged_tables:
            if rows.get(name):
                errors += validate.column_problems(con, name)
                errors += validate.row_problems(con, name)
                errors += validate.cross_problems(con, name, duplicates=name not in deferred)
            step(f"checked {name}")
        if rows.get("invoices") or rows.get("invoice_lines"):
            policies.stage_currencies(con, [p for p in parsed if p.ok])
            errors += validate.currency_problems(con)
        step("checked invoice currencies")
        errors = scope_check.restrict(con, scope, errors, [s.name for s in policy_sources])

        warnings += [p for p in errors if p.severity != ERROR]
        errors = [p for p in errors if p.severity == ERROR]
        if errors:
            for name in deferred:
                errors += validate.duplicate_problems(con, name)
            return _rejected(errors, warnings)

        # Rows are loaded by key, their order in a table means nothing: letting DuckDB insert
        # in any order makes the (index-bound) load faster. Reading keeps the order (row numbers).
        keep_order = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0]
        con.execute("SET preserve_insertion_order = false")
        try:
            with _load_transaction(con, own):
                landed = _load(con, parsed, rows, found.sources, warnings, step)
        except duckdb.ConstraintException:  # rolled back by _load_transaction when the transaction is ours
            duplicates = [p for name in deferred for p in validate.duplicate_problems(con, name)]
            if not duplicates:
                raise
            return _rejected(duplicates, warnings)
        finally:
            con.execute("SET preserve_insertion_order = true" if keep_order
                        else "SET preserve_insertion_order = false")
        step("done")
        return ImportResult(True, [], warnings, landed)
    finally:
        staging.drop()
        con.execute("DROP VIEW IF EXISTS eff_stations; DROP VIEW IF EXISTS eff_interventions; "
                    "DROP VIEW IF EXISTS eff_invoices; DROP VIEW IF EXISTS eff_invoice_lines; "
                    "DROP TABLE IF EXISTS imp_policy_currency")


def import_paths(db_path: Path | str, paths: Iterable[Path | str], *, progress: Progress | None = None,
                 wait: bool = True, on_wait: Callable[[str], None] | None = None,
                 scope: Scope | None = None) -> ImportResult:
    """Import ``paths`` into the store at ``db_path`` (created when missing), all or nothing.

    ``scope``: the sender's (a station or a brand sending through the API): a row outside it is
    refused with rule ``scope`` (:mod:`.scope_check`); None or a manager's scope: no such rule.

    Raises :class:`UsageError` for a path that cannot be imported (before touching the
    store) and :class:`analytics.core.store.StoreBusy` when ``wait`` is false and another
    writer holds the store. In the replicated layout the sources are first copied beside the
    store (``<store>.changes/``) so that the other replica can replay the import.
    """
    paths = [Path(p) for p in paths]
    with contextlib.ExitStack() as stack:
        discover(paths, stack)  # usage errors before taking the lock
    replicated = store.is_replicated(db_path) or (store.layout_wanted() == "replicas" and Path(db_path).exists())
    payload = _keep_sources(db_path, paths) if replicated else {"paths": [str(p) for p in paths]}
    try:
        return store.apply(db_path, "import", payload, wait=wait, on_wait=on_wait, progress=progress, scope=scope)
    except _Rejected as rejected:
        _forget_sources(payload)
        return rejected.result
    except BaseException:
        _forget_sources(payload)
        raise


def _apply_import(con: duckdb.DuckDBPyConnection, payload: dict, path: Path, live: bool, *,
                  progress: Progress | None = None, scope: Scope | None = None) -> tuple[ImportResult, dict]:
    """The change "import": validate and load the payload's sources, refresh the engine. The
    sender's ``scope`` is checked at the first application (a replay loads what was accepted)."""
    with contextlib.ExitStack() as stack:
        found = discover([Path(p) for p in payload["paths"]], stack)
        result = _run(con, found, progress or (lambda done, total, message: None), scope)
    if not result.ok:
        raise _Rejected(result)  # nothing is published
    if progress:
        progress(1, 1, "refreshing the derived tables and publishing")
    publishing.refresh(con, path)
    return result, payload


def _keep_sources(db_path: Path | str, paths: list[Path]) -> dict:
    """Copy the sources into ``<store>.changes/<id>/`` (kept until both replicas hold the import)."""
    db_path = Path(db_path)
    folder = db_path.with_name(db_path.name + ".changes") / uuid.uuid4().hex
    kept = []
    for i, source in enumerate(paths):
        target = folder / str(i) / source.name
        target.parent.mkdir(parents=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
        kept.append(str(target))
    return {"folder": str(folder), "paths": kept}


def _forget_sources(payload: dict) -> None:
    if payload.get("folder"):
        shutil.rmtree(payload["folder"], ignore_errors=True)


store.register_change(store.Change("import", _apply_import, _forget_sources, begins=True))
