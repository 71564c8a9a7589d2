"""Numbers, amounts and dates for the chosen locale. No value shows as "—", never as 0.

``en``: ``€1,234.56``, ``12.5%``, ``2025-03-31``; ``fr``: ``1 234,56 €``, ``12,5 %``, ``31/03/2025``
(thousands separated by a narrow no-break space, U+202F).
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

NO_VALUE = "—"
_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}
_NNBSP = "\u202f"


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        not isinstance(value, (str, Decimal, dt.date)) and value != value)


def number(value, decimals: int = 0, lang: str = "en") -> str:
    """``1,234.5`` / ``1 234,5``."""
    if is_missing(value):
        return NO_VALUE
    text = f"{float(value):,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", _NNBSP).replace(".", ",")
    return text


def amount(value, currency: str | None, lang: str = "en") -> str:
    """An amount with its currency, to the cent: ``€1,234.56`` / ``1 234,56 €`` (code when no symbol)."""
    if is_missing(value):
        return NO_VALUE
    core = number(abs(float(value)), 2, lang)
    sign = "-" if float(value) < 0 else ""
    symbol = _SYMBOLS.get(currency or "", currency or "")
    if lang == "fr":
        return f"{sign}{core} {symbol}".rstrip()
    if currency in _SYMBOLS:
        return f"{sign}{symbol}{core}"
    return f"{sign}{core} {symbol}".rstrip()


def percent(value, decimals: int = 1, lang: str = "en") -> str:
    """A share (0–1) as ``12.5%`` / ``12,5 %``."""
    if is_missing(value):
        return NO_VALUE
    return number(float(value) * 100, decimals, lang) + (f"{_NNBSP}%" if lang == "fr" else "%")


def date(value, lang: str = "en") -> str:
    if is_missing(value):
        return NO_VALUE
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def metric_value(kind: str, value, lang: str = "en", currency: str | None = "EUR") -> str:
    """A metric value by its catalog kind (count, rate, days, amount, rating)."""
    if kind == "rate":
        return percent(value, 1, lang)
    if kind == "amount":
        return amount(value, currency, lang)
    if kind == "count":
        return number(value, 0, lang)
    return number(value, 1 if kind == "days" else 2, lang)


def metric_change(kind: str, change, lang: str = "en") -> str | None:
    """A change for ``st.metric``'s delta (points for rates), or None when there is no value."""
    if is_missing(change):
        return None
    sign = "+" if float(change) >= 0 else "-"
    if kind == "rate":
        return sign + number(abs(float(change)) * 100, 1, lang) + (" pts" if lang == "en" else " pts")
    if kind == "amount":
        return sign + amount(abs(float(change)), "EUR", lang)
    return sign + number(abs(float(change)), 0 if kind == "count" else 1, lang)
