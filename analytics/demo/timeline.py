"""The demo's calendar: three years of requests, the day the data is "as of", day arithmetic.

Days are integers (days since 1970-01-01) so that whole columns are handled at once.
Months are indices counted from January 2023 (month 0).
"""
from __future__ import annotations

from datetime import date

import numpy as np

START = np.datetime64("2023-01", "M")
#: customer requests reach the stations during these many months (Jan 2023 – Dec 2025)
REQUEST_MONTHS = 36
#: the day the data is as of: nothing (completion, document, invoice, payment, dispute
#: resolution) happens after it; what would is "not yet"
AS_OF = date(2026, 3, 31)
AS_OF_DAY = (AS_OF - date(1970, 1, 1)).days
#: months from January 2023 to the as-of month, inclusive (invoices, fx rates)
BILL_MONTHS = int((np.datetime64("2026-03", "M") - START).astype(int)) + 1
#: invoices of a month's submissions are issued on this day of the next month
INVOICE_DAY = 5


def month_start(m) -> np.ndarray:
    """Day number of the first day of month index ``m`` (scalar or array)."""
    return (START + np.asarray(m).astype("timedelta64[M]")).astype("datetime64[D]").astype(np.int64)


def month_days(m) -> np.ndarray:
    return month_start(np.asarray(m) + 1) - month_start(m)


def month_of(days) -> np.ndarray:
    """Month index of day numbers."""
    return (np.asarray(days).astype("datetime64[D]").astype("datetime64[M]") - START).astype(np.int64)


def month_label(m: int) -> str:
    return str(START + np.timedelta64(int(m), "M"))


def add_months(days, months) -> np.ndarray:
    """``date + N months``, keeping the day of month, clamped to the target month's end."""
    d = np.asarray(days).astype("datetime64[D]")
    first = d.astype("datetime64[M]")
    dom = (d - first.astype("datetime64[D]")).astype(np.int64)
    target = first + np.asarray(months).astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return (target.astype("datetime64[D]") + np.minimum(dom, length - 1)).astype(np.int64)


def day_number(d: date) -> int:
    return (d - date(1970, 1, 1)).days
