"""Where things live. One place for paths and environment variables."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
QUERIES_DIR = PROJECT_ROOT / "queries"
DATA_DIR = PROJECT_ROOT / "data"

#: Environment variable naming the store file (documented in the README).
DB_ENV_VAR = "CLAIRVOIE_DB"
DEFAULT_DB_PATH = DATA_DIR / "clairvoie.duckdb"


def default_db_path() -> Path:
    """The store used when no ``--db`` is given: ``$CLAIRVOIE_DB`` or ``data/clairvoie.duckdb``."""
    value = os.environ.get(DB_ENV_VAR, "").strip()
    return Path(value) if value else DEFAULT_DB_PATH
