"""Export: the store written back as contract files an import accepts.

``export(db_path, directory)`` writes every contract table as ``<table>.csv`` (columns
in contract order, dates ISO, decimals as exact text, empty for NULL), the append-only
``finding_entries.csv``, and each manufacturer's policy file verbatim under
``policies/``. Importing the folder into an empty store reproduces the same store.
Reads a read-only snapshot (:func:`analytics.store.reader`): an import running at the
same time does not disturb it.
"""
from __future__ import annotations

import os
from pathlib import Path

import pyarrow.csv as pacsv

from analytics.core import sql, store
from analytics.contract.importer.tables import IMPORT_TABLES
from analytics.contract.tables import PARTY_TABLES, PARTY_TABLES_SCHEMA
from analytics.core.store import StoreError


def _policy_file_name(manufacturer_id: str) -> str:
    name = f"{manufacturer_id}.toml"
    if "/" in name or "\\" in name or "\0" in name or manufacturer_id in ("", ".", ".."):
        raise StoreError(f"manufacturer id {manufacturer_id!r} cannot be used as a file name; "
                         "its policy was not exported")
    return name


def export(db_path: Path | str, directory: Path | str) -> dict[str, int]:
    """Write the store at ``db_path`` into ``directory``; returns rows written per file."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    con = store.reader(db_path)
    written: dict[str, int] = {}
    try:
        sql.run_script(con, "contract/export/macros")
        options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
        # A store published before the party tables existed holds no party: empty files.
        absent = set() if store.schema_version(con) >= PARTY_TABLES_SCHEMA else {t.name for t in PARTY_TABLES}
        for name in IMPORT_TABLES:
            target = directory / f"{name}.csv"
            tmp = target.with_name(target.name + ".tmp")
            if name in absent:
                tmp.write_text(",".join(IMPORT_TABLES[name].column_names) + "\n", encoding="utf-8")
                os.replace(tmp, target)
                written[name] = 0
                continue
            reader = con.sql(sql.load(f"contract/export/{name}")).to_arrow_reader(100_000)
            count = 0
            with pacsv.CSVWriter(tmp, reader.schema, write_options=options) as out:
                for batch in reader:
                    out.write_batch(batch)
                    count += batch.num_rows
            os.replace(tmp, target)
            written[name] = count
        policies = sql.fetch_all(con, "contract/export/policy_files")
        if policies:
            folder = directory / "policies"
            folder.mkdir(exist_ok=True)
            for manufacturer_id, _file_name, text in policies:
                (folder / _policy_file_name(manufacturer_id)).write_text(text, encoding="utf-8")
            written["policies"] = len(policies)
    finally:
        con.close()
    return written
