"""Supporting documents: what the policy requires, sent on time, late, or never.

Each required type is sent unless the station's habit loses it (``doc_missing``);
a sent one arrives by the submission day unless it is late (``doc_late``), and one
that would arrive after the as-of day has not arrived yet (so it is missing).
Stations also send photos nobody asked for, as real ones do.
"""
from __future__ import annotations

import numpy as np

from analytics.demo import timeline as tl
from analytics.demo.products import DOC_BIT, DOC_TYPES
from analytics.demo.interventions import BIT, Rows

#: optional documents sent without being required: type -> probability
VOLUNTARY = {"photo_before": 0.12, "photo_after": 0.15, "defective_part_photo": 0.10}


def required_masks(gen, rows: Rows, version: np.ndarray) -> np.ndarray:
    """Bit mask of the document types the policy in force requires, per intervention."""
    pol = gen.pol
    return (pol.doc_base[rows.pair, version] | pol.doc_cov[rows.pair, version, rows.coverage]
            | pol.doc_cat[rows.pair, version, rows.cat])


def generate(gen, rows: Rows, details: dict, rng) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(row index, doc type index, received day)`` of the documents received; sets DOC_MISSING."""
    n = len(rows.pair)
    required = required_masks(gen, rows, details["version"])
    miss_p = gen.p["doc_missing"][rows.pair]
    late_p = gen.p["doc_late"][rows.pair]
    completed, submitted = details["completed"], details["submitted"]
    out_rows, out_types, out_days = [], [], []
    missing_any = np.zeros(n, dtype=bool)
    for t, doc in enumerate(DOC_TYPES):
        bit = DOC_BIT[doc]
        needed = (required & bit) != 0
        wanted = needed & (rng.random(n) >= miss_p)
        if doc in VOLUNTARY:
            wanted |= ~needed & (rng.random(n) < VOLUNTARY[doc])
        late = rng.random(n) < late_p
        span = submitted - completed + 1
        if doc == "proof_of_purchase":
            on_time = rows.requested + (rng.random(n) * (submitted - rows.requested + 1)).astype(np.int64)
        else:
            on_time = completed + (rng.random(n) * span).astype(np.int64)
        day = np.where(late, submitted + rng.integers(1, 30, n), on_time)
        arrived = wanted & (day <= tl.AS_OF_DAY)
        missing_any |= needed & ~arrived
        idx = np.flatnonzero(arrived)
        out_rows.append(idx)
        out_types.append(np.full(len(idx), t, dtype=np.int64))
        out_days.append(day[idx])
    details["flags"] |= np.where(missing_any & details["has_policy"], BIT["DOC_MISSING"], 0)
    r, t, d = (np.concatenate(x) for x in (out_rows, out_types, out_days))
    order = np.lexsort((t, r))
    return r[order], t[order], d[order]

