"""Policy files of an import: parsed and validated by :mod:`analytics.policy_file`.

The importer adds what needs the store: the manufacturer must exist (store plus import),
one file per manufacturer, station overrides naming unknown stations are warnings. The
currencies the parsed policies set are staged in ``imp_policy_currency`` (with the store's
policies of the other manufacturers) so invoices are checked against the policies as
they will be once the import lands, before anything is written.
"""
from __future__ import annotations

import duckdb

from analytics.contract import policy_format
from analytics.core import sql
from analytics.core.problems import Problem
from analytics.contract.importer.sources import Source


def parse_sources(sources: list[Source]) -> tuple[list[policy_format.ParsedPolicy], list[Problem]]:
    parsed, problems = [], []
    for source in sources:
        raw = source.path.read_bytes()
        if not raw:
            problems.append(Problem(source.name, None, "", "", "empty file",
                                    "the policy file is empty (0 bytes)"))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            byte = raw[exc.start:exc.start + 1].hex().upper()
            problems.append(Problem(source.name, line, "", f"0x{byte}", "UTF-8",
                                    f"the policy file is not valid UTF-8: byte 0x{byte} on line {line}"))
            continue
        parsed.append(policy_format.parse(source.name, text))
    return parsed, problems


def check(con: duckdb.DuckDBPyConnection, parsed: list[policy_format.ParsedPolicy]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) of the import's policies, their own problems included."""
    errors, warnings = [], []
    seen: dict[str, str] = {}
    staged_stations = [r[0] for r in con.execute("SELECT station_id FROM stg_stations WHERE station_id IS NOT NULL").fetchall()]
    for p in parsed:
        errors += p.errors
        warnings += [x for x in p.problems if x not in p.errors]
        mid = p.manufacturer_id
        if not mid:
            continue
        if mid in seen:
            errors.append(Problem(p.file_name, None, "manufacturer_id", mid, "one policy per manufacturer",
                                  f"{seen[mid]} is also the policy of manufacturer {mid!r}: import one file per manufacturer"))
        seen[mid] = p.file_name
        if not sql.fetch_all(con, "contract/import/manufacturer_known", {"manufacturer_id": mid}):
            errors.append(Problem(p.file_name, None, "manufacturer_id", mid, "unknown reference",
                                  f"there is no manufacturer with manufacturer_id {mid!r} in the store or in this import"))
        if p.ok:
            warnings += policy_format.unknown_station_warnings(con, p, staged_stations)
    return errors, warnings


def stage_currencies(con: duckdb.DuckDBPyConnection, parsed: list[policy_format.ParsedPolicy]) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE imp_policy_currency "
                "(manufacturer_id VARCHAR, valid_from DATE, level VARCHAR, country VARCHAR, currency VARCHAR)")
    replaced = [p.manufacturer_id for p in parsed if p.manufacturer_id]
    sql.execute(con, "contract/import/policy_currency_store", {"replaced_manufacturers": replaced})
    rows = []
    for p in parsed:
        for version in p.versions:
            for level in version.levels:
                if level.level in ("base", "country") and "currency" in level.scalars:
                    rows.append((p.manufacturer_id, version.valid_from, level.level, level.country,
                                 level.scalars["currency"]))
    if rows:
        con.executemany("INSERT INTO imp_policy_currency VALUES (?, ?, ?, ?, ?)", rows)
