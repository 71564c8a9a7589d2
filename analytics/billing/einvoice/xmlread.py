"""Values read out of an invoice's XML (UBL or CII) by path, each missing or malformed one
named in the error."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation


class XmlReadError(ValueError):
    """A required element is missing, or a value is not what its element holds (number, date)."""


def text(node, path: str, ns: dict, required: bool = True) -> str | None:
    found = node.find(path, ns) if node is not None else None
    if found is None or found.text is None or not found.text.strip():
        if required:
            raise XmlReadError(f"missing {path}")
        return None
    return found.text.strip()


def decimal(node, path: str, ns: dict, required: bool = True) -> Decimal | None:
    value = text(node, path, ns, required)
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise XmlReadError(f"{path}: {value!r} is not a number") from None


def date(node, path: str, ns: dict, fmt: str, required: bool = True) -> dt.date | None:
    """A date written ``fmt`` (``%Y-%m-%d`` in UBL, ``%Y%m%d``, format 102, in CII)."""
    value = text(node, path, ns, required)
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value, fmt).date()
    except ValueError:
        raise XmlReadError(f"{path}: {value!r} is not a date written {fmt}") from None
