"""Station profiles: persistent habits that make rankings, scores and disputes mean something.

Every station gets one profile for the whole three years (drawn from the seed). A
profile is a set of probabilities and factors the generator applies to each of the
station's interventions and invoice lines. ``standard`` stations behave well but
not perfectly; each other profile exaggerates one habit, so a manager looking for
culprits finds them in the matching metric or finding.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    meant_to_show: str
    share: float                 # share of the network's stations
    tat_days: float = 3.0        # mean days from request to completion (first visit)
    first_time_fix: float = 0.90 # probability of a single visit
    comeback: float = 0.035      # probability that the unit comes back (90-day horizon)
    doc_missing: float = 0.006   # per required document: never sent
    doc_late: float = 0.03       # per sent document: received after submission
    late_submission: float = 0.015  # report submitted after the deadline
    overbill: float = 0.015      # labour reported well above the standard time
    wrong_vat: float = 0.002     # invoice lines of an intervention at a wrong VAT rate
    amount_error: float = 0.006  # other requested-amount errors
    duplicate: float = 0.0008    # a line billed again on the next invoice
    travel_factor: float = 1.0   # multiplies travel distances
    no_purchase_date: float = 0.004
    out_of_warranty: float = 0.006
    rating_shift: float = 0.0    # added to the customer's rating tendency


PROFILES: tuple[Profile, ...] = (
    Profile("standard", "the reference: most interventions ready, median figures", 0.52),
    Profile("fast_reliable", "best turnaround and first-time fix, top scores and bonus tier", 0.10,
            tat_days=1.2, first_time_fix=0.96, comeback=0.015, doc_missing=0.002, doc_late=0.01,
            late_submission=0.005, overbill=0.005, amount_error=0.003, rating_shift=0.5),
    Profile("slow", "long turnaround (median days), lower ratings", 0.07,
            tat_days=9.0, first_time_fix=0.85, late_submission=0.03, rating_shift=-0.5),
    Profile("careless_docs", "lowest document completeness, most DOC_MISSING and PURCHASE_DATE_MISSING", 0.07,
            doc_missing=0.12, doc_late=0.25, late_submission=0.05, no_purchase_date=0.04, amount_error=0.012),
    Profile("poor_fix", "low first-time fix, highest repeat rate, REPEAT_REPAIR on the comebacks", 0.06,
            tat_days=4.0, first_time_fix=0.68, comeback=0.16, rating_shift=-0.7),
    Profile("overbilling", "most LABOR_OVER_STANDARD and AMOUNT_MISMATCH, labour disputes, malus tier", 0.05,
            overbill=0.38, amount_error=0.015, duplicate=0.004),
    Profile("late_submitter", "lowest on-time submission, most LATE_SUBMISSION", 0.05,
            late_submission=0.30, doc_late=0.08),
    Profile("sloppy_billing", "VAT_MISMATCH, DUPLICATE_CLAIM and amount errors on invoices", 0.04,
            wrong_vat=0.14, amount_error=0.05, duplicate=0.02, out_of_warranty=0.02),
    Profile("remote_rural", "long travel, TRAVEL_OVER_CAP (a station agreement raises one cap)", 0.04,
            tat_days=5.0, travel_factor=3.2),
)

PROFILES_BY_NAME = {p.name: p for p in PROFILES}
PROFILE_INDEX = {p.name: i for i, p in enumerate(PROFILES)}
#: numeric fields, in a fixed order, for vectorised lookups (``profile_table``)
NUMERIC_FIELDS = tuple(
    name for name, f in Profile.__dataclass_fields__.items() if f.type in ("float", float)
)
