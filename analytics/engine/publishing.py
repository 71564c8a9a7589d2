"""Publishing through the engine: a store writer that refreshes the derived tables before
it publishes, and the rebuild of a store made by an older engine."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator
import atexit
import contextlib
import logging
import os
import threading

import duckdb

from analytics.core import store
from analytics.engine import journal, models


@contextlib.contextmanager
def writer(path: Path | str, **options) -> Iterator[duckdb.DuckDBPyConnection]:
    """:func:`analytics.core.store.writer` that refreshes every engine model before publishing
    (the journal's pending entries folded in first). Options are the store writer's."""
    with store.writer(path, before_publish=models.refresh_before_publish, **options) as con:
        yield con


def ensure_current(path: Path | str) -> bool:
    """Rebuild the derived tables of the published store when the engine has changed since
    they were built (a new release reads a store built by an older one). Returns whether it
    rebuilt. Goes through the writer, so readers keep serving the old tables meanwhile."""
    if store.version_of(path) is None or models.is_current(store.reader(path)):
        return False
    with writer(path, create=False) as con:
        if models.is_current(con):  # another process rebuilt it while we waited for the lock
            return False
    return True


def refresh(con: duckdb.DuckDBPyConnection, path: Path | str) -> None:
    """The engine refresh of a write that changed contract tables (an import). Copy layout: the
    journal's entries are folded in too. Replicated layout: not (a logged change must replay the
    same on the other replica; the entries' writers publish them as their own change)."""
    if store.is_replicated(path):
        models.refresh_pending(con)
    else:
        models.refresh_before_publish(con, Path(path))


def _apply_entries(con: duckdb.DuckDBPyConnection, payload, path: Path, live: bool) -> tuple[int, list[str]]:
    """The change "entries": the journal's pending entries into the store (live), or the logged
    ones (a replica replaying), then the models that depend on them."""
    if live:
        inserted = journal.fold_journal_entries(con, path)
    else:
        inserted = [journal.Entry.from_json(line) for line in payload]
        journal.insert_entries(con, inserted)
    if inserted:
        models.refresh_after_entries(con)
    return len(inserted), [e.to_json() for e in inserted]


store.register_change(store.Change("entries", _apply_entries))


def fold(path: Path | str, *, wait: bool = False, timeout: float | None = None) -> bool:
    """Publish the pending entries now (one change: the entries and the models after them).

    Returns True when nothing is pending any more, False when another writer holds the store
    and ``wait`` is false (the entries stay pending, durable in the journal; the next fold — any
    entry's writer, the Pre-invoices page, or in the copy layout the import itself — takes them).
    """
    for _ in range(3):  # entries appended by others while we published are taken by the next round
        if not journal.pending_entries(path):
            journal.prune_journal(path)
            return True
        try:
            store.apply(path, "entries", wait=wait, timeout=timeout, create=False)
        except store.StoreBusy:
            return False
    journal.prune_journal(path)
    return not journal.pending_entries(path)


_background_lock = threading.Lock()
#: Per store (absolute path): this process's folding thread, and whether entries came after its last round.
_background: dict[str, threading.Thread] = {}
_asked_again: dict[str, bool] = {}
#: How long a background fold waits for the writer in front before trying again.
BACKGROUND_WAIT_SECONDS = 60.0

_log = logging.getLogger(__name__)


def fold_in_background(path: Path | str) -> None:
    """Publish the pending entries from a thread of this process, so that the entry's writer
    returns as soon as its entry is durable (live reads show it meanwhile, :mod:`analytics.engine.live`).

    One thread per store and process: a call while it runs asks it for one more round, so every
    entry written before the call is published by a round that starts after it. A process that
    stops first leaves its entries in the journal, durable; the next fold of any process takes them.
    """
    key = os.path.abspath(path)  # not resolved: a replicated store's path is a link
    with _background_lock:
        _asked_again[key] = True
        running = _background.get(key)
        if running is not None and running.is_alive():
            return
        thread = threading.Thread(target=_fold_rounds, args=(key,), name="clairvoie-fold", daemon=True)
        _background[key] = thread
        thread.start()


def _fold_rounds(key: str) -> None:
    while True:
        with _background_lock:
            if not _asked_again.get(key):
                _background.pop(key, None)
                return
            _asked_again[key] = False
        try:
            fold(key, wait=True, timeout=BACKGROUND_WAIT_SECONDS)
        except Exception:  # the entries stay durable in the journal; the next fold takes them
            _log.exception("background fold of %s failed", key)


def wait_for_background_folds(timeout: float | None = None) -> None:
    """Wait until this process's folding threads are done (tests, and a command about to exit)."""
    with _background_lock:
        threads = list(_background.values())
    for thread in threads:
        thread.join(timeout)


#: At a clean exit, how long the process waits for its folding threads: a fold cut short is safe
#: (the store is never half written, the entries stay in the journal), but a finished one publishes now.
EXIT_WAIT_SECONDS = 30.0
atexit.register(wait_for_background_folds, EXIT_WAIT_SECONDS)


def ensure_store(path: Path | str) -> None:
    """Create an empty, migrated store with every derived table (no data) if none exists."""
    if Path(path).exists():
        return
    with writer(path):
        pass
