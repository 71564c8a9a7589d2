"""Invoices, their lines, payments and disputes.

A station invoices each manufacturer once a month: the invoice issued on the 5th
bills the reports submitted during the previous month (invoices after the as-of day
do not exist yet). An intervention gets a line per component (labour or the
no-fault-found fee, travel, parts). A duplicated line is billed again on the next
month's invoice (``DUPLICATE_CLAIM``). Invoices are accumulated across chunks
(one slot per station, manufacturer and month), written at the end with their
payment: after the manufacturer's usual delay, minus the amounts it disputes,
unpaid when the day would fall after the as-of day (and a few never paid).

Disputes follow the findings: an intervention with a finding is disputed with a
probability that depends on the finding, with that finding's code as reason (a
few are filed as ``OTHER``), and a few clean interventions get an unjustified
``OTHER`` dispute (some under a code of the sender's own list).
"""
from __future__ import annotations

import numpy as np

from analytics.contract.tables import DISPUTE_OUTCOMES, LINE_KINDS
from analytics.demo import timeline as tl
from analytics.demo.interventions import BIT, NFF, Rows
from analytics.demo.network import MANUFACTURERS

LABOR, TRAVEL, PARTS, FEE = (LINE_KINDS.index(k) for k in ("labor", "travel", "parts", "fee"))

#: finding -> probability that an invoiced intervention carrying it is disputed, in the
#: order a manufacturer's clerk would pick the reason
DISPUTED = (("DUPLICATE_CLAIM", 0.75), ("OUT_OF_WARRANTY", 0.6), ("LABOR_OVER_STANDARD", 0.45),
            ("REPEAT_REPAIR", 0.4), ("DOC_MISSING", 0.35), ("PURCHASE_DATE_MISSING", 0.3),
            ("NO_POLICY", 0.05), ("TRAVEL_OVER_CAP", 0.3), ("AMOUNT_MISMATCH", 0.25),
            ("VAT_MISMATCH", 0.25), ("LATE_SUBMISSION", 0.04))
#: reasons as written in the disputes file (index = reason number)
REASONS = tuple(code for code, _ in DISPUTED) + ("OTHER", "PARTS_NOT_AUTHORISED")
OTHER, OWN_CODE = len(DISPUTED), len(DISPUTED) + 1
UNJUSTIFIED = 0.004      # clean invoiced interventions disputed anyway
RELABELLED = 0.08        # justified disputes filed as OTHER
OUTCOME_P_JUSTIFIED = np.array([0.10, 0.58, 0.20, 0.12])   # station, manufacturer, split, withdrawn
OUTCOME_P_OTHER = np.array([0.50, 0.12, 0.16, 0.22])
STUCK = 0.03             # disputes nobody resolves


class Billing:
    def __init__(self, gen):
        self.gen = gen
        self.slots = gen.n_pairs * tl.BILL_MONTHS
        self.line_count = np.zeros(self.slots, dtype=np.int64)
        self.total = np.zeros(self.slots, dtype=np.int64)
        self.withheld = np.zeros(self.slots, dtype=np.int64)
        self.next_dispute = 0

    # ------------------------------------------------------------ lines
    def lines(self, rows: Rows, d: dict, rng) -> dict:
        """Invoice lines of a chunk; adds invoicing columns and amount findings to ``d``."""
        n = len(rows.pair)
        bill_month = tl.month_of(d["submitted"]) + 1
        issued = tl.month_start(bill_month) + tl.INVOICE_DAY - 1
        open_slot = (issued <= tl.AS_OF_DAY) & (bill_month < tl.BILL_MONTHS)
        slot = rows.pair * tl.BILL_MONTHS + np.minimum(bill_month, tl.BILL_MONTHS - 1)
        first_kind = np.where(d["outcome"] == NFF, FEE, LABOR)
        comp = ((first_kind, d["labour_req"]), (np.full(n, TRAVEL), d["travel_req"]),
                (np.full(n, PARTS), d["parts_req"]))
        row_idx, kinds, amounts, slots = [], [], [], []
        for kind, amount in comp:
            idx = np.flatnonzero(open_slot & (amount > 0))
            row_idx.append(idx)
            kinds.append(kind[idx])
            amounts.append(amount[idx])
            slots.append(slot[idx])
        has_line = np.zeros(n, dtype=bool)
        for idx in row_idx:
            has_line[idx] = True
        # the duplicate: the intervention's first line billed again on next month's invoice
        first_amount = np.where(d["labour_req"] > 0, d["labour_req"],
                                np.where(d["travel_req"] > 0, d["travel_req"], d["parts_req"]))
        first_k = np.where(d["labour_req"] > 0, first_kind, np.where(d["travel_req"] > 0, TRAVEL, PARTS))
        dup = d["duplicate"] & has_line & (issued + 31 <= tl.AS_OF_DAY) & (bill_month + 1 < tl.BILL_MONTHS)
        idx = np.flatnonzero(dup)
        row_idx.append(idx)
        kinds.append(first_k[idx])
        amounts.append(first_amount[idx])
        slots.append(slot[idx] + 1)
        r, k, a, s = (np.concatenate(x) for x in (row_idx, kinds, amounts, slots))
        vat = d["vat_req"][r]

        order = np.lexsort((k, r, s))
        r, k, a, s, vat = r[order], k[order], a[order], s[order], vat[order]
        line_no = np.empty(len(s), dtype=np.int64)
        if len(s):
            starts = np.r_[0, np.flatnonzero(np.diff(s)) + 1]
            group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(s)]))
            line_no = self.line_count[s] + (np.arange(len(s)) - starts[group]) + 1
        np.add.at(self.line_count, s, 1)
        np.add.at(self.total, s, a)

        requested = np.bincount(r, weights=a, minlength=n).astype(np.int64)
        calc = d["labour_calc"] + d["travel_calc"] + d["parts_calc"]
        tol = self.gen.pol.amount_tol_bp[rows.pair, d["version"]]
        policy_lines = d["has_policy"] & has_line
        mismatch = policy_lines & (np.abs(requested - calc) * 10000 > tol * calc + 10000)
        d["flags"] |= np.where(mismatch, BIT["AMOUNT_MISMATCH"], 0)
        d["flags"] |= np.where(policy_lines & d["wrong_vat"], BIT["VAT_MISMATCH"], 0)
        d["flags"] |= np.where(dup, BIT["DUPLICATE_CLAIM"], 0)
        d.update(invoiced=has_line, slot=slot, issued=issued, requested_total=requested, calc_total=calc,
                 dup_amount=np.where(dup, first_amount, 0))
        return dict(row=r, kind=k, amount=a, vat=vat, slot=s, line_no=line_no)

    # ------------------------------------------------------------ disputes
    def disputes(self, rows: Rows, d: dict, rng) -> dict:
        n = len(rows.pair)
        flags = d["flags"]
        reason = np.full(n, -1, dtype=np.int64)
        for i, (code, p) in enumerate(DISPUTED):
            hit = (reason < 0) & ((flags & BIT[code]) != 0) & (rng.random(n) < p)
            reason[hit] = i
        justified = reason >= 0
        reason = np.where(justified & (rng.random(n) < RELABELLED), OTHER, reason)
        unjust = (flags == 0) & (rng.random(n) < UNJUSTIFIED)
        reason = np.where(unjust, np.where(rng.random(n) < 0.1, OWN_CODE, OTHER), reason)
        opened = d["issued"] + 3 + np.round(rng.gamma(2.0, 10.0, n)).astype(np.int64)
        take = d["invoiced"] & (reason >= 0) & (opened <= tl.AS_OF_DAY)
        idx = np.flatnonzero(take)
        m = len(idx)
        reason, opened, justified = reason[idx], opened[idx], justified[idx]
        by_station = ~justified & (rng.random(m) < 0.3)

        req = d["requested_total"][idx]
        labour_req, labour_calc = d["labour_req"][idx], d["labour_calc"][idx]
        travel_req, travel_calc = d["travel_req"][idx], d["travel_calc"][idx]
        code = np.array(REASONS, dtype=object)[reason]
        amount = req.copy()
        amount = np.where(code == "LABOR_OVER_STANDARD",
                          np.where(labour_req > labour_calc, labour_req - labour_calc, labour_req), amount)
        amount = np.where(code == "REPEAT_REPAIR", labour_req, amount)
        amount = np.where(code == "DUPLICATE_CLAIM", d["dup_amount"][idx], amount)
        amount = np.where(code == "TRAVEL_OVER_CAP",
                          np.where(travel_req > travel_calc, travel_req - travel_calc, travel_req // 2), amount)
        amount = np.where(code == "AMOUNT_MISMATCH", np.abs(req - d["calc_total"][idx]), amount)
        amount = np.where(code == "VAT_MISMATCH", req // 100, amount)
        amount = np.where(code == "LATE_SUBMISSION", req // 10, amount)
        amount = np.where(reason >= OTHER, np.round(req * rng.uniform(0.2, 1.0, m)).astype(np.int64), amount)

        duration = np.where(justified, rng.lognormal(np.log(18), 0.6, m), rng.lognormal(np.log(30), 0.7, m))
        resolved = opened + np.round(duration).astype(np.int64)
        is_open = (resolved > tl.AS_OF_DAY) | (rng.random(m) < STUCK)
        u = rng.random(m)
        outcome = np.where(justified, np.searchsorted(np.cumsum(OUTCOME_P_JUSTIFIED), u, side="right"),
                           np.searchsorted(np.cumsum(OUTCOME_P_OTHER), u, side="right")).clip(0, 3)
        settled = np.where(outcome == DISPUTE_OUTCOMES.index("station"), amount, 0)
        split = outcome == DISPUTE_OUTCOMES.index("split")
        settled = np.where(split, np.round(amount * rng.uniform(0.3, 0.7, m)).astype(np.int64), settled)
        no_settlement = is_open | (outcome == DISPUTE_OUTCOMES.index("withdrawn"))

        np.add.at(self.withheld, d["slot"][idx], np.where(by_station, 0, amount))
        number = self.next_dispute + np.arange(m, dtype=np.int64)
        self.next_dispute += m
        return dict(number=number, row=idx, slot=d["slot"][idx], opened=opened, by_station=by_station,
                    reason=reason, amount=amount, resolved=resolved, is_open=is_open, outcome=outcome,
                    settled=settled, no_settlement=no_settlement)

    # ------------------------------------------------------------ invoices
    def invoices(self, seed: int) -> dict:
        rng = np.random.default_rng([seed, 3])
        slot = np.flatnonzero(self.line_count > 0)
        pair, month = slot // tl.BILL_MONTHS, slot % tl.BILL_MONTHS
        issued = tl.month_start(month) + tl.INVOICE_DAY - 1
        gen = self.gen
        mean = np.array([m.pay_days for m in MANUFACTURERS])[gen.manu[pair]] \
            * gen.net.station_pay_factor[gen.station[pair]]
        paid = issued + np.round(rng.gamma(4.0, mean / 4.0)).astype(np.int64)
        unpaid = (paid > tl.AS_OF_DAY) | (rng.random(len(slot)) < 0.015)
        amount = np.maximum(0, self.total[slot] - self.withheld[slot])
        return dict(slot=slot, pair=pair, month=month, issued=issued, paid=paid, unpaid=unpaid, amount=amount)
