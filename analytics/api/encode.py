"""Values of the analytics functions as JSON: exact decimals as text, dates ISO, no value null."""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd


def plain(value: Any) -> Any:
    """A JSON value for one cell: ``Decimal`` -> its exact text, date -> ``YYYY-MM-DD``, timestamp ->
    ISO 8601 (UTC, as stored), NaN/NaT/NA -> ``None``, numpy scalars -> Python ones."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if value is pd.NA:
        return None
    return value


def day(value: Any) -> str | None:
    """A date cell as ``YYYY-MM-DD`` (a timestamp at midnight read from a DATE column included)."""
    value = plain(value)
    return None if value is None else str(value)[:10]


def records(df: pd.DataFrame, columns=None) -> list[dict[str, Any]]:
    """The rows of ``df`` (optionally only ``columns``) with :func:`plain` values."""
    columns = list(df.columns if columns is None else columns)
    return [{c: plain(v) for c, v in zip(columns, row)} for row in df[columns].itertuples(index=False, name=None)]
