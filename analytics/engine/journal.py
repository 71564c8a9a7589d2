"""The journal of finding entries not yet in the published store: ``<store>.entries.jsonl``.

A finding entry is durable once its JSON line is appended and ``fsync``'d here; every writer
folds the journal into the copy it publishes (:func:`fold_journal`, called by the engine's
refresh), and a line is dropped only once the *published* store holds it. Folding is
idempotent (by ``entry_id`` and content), so a crash at any point loses nothing and
duplicates nothing.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from analytics.core import sql, store
from analytics.engine import changes

COLUMNS = ("entry_id", "intervention_id", "code", "doc_type", "kind", "author", "author_role", "written_at",
           "body", "sent_doc_type", "sent_doc_received_on")


@dataclass(frozen=True)
class Entry:
    entry_id: int
    intervention_id: str
    code: str
    doc_type: str
    kind: str
    author: str
    author_role: str
    written_at: dt.datetime
    body: str
    sent_doc_type: str | None = None
    sent_doc_received_on: dt.date | None = None

    def to_json(self) -> str:
        data = asdict(self)
        data["written_at"] = self.written_at.isoformat()
        data["sent_doc_received_on"] = self.sent_doc_received_on.isoformat() if self.sent_doc_received_on else None
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> "Entry":
        data = json.loads(line)
        data["written_at"] = dt.datetime.fromisoformat(data["written_at"])
        if data.get("sent_doc_received_on"):
            data["sent_doc_received_on"] = dt.date.fromisoformat(data["sent_doc_received_on"])
        return cls(**{k: data.get(k) for k in COLUMNS})

    @classmethod
    def from_row(cls, row) -> "Entry":
        values = dict(zip(COLUMNS, row))
        values["entry_id"] = int(values["entry_id"])
        return cls(**values)

    def params(self) -> dict:
        return {k: getattr(self, k) for k in COLUMNS}

    def same_content(self, other: "Entry") -> bool:
        return all(getattr(self, k) == getattr(other, k) for k in COLUMNS if k != "entry_id")



def now_id() -> int:
    return int(dt.datetime.now(dt.timezone.utc).timestamp() * 1_000_000)


# ---------------------------------------------------------------- journal

def journal_path(path: Path | str) -> Path:
    """The journal of entries not yet folded into the store: ``<store>.entries.jsonl``."""
    path = Path(path)
    return path.with_name(path.name + ".entries.jsonl")


@contextlib.contextmanager
def _journal_lock(path: Path | str) -> Iterator[None]:
    """A short exclusive lock on the journal (held while appending or folding, never during an import)."""
    path = Path(path)
    lp = path.with_name(path.name + ".entries.lock")
    lp.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lp, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _read_journal(jp: Path) -> list[Entry]:
    """The journal's entries; a torn last line (a crash mid-append, before its fsync) is skipped."""
    try:
        text = jp.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        try:
            out.append(Entry.from_json(line))
        except (ValueError, TypeError, KeyError):
            continue  # only a torn, never-acknowledged append can be unreadable
    return out


def _write_journal(jp: Path, entries: list[Entry]) -> None:
    """Replace the journal atomically (temp file, fsync, rename)."""
    if not entries:
        with contextlib.suppress(FileNotFoundError):
            jp.unlink()
        return
    tmp = jp.with_name(jp.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("".join(e.to_json() + "\n" for e in entries))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, jp)


def _append_journal(jp: Path, entry: Entry) -> None:
    created = not jp.exists()
    fd = os.open(jp, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (entry.to_json() + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        store.fsync_dir(jp.parent)


def append(path: Path | str, make: "Callable[[int], Entry]", *, above: int) -> Entry:
    """Append the entry ``make(entry_id)`` to the journal, durable (``fsync``) when this returns.

    The id is new: after ``above`` (the store's largest), after every journal line, and at least
    the current time in microseconds (ids grow with time across processes)."""
    jp = journal_path(path)
    with _journal_lock(path):
        pending = _read_journal(jp)
        entry = make(max([now_id(), above + 1] + [e.entry_id + 1 for e in pending]))
        _append_journal(jp, entry)
    return entry


def journal_entries(path: Path | str) -> list[Entry]:
    """Every entry of the journal, folded or not (a reader tells which with :func:`held_by`)."""
    return _read_journal(journal_path(path))


def pending_entries(path: Path | str) -> list[Entry]:
    """Entries written but not yet in the published store."""
    journal = journal_entries(path)
    if not journal:
        return []
    published = _published_matches(path, journal)
    return [e for e in journal if e.entry_id not in published]


def held_by(con: duckdb.DuckDBPyConnection, entries: list[Entry]) -> set[int]:
    """Ids of ``entries`` the store read through ``con`` holds with the same content."""
    if not entries:
        return set()
    rows = sql.fetch_all(con, "conversation/entries_by_id", {"ids": [e.entry_id for e in entries]})
    held = {int(r[0]): Entry.from_row(r) for r in rows}
    return {e.entry_id for e in entries if e.entry_id in held and held[e.entry_id].same_content(e)}


def _published_matches(path: Path | str, entries: list[Entry]) -> set[int]:
    """Ids of ``entries`` the published store already holds with the same content."""
    if not entries or not Path(path).exists():
        return set()
    return held_by(store.reader(path), entries)


def fold_journal(con: duckdb.DuckDBPyConnection, path: Path | str) -> int:
    """Insert the journal's entries into a writer's connection; returns how many were inserted
    (:func:`fold_journal_entries`)."""
    return len(fold_journal_entries(con, path))


def insert_entries(con: duckdb.DuckDBPyConnection, entries: list[Entry]) -> int:
    """Insert ``entries`` as they are (a replica replaying a logged fold); those whose id the
    connection already holds are skipped. Returns how many were inserted."""
    rows = sql.fetch_all(con, "conversation/entries_by_id", {"ids": [e.entry_id for e in entries]})
    held = {int(r[0]) for r in rows}
    fresh = [e for e in entries if e.entry_id not in held]
    for e in fresh:
        sql.execute(con, "conversation/insert_entry", e.params())
    changes.record(con, "entry", [e.intervention_id for e in fresh])
    return len(fresh)


def fold_journal_entries(con: duckdb.DuckDBPyConnection, path: Path | str) -> list[Entry]:
    """Insert the journal's entries into a writer's connection; returns the entries inserted.

    Called by :func:`analytics.engine.models.refresh_before_publish` in every writer, before
    publishing; each inserted entry is recorded as a change (its intervention). Journal
    lines the published store already holds are dropped; the others stay until a publish
    holds them (so a writer that fails after this call loses nothing). An entry whose id is
    taken by a different entry (an imported export, say) gets a new id.
    """
    path = Path(path)
    jp = journal_path(path)
    if not jp.exists():
        return []
    with _journal_lock(path):
        journal = _read_journal(jp)
        published = _published_matches(path, journal)
        keep = [e for e in journal if e.entry_id not in published]
        rows = sql.fetch_all(con, "conversation/entries_by_id", {"ids": [e.entry_id for e in keep]})
        held = {int(r[0]): Entry.from_row(r) for r in rows}
        next_id = int(sql.fetch_all(con, "conversation/max_entry_id")[0][0]) + 1
        inserted, rekeyed = [], []
        for e in keep:
            if e.entry_id in held:
                if held[e.entry_id].same_content(e):
                    rekeyed.append(e)
                    continue
                e = Entry(**{**asdict(e), "entry_id": max(next_id, now_id())})
            sql.execute(con, "conversation/insert_entry", e.params())
            changes.record(con, "entry", [e.intervention_id])
            next_id = max(next_id, e.entry_id + 1)
            inserted.append(e)
            rekeyed.append(e)
        if rekeyed != journal:
            _write_journal(jp, rekeyed)
    return inserted


def prune_journal(path: Path | str) -> None:
    """Drop the journal lines the published store holds (safe at any time: published is final)."""
    jp = journal_path(path)
    if not jp.exists():
        return
    with _journal_lock(path):
        journal = _read_journal(jp)
        published = _published_matches(path, journal)
        if published or not journal:
            _write_journal(jp, [e for e in journal if e.entry_id not in published])
