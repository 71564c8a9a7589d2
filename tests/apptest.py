"""Running a page (or ``app.py``) the way the page tests do: Streamlit's AppTest on a given store,
as a given viewer, with URL query parameters; no exception allowed."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_page(path: str, viewer, db: Path, monkeypatch, query: dict | None = None, timeout: float = 120):
    """Run ``path`` (``app.py`` or ``pages/<name>.py``, from the repository root) on store ``db``
    for ``viewer`` (None: nobody logged in) with URL ``query``; returns the AppTest after its
    first run, having checked it raised nothing."""
    from streamlit.testing.v1 import AppTest

    from ui.auth import VIEWER_KEY

    monkeypatch.setenv("CLAIRVOIE_DB", str(db))
    at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
    if viewer is not None:
        at.session_state[VIEWER_KEY] = viewer
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
