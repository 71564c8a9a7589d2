"""Interventions, month by month: volumes with growth and seasons, units that come back.

Each month's requests are drawn over (station, manufacturer, category) with weights
= station size x brand x category share x season x growth. A repaired unit may come
back (same manufacturer and serial number) after a gap drawn from the first station's
profile; the comeback is queued for the month of its request and generated then,
usually at the same station. Everything about one intervention (dates, minutes,
travel, parts, outcome, rating) follows its station's profile and the policy in
force; the findings the verification engine will raise are computed here too (as
bit flags) so that disputes can follow real problems.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.contract.tables import COVERAGES, OUTCOMES
from analytics.demo import timeline as tl
from analytics.demo.network import MANUFACTURERS, MODEL_POPULARITY, MODELS_PER_CATEGORY, Network
from analytics.demo.policies import PER_EUR, PolicyArrays
from analytics.demo.products import ALL_CODES, CATEGORIES, CATEGORY_INDEX, CODE_CATEGORY, season_matrix
from analytics.demo.profiles import NUMERIC_FIELDS, PROFILES

#: Findings as bits (codes of verification.md the generator plants or knows about).
FINDING_CODES = ("NO_POLICY", "DOC_MISSING", "PURCHASE_DATE_MISSING", "OUT_OF_WARRANTY", "DUPLICATE_CLAIM",
                 "REPEAT_REPAIR", "LATE_SUBMISSION", "LABOR_OVER_STANDARD", "TRAVEL_OVER_CAP",
                 "AMOUNT_MISMATCH", "VAT_MISMATCH")
BIT = {code: 1 << i for i, code in enumerate(FINDING_CODES)}
BLOCKING = BIT["NO_POLICY"] | BIT["DOC_MISSING"] | BIT["PURCHASE_DATE_MISSING"] | BIT["OUT_OF_WARRANTY"] \
    | BIT["DUPLICATE_CLAIM"]

COVERAGE_P = np.array([0.80, 0.15, 0.05])          # warranty, extended, goodwill
OUTCOME_P = np.array([0.85, 0.04, 0.07, 0.04])     # repaired, replaced, no_fault_found, not_repairable
GROWTH_PER_YEAR = 1.22
ONSITE = np.array([c.onsite for c in CATEGORIES])
CODE_MINUTES = np.array([rc.minutes for rc in ALL_CODES], dtype=np.float64)
CODE_PART_EUR = np.array([rc.part_eur for rc in ALL_CODES], dtype=np.float64)
NFF, REPLACED, NOT_REPAIRABLE = OUTCOMES.index("no_fault_found"), OUTCOMES.index("replaced"), \
    OUTCOMES.index("not_repairable")
WARRANTY, EXTENDED, GOODWILL = (COVERAGES.index(c) for c in ("warranty", "extended", "goodwill"))


def _round_div(num: np.ndarray, den: int | np.ndarray) -> np.ndarray:
    """``num / den`` rounded half away from zero, for non-negative integers (exact)."""
    return (2 * num + den) // (2 * den)


@dataclass
class Rows:
    """Columns of one month's interventions (numpy arrays, one entry per intervention)."""

    number: np.ndarray      # global sequence number -> intervention_id
    pair: np.ndarray
    cat: np.ndarray
    code: np.ndarray
    unit: np.ndarray        # unit number -> serial_number
    model: np.ndarray       # model index (-1: not given)
    coverage: np.ndarray
    purchase: np.ndarray    # day; meaningful where has_purchase
    has_purchase: np.ndarray
    requested: np.ndarray
    first_completed: np.ndarray  # for comebacks: completion day of the earlier repair, else -1


class InterventionGenerator:
    """Generates the interventions of each month in turn (state: the comeback queue)."""

    def __init__(self, network: Network, pol: PolicyArrays, total: int, seed: int):
        self.net, self.pol, self.seed = network, pol, seed
        self.n_pairs = network.n_pairs
        st = network.pair_station
        self.station = st
        self.manu = network.pair_manu
        prof = network.station_profile[st]
        self.p = {f: np.array([getattr(PROFILES[i], f) for i in prof]) for f in NUMERIC_FIELDS}
        self.rural = network.station_rural[st]
        self.cur_factor = np.array([float(PER_EUR.get(pol.currencies[c], 1)) for c in pol.currency])
        self.weights = self._weights()
        self.quota = _largest_remainder(total, self.weights.sum(axis=1))
        self.queue: dict[int, list[dict]] = {}
        self.next_number = 0
        self.next_unit = 0
        self.excess = 0   # rows generated beyond the months' quotas so far (same-month comebacks)
        rng = np.random.default_rng([seed, 1])
        # within a category, some repair codes are more common than others
        self.code_p = {}
        for ci, c in enumerate(CATEGORIES):
            w = rng.dirichlet(np.full(len(c.codes), 3.0))
            self.code_p[ci] = (np.flatnonzero(CODE_CATEGORY == ci), w)
        # comebacks may go to another station of the brand in the same country
        self.siblings = {}
        for p in range(self.n_pairs):
            key = (self.manu[p], network.station_country[st[p]])
            self.siblings.setdefault(key, []).append(p)
        self.sibling_of = [np.array(self.siblings[(self.manu[p], network.station_country[st[p]])])
                           for p in range(self.n_pairs)]

    # ------------------------------------------------------------ volumes
    def _weights(self) -> np.ndarray:
        """``[month, pair * category]`` unnormalised request weights."""
        net = self.net
        season = season_matrix()
        share = np.zeros((len(MANUFACTURERS), len(CATEGORIES)))
        for mi, m in enumerate(MANUFACTURERS):
            for cat, s in m.categories.items():
                share[mi, CATEGORY_INDEX[cat]] = s
        brand = np.array([m.weight for m in MANUFACTURERS])[self.manu]
        pair_w = net.station_size[self.station] * brand
        months = np.arange(tl.REQUEST_MONTHS)
        growth = GROWTH_PER_YEAR ** (months / 12.0)
        active = months[:, None] >= net.station_start[self.station][None, :]           # [m, p]
        w = (growth[:, None, None] * active[:, :, None] * pair_w[None, :, None]
             * share[self.manu][None, :, :] * season[:, months % 12].T[:, None, :])      # [m, p, c]
        return w.reshape(tl.REQUEST_MONTHS, -1)

    # ------------------------------------------------------------ one month
    def month(self, m: int) -> tuple[Rows, dict]:
        """The interventions requested in month ``m``, completed (``Rows``, detail columns)."""
        rng = np.random.default_rng([self.seed, 2, m])
        queued = self.queue.pop(m, [])
        come = {k: np.concatenate([q[k] for q in queued]) for k in queued[0]} if queued else None
        n_come = 0 if come is None else len(come["pair"])
        room = max(0, self.quota[m] - self.excess)
        if n_come > room:  # never more than the month's volume (only at absurdly small sizes)
            keep = np.sort(rng.permutation(n_come)[:room])
            come = {k: v[keep] for k, v in come.items()}
            n_come = room
        parts = [self._from_queue(come)] if n_come else []
        parts.append(self._fresh(rng, m, room - n_come))
        rows = _concat(parts)
        done_rows, done_details = [], []
        while len(rows.pair):
            details = self.complete(rows, m, rng)
            again = details.pop("again")
            done_rows.append(rows)
            done_details.append(details)
            rows = again
        rows = _concat(done_rows)
        details = {k: np.concatenate([d[k] for d in done_details]) for k in done_details[0]}
        self.excess += len(rows.pair) - self.quota[m]
        return rows, details

    def _fresh(self, rng, m: int, n: int) -> Rows:
        w = self.weights[m]
        pick = rng.choice(w.size, size=n, p=w / w.sum())
        pair, cat = pick // len(CATEGORIES), pick % len(CATEGORIES)
        code = np.empty(n, dtype=np.int64)
        for ci, (codes, p) in self.code_p.items():
            sel = np.flatnonzero(cat == ci)
            if len(sel):
                code[sel] = rng.choice(codes, size=len(sel), p=p)
        model = rng.choice(MODELS_PER_CATEGORY, size=n, p=MODEL_POPULARITY)
        model[rng.random(n) < 0.02] = -1
        coverage = rng.choice(3, size=n, p=COVERAGE_P)
        start = tl.month_start(m)
        requested = start + rng.integers(0, tl.month_days(m), n)
        unit = self.next_unit + np.arange(n, dtype=np.int64)
        self.next_unit += n
        purchase, has_purchase = self._purchase(rng, pair, coverage, requested)
        return Rows(number=np.zeros(n, np.int64), pair=pair, cat=cat, code=code, unit=unit, model=model,
                    coverage=coverage, purchase=purchase, has_purchase=has_purchase, requested=requested,
                    first_completed=np.full(n, -1, np.int64))

    def _purchase(self, rng, pair, coverage, requested):
        n = len(pair)
        v = self.version(pair, requested).clip(0)
        wm = self.pol.warranty_months[pair, v] * 30.44
        em = self.pol.extended_months[pair, v] * 30.44
        u = rng.random(n)
        age = np.where(coverage == WARRANTY, 15 + u * (wm - 30),
                       np.where(coverage == EXTENDED, wm + 15 + u * (em - wm - 30), u * 3000))
        out = rng.random(n) < self.p["out_of_warranty"][pair]
        age = np.where(out & (coverage == WARRANTY), wm + rng.integers(10, 240, n), age)
        age = np.where(out & (coverage == EXTENDED), em + rng.integers(10, 240, n), age)
        missing = rng.random(n) < np.where(coverage == GOODWILL, 0.3, self.p["no_purchase_date"][pair])
        return requested - age.astype(np.int64), ~missing

    def _from_queue(self, q: dict) -> Rows:
        n = len(q["pair"])
        return Rows(number=np.zeros(n, np.int64), pair=q["pair"], cat=q["cat"], code=q["code"], unit=q["unit"],
                    model=q["model"], coverage=q["coverage"], purchase=q["purchase"],
                    has_purchase=q["has_purchase"], requested=q["requested"],
                    first_completed=q["first_completed"])

    def version(self, pair, day) -> np.ndarray:
        """Index of the policy version in force on ``day`` (-1: none)."""
        vf = self.pol.valid_from[self.manu[pair]]                       # [n, versions]
        return (np.asarray(day)[:, None] >= vf).sum(axis=1) - 1

    # ------------------------------------------------------------ details of the repairs
    def complete(self, rows: Rows, m: int, rng) -> dict:
        """Everything after the request: dates, work, amounts, findings. Returns a dict of columns."""
        n = len(rows.pair)
        pair, p = rows.pair, self.p
        rows.number = self.next_number + np.arange(n, dtype=np.int64)
        self.next_number += n
        ftf = rng.random(n) < p["first_time_fix"][pair]
        visits = np.where(ftf, 1, np.where(rng.random(n) < 0.8, 2, 3))
        tat = rng.gamma(1.6, p["tat_days"][pair] / 1.6) + (visits - 1) * rng.integers(2, 9, n)
        completed = rows.requested + np.round(tat).astype(np.int64)
        completed = np.minimum(completed, tl.AS_OF_DAY - 20)
        completed = np.maximum(completed, rows.requested)
        outcome = rng.choice(len(OUTCOMES), size=n, p=OUTCOME_P)
        v = self.version(pair, completed)
        has_policy = v >= 0
        vv = v.clip(0)
        pol = self.pol
        std = pol.std[pair, vv, rows.code]

        # labour minutes: around the standard time; the overbilling habit reports far more
        typical = np.where(std > 0, std, CODE_MINUTES[rows.code]).astype(np.float64)
        factor = rng.lognormal(-0.03, 0.11, n) * (1 + 0.12 * (visits - 1))
        factor = np.where(std <= 0, rng.lognormal(0, 0.35, n), factor)
        overbill = (std > 0) & (rng.random(n) < p["overbill"][pair])
        factor = np.where(overbill, rng.uniform(1.4, 2.2, n), factor)
        labor = np.maximum(5, 5 * np.round(typical * factor / 5)).astype(np.int64)
        labor = np.where(outcome == NFF, 5 * rng.integers(3, 9, n), labor)

        # travel, in tenths of km
        onsite = ONSITE[rows.cat] & (rng.random(n) > 0.05)
        km = rng.gamma(2.0, 8.0, n) * p["travel_factor"][pair] * np.where(self.rural[pair], 1.6, 1.0) + 1.0
        km10 = np.where(onsite, np.round(km * 10), 0).astype(np.int64)

        # parts at the manufacturer's price list, in the policy currency
        price = CODE_PART_EUR[rows.code] * self.cur_factor[pair] * rng.lognormal(0, 0.25, n)
        price = np.where(outcome == REPLACED, price * rng.uniform(2.0, 3.5, n), price)
        price = np.where((outcome == NFF) | (outcome == NOT_REPAIRABLE), 0.0, price)
        parts = np.round(price * 100).astype(np.int64)

        # submission: most within days, the late-submitting habit beyond the deadline
        deadline = pol.deadline_days[pair, vv]
        late = rng.random(n) < p["late_submission"][pair]
        delay = np.where(late, deadline + rng.integers(1, 45, n), rng.geometric(0.35, n) - 1)
        submitted = np.minimum(completed + delay, tl.AS_OF_DAY)

        score = (4.4 + 0.6 * p["rating_shift"][pair] - 0.7 * (visits - 1) - 0.05 * np.maximum(0, tat - 3)
                 + rng.normal(0, 0.7, n))
        rating = np.clip(np.round(score), 1, 5).astype(np.int64)
        rated = rng.random(n) < 0.55

        # the unit may come back later: queue the comeback for the month of its request
        again = self._queue_comebacks(rows, completed, visits, m, rng)

        # findings that depend on the intervention alone (policy ones only with a policy)
        flags = np.zeros(n, dtype=np.int64)
        flags |= np.where(~has_policy, BIT["NO_POLICY"], 0)
        warranty_like = rows.coverage != GOODWILL
        flags |= np.where(warranty_like & ~rows.has_purchase, BIT["PURCHASE_DATE_MISSING"], 0)
        months = np.where(rows.coverage == WARRANTY, pol.warranty_months[pair, vv], pol.extended_months[pair, vv])
        limit = tl.add_months(rows.purchase, months)
        oow = has_policy & warranty_like & rows.has_purchase & (rows.requested > limit)
        flags |= np.where(oow, BIT["OUT_OF_WARRANTY"], 0)
        gap = rows.requested - rows.first_completed
        repeat = has_policy & (rows.first_completed >= 0) & (gap <= pol.repeat_days[pair, vv])
        flags |= np.where(repeat, BIT["REPEAT_REPAIR"], 0)
        flags |= np.where(has_policy & (submitted - completed > deadline), BIT["LATE_SUBMISSION"], 0)
        over = has_policy & (std >= 0) & (labor * 10000 > std * (10000 + pol.labor_tol_bp[pair, vv]))
        flags |= np.where(over, BIT["LABOR_OVER_STANDARD"], 0)
        max10 = pol.max_km10[pair, vv]
        flags |= np.where(has_policy & (km10 > max10), BIT["TRAVEL_OVER_CAP"], 0)

        # the calculated amount (policy-format.md), exact, in cents
        rate = pol.labor_cents[pair, vv]
        minutes = np.where(std >= 0, std, labor)
        labour_full = np.where(outcome == NFF, pol.nff_cents[pair, vv], _round_div(minutes * rate, 60))
        labour_calc = np.where(repeat, 0, labour_full)
        free10 = pol.free_km10[pair, vv]
        per_km = pol.per_km_cents[pair, vv]
        capped = np.maximum(0, np.minimum(km10, max10) - free10)
        travel_calc = np.where(km10 > 0, pol.flat_cents[pair, vv] + _round_div(capped * per_km, 10), 0)
        parts_calc = _round_div(parts * (10000 + pol.markup_bp[pair, vv]), 10000)

        # what the station asks for: the policy's amounts, bent by its habits
        labour_req = np.where(repeat & (rng.random(n) < 0.7), labour_full, labour_calc)
        labour_req = np.where(overbill & (outcome != NFF), _round_div(labor * rate, 60), labour_req)
        uncapped = np.maximum(0, km10 - free10)
        travel_req = np.where((km10 > max10) & (rng.random(n) < 0.5),
                              pol.flat_cents[pair, vv] + _round_div(uncapped * per_km, 10), travel_calc)
        parts_req = parts_calc.copy()
        error = rng.random(n) < p["amount_error"][pair]
        kind = rng.random(n)
        parts_req = np.where(error & (kind < 0.5) & (parts > 0), parts, parts_req)       # markup forgotten
        labour_req = np.where(error & ((kind >= 0.5) | (parts == 0)),
                              np.round(labour_req * rng.uniform(1.08, 1.4, n)).astype(np.int64), labour_req)
        vat = pol.vat_micro[pair, vv] // 10_000                                            # hundredths
        wrong_vat = rng.random(n) < p["wrong_vat"][pair]
        vat_req = np.where(wrong_vat, np.where(vat != 20, 20, 19), vat)
        duplicate = rng.random(n) < p["duplicate"][pair]

        return dict(
            visits=visits, completed=completed, submitted=submitted, outcome=outcome, labor=labor, km10=km10,
            parts=parts, rating=rating, rated=rated, has_policy=has_policy, version=vv, flags=flags,
            labour_calc=labour_calc, travel_calc=travel_calc, parts_calc=parts_calc,
            labour_req=labour_req, travel_req=travel_req, parts_req=parts_req, vat_req=vat_req,
            wrong_vat=wrong_vat, duplicate=duplicate, again=again,
        )

    def _queue_comebacks(self, rows: Rows, completed, visits, m: int, rng) -> Rows:
        """Queue the comebacks of later months; return those requested in this month (generated now).

        The last month keeps none of its own, so that the total is exactly the size asked for.
        """
        n = len(rows.pair)
        chance = self.p["comeback"][rows.pair] * np.where(visits > 1, 1.5, 1.0)
        back = rng.random(n) < chance
        gap = np.round(rng.gamma(1.3, 20.0, n)).astype(np.int64)
        when = completed + gap
        target = tl.month_of(when)
        last = tl.REQUEST_MONTHS - 1
        idx = np.flatnonzero(back & (target <= last) & ~((target == m) & (m == last)))
        pair = rows.pair[idx].copy()
        move = rng.random(len(idx)) < 0.25
        for k in np.flatnonzero(move):
            sib = self.sibling_of[pair[k]]
            pair[k] = sib[rng.integers(len(sib))]
        code = rows.code[idx].copy()
        change = rng.random(len(idx)) < 0.35
        for k in np.flatnonzero(change):
            codes, p = self.code_p[rows.cat[idx[k]]]
            code[k] = rng.choice(codes, p=p)
        entry = dict(pair=pair, cat=rows.cat[idx], code=code, unit=rows.unit[idx], model=rows.model[idx],
                     coverage=rows.coverage[idx], purchase=rows.purchase[idx],
                     has_purchase=rows.has_purchase[idx], requested=when[idx],
                     first_completed=completed[idx])
        target = target[idx]
        for t in np.unique(target[target > m]):
            sel = target == t
            self.queue.setdefault(int(t), []).append({k: v[sel] for k, v in entry.items()})
        now = target <= m
        return self._from_queue({k: v[now] for k, v in entry.items()})


def _concat(parts: list[Rows]) -> Rows:
    if len(parts) == 1:
        return parts[0]
    return Rows(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in Rows.__dataclass_fields__})


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    share = weights / weights.sum() * total
    out = np.floor(share).astype(np.int64)
    rest = total - out.sum()
    out[np.argsort(-(share - out), kind="stable")[:rest]] += 1
    return out
