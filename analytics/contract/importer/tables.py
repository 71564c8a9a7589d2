"""What an import may bring: the contract tables (docs/CONTRACT-ADDITIONS.md included) plus ``finding_entries``.

``finding_entries`` is not a contract table (migration 002): the exporter writes it so
that an export, imported into an empty store, reproduces the finding threads too. It
is append-only, so the importer only adds entries whose ``entry_id`` is new.
"""
from __future__ import annotations

from analytics.contract.tables import TABLE_ORDER, TABLES_BY_NAME, Column, Table

FINDING_ENTRY_KINDS = ("comment", "justification", "document_sent", "waive", "confirm")

#: finding_entries as the importer reads it (types of migration 002; ``timestamp`` is
#: an extra column type known only to the importer).
FINDING_ENTRIES = Table(
    "finding_entries",
    "one entry of the conversation under a finding (append-only)",
    (
        Column("entry_id", "int", True),
        Column("intervention_id", "text", True),
        Column("code", "text", True),
        Column("doc_type", "text"),
        Column("kind", "text", True, choices=FINDING_ENTRY_KINDS),
        Column("author", "text", True),
        Column("author_role", "text", True),
        Column("written_at", "timestamp", True),
        Column("body", "text"),
        Column("sent_doc_type", "text"),
        Column("sent_doc_received_on", "date"),
    ),
    ("entry_id",),
)

#: Every table an import may hold, in load order (parents first).
IMPORT_TABLES: dict[str, Table] = {name: TABLES_BY_NAME[name] for name in TABLE_ORDER}
IMPORT_TABLES["finding_entries"] = FINDING_ENTRIES

#: Tables whose text columns are not limited to 1,000 characters (a comment may be long).
UNLIMITED_TEXT = {"finding_entries"}
#: Tables whose text is kept exactly as written, spaces included (not trimmed): the finding
#: threads are a journal of what people wrote, restored verbatim by export -> import.
VERBATIM_TEXT = {"finding_entries"}
#: Columns stored as '' rather than NULL when empty (NOT NULL DEFAULT '' in migration 002).
EMPTY_AS_BLANK = {("finding_entries", "doc_type"), ("finding_entries", "body")}


def sql_type(column: Column) -> str:
    if column.type == "timestamp":
        return "TIMESTAMP"
    return column.sql_type


def ident(name: str) -> str:
    """A quoted SQL identifier for a table or column name of :data:`IMPORT_TABLES`.

    Identifiers cannot be bound as parameters; every name that reaches SQL text
    through this function comes from the fixed declarations above (a whitelist),
    never from an input file.
    """
    allowed = set(IMPORT_TABLES)
    for table in IMPORT_TABLES.values():
        allowed.update(table.column_names)
    if name not in allowed:
        raise ValueError(f"not a table or column of the import: {name!r}")
    return '"' + name + '"'
