"""A plain-Python reference of ``shared/spec/metrics.md`` (no SQL), over lists of dicts.

Reads the same rows as :class:`metrics_fixture.World` produces: the contract tables plus the
verification engineer's per-intervention outputs it takes as given (``intervention_policy``:
has_policy, currency, submission_deadline_days; ``intervention_amounts``: calculated and labour
amounts; ``intervention_status``; ``intervention_required_documents``; ``findings``). Everything
else (comebacks, requested amounts, invoiced, medians, rates, fx conversion, scores) is computed
here from the spec's words, in exact ``Fraction``/``Decimal`` arithmetic, with no rollup.
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

KEY_COLUMNS = {"station": "station_id", "manufacturer": "manufacturer_id", "country": "country",
               "region": "region", "month": "month", "product_category": "product_category"}
AMOUNTS = ("requested_amount", "calculated_amount", "cost_per_intervention", "disputed_amount")
BETTER = {"tat_days_median": "lower", "first_time_fix_rate": "higher", "repeat_rate": "lower",
          "doc_complete_rate": "higher", "on_time_submission_rate": "higher", "ready_rate": "higher",
          "cost_per_intervention": "lower", "dispute_rate": "lower", "disputed_amount": "lower",
          "dispute_resolution_days_median": "lower", "customer_rating_avg": "higher",
          "days_to_pay_median": "lower", "unpaid_share": "lower"}
DEFAULT_WEIGHTS = ("first_time_fix_rate", "repeat_rate", "tat_days_median", "doc_complete_rate", "dispute_rate")


def comebacks(interventions) -> list[dict]:
    """Comeback pairs of verification.md: same manufacturer and serial, k requested on or after i
    completed, i first (earlier request, or same day and smaller id); gap = k.requested - i.completed."""
    out = []
    for i in interventions:
        for k in interventions:
            if k is i or (i["manufacturer_id"], i["serial_number"]) != (k["manufacturer_id"], k["serial_number"]):
                continue
            first = (i["requested_on"], i["intervention_id"]) < (k["requested_on"], k["intervention_id"])
            if first and k["requested_on"] >= i["completed_on"]:
                out.append({"first_intervention_id": i["intervention_id"],
                            "comeback_intervention_id": k["intervention_id"],
                            "gap_days": (k["requested_on"] - i["completed_on"]).days})
    return out


def median(values):
    """The middle value, or the mean of the two middle values; None for no value."""
    v = sorted(values)
    if not v:
        return None
    n = len(v)
    return Fraction(v[n // 2]) if n % 2 else Fraction(v[n // 2 - 1] + v[n // 2], 2)


def ratio(num, den):
    return None if den == 0 else Fraction(num, den)


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _in_period(day, f) -> bool:
    return (f.date_from is None or day >= f.date_from) and (f.date_to is None or day <= f.date_to)


def _scoped(row, f, scope_manufacturer, scope_station, category=True) -> bool:
    return ((scope_manufacturer is None or row["manufacturer_id"] == scope_manufacturer)
            and (scope_station is None or row["station_id"] == scope_station)
            and (not f.manufacturer_ids or row["manufacturer_id"] in f.manufacturer_ids)
            and (not f.station_ids or row["station_id"] in f.station_ids)
            and (not f.countries or row["country"] in f.countries)
            and (not f.regions or row["region"] in f.regions)
            and (not category or not f.product_categories or row["product_category"] in f.product_categories))


def facts(t) -> list[dict]:
    """One dict per intervention: attribution and every input of the metrics."""
    stations = {s["station_id"]: s for s in t.get("stations", [])}
    policy = {p["intervention_id"]: p for p in t.get("intervention_policy", [])}
    amounts = {a["intervention_id"]: a for a in t.get("intervention_amounts", [])}
    status = {s["intervention_id"]: s["status"] for s in t.get("intervention_status", [])}
    docs = defaultdict(list)
    for r in t.get("intervention_required_documents", []):
        docs[r["intervention_id"]].append(r["received_on"])
    invoices = {v["invoice_id"]: v for v in t.get("invoices", [])}
    lines = defaultdict(list)
    for line in t.get("invoice_lines", []):
        lines[line["intervention_id"]].append(line)
    disputes = defaultdict(list)
    for x in t.get("disputes", []):
        disputes[x["intervention_id"]].append(x)
    rates = {(r["currency"], r["month"]): Decimal(r["eur_per_unit"]) for r in t.get("fx_rates", [])}
    back = {c["first_intervention_id"] for c in comebacks(t.get("interventions", [])) if c["gap_days"] <= 90}
    out = []
    for i in t.get("interventions", []):
        iid = i["intervention_id"]
        s = stations[i["station_id"]]
        p = policy.get(iid, {})
        has_policy = bool(p.get("has_policy"))
        ls = lines.get(iid, [])
        currency = p.get("currency") if has_policy else (
            min(invoices[x["invoice_id"]]["currency"] for x in ls) if ls else None)
        month = month_of(i["completed_on"])
        rate = Decimal(1) if currency == "EUR" else rates.get((currency, month))
        out.append({
            "intervention_id": iid, "manufacturer_id": i["manufacturer_id"], "station_id": i["station_id"],
            "country": s["country"], "region": s.get("region") or "", "month": month,
            "product_category": i["product_category"], "completed_on": i["completed_on"],
            "tat_days": (i["completed_on"] - i["requested_on"]).days, "visits": i["visits"],
            "comeback_90": iid in back, "has_policy": has_policy,
            "doc_complete": all(r is not None and r <= i["submitted_on"] for r in docs.get(iid, [])),
            "on_time": has_policy and (i["submitted_on"] - i["completed_on"]).days <= p["submission_deadline_days"],
            "ready": status.get(iid) == "ready", "invoiced": bool(ls),
            "requested": sum((Decimal(x["amount"]) for x in ls), Decimal(0)),
            "calculated": Decimal(amounts[iid]["calculated_amount"]) if has_policy else None,
            "labor": Decimal(amounts[iid]["labor_amount"]) if has_policy else None,
            "currency": currency, "rate": rate, "rating": i.get("customer_rating"),
            "disputes": disputes.get(iid, []),
        })
    return out


def _amount(values_rates):
    """Sum of amount × rate, or None when a contributing amount has no rate."""
    total = Decimal(0)
    for amount, rate in values_rates:
        if rate is None:
            return None
        total += amount * rate
    return total


def group_metrics(S: list[dict], invoices: list[dict] | None) -> dict:
    """Every metric of metrics.md over the interventions S (and the invoices, None: no value)."""
    n = len(S)
    P = [x for x in S if x["has_policy"]]
    inv = [x for x in S if x["invoiced"]]
    calc = [x for x in inv if x["has_policy"]]
    disputed = [x for x in S if x["disputes"]]
    ds = [d for x in S for d in x["disputes"]]
    resolved = [d for d in ds if d["resolved_on"] is not None]
    decided = [d for d in resolved if d["outcome"] != "withdrawn"]
    ratings = [x["rating"] for x in S if x["rating"] is not None]
    requested_eur = _amount((x["requested"], x["rate"]) for x in inv)
    disputed_eur = _amount((sum((Decimal(d["disputed_amount"]) for d in x["disputes"]), Decimal(0)), x["rate"])
                           for x in disputed)
    row = {
        "interventions": n,
        "tat_days_median": median([x["tat_days"] for x in S]),
        "first_time_fix_rate": ratio(sum(x["visits"] == 1 for x in S), n),
        "repeat_rate": ratio(sum(x["comeback_90"] for x in S), n),
        "doc_complete_rate": ratio(sum(x["doc_complete"] for x in P), len(P)),
        "on_time_submission_rate": ratio(sum(x["on_time"] for x in P), len(P)),
        "ready_rate": ratio(sum(x["ready"] for x in S), n),
        "requested_amount_eur": requested_eur,
        "calculated_amount_eur": _amount((x["calculated"], x["rate"]) for x in calc),
        "cost_per_intervention_eur": None if requested_eur is None or not inv else Fraction(requested_eur) / len(inv),
        "dispute_rate": ratio(sum(bool(x["disputes"]) for x in inv), len(inv)),
        "disputed_amount_eur": disputed_eur,
        "dispute_resolution_days_median": median([(d["resolved_on"] - d["opened_on"]).days for d in resolved]),
        "station_upheld_rate": ratio(sum(d["outcome"] == "station" for d in decided), len(decided)),
        "customer_rating_avg": ratio(sum(ratings), len(ratings)),
        "days_to_pay_median": None, "unpaid_share": None,
    }
    if invoices is not None:
        row["days_to_pay_median"] = median([(v["paid_on"] - v["issued_on"]).days for v in invoices if v["paid_on"]])
        row["unpaid_share"] = ratio(sum(v["paid_on"] is None for v in invoices), len(invoices))
    currencies = {x["currency"] for x in S if x["has_policy"] or x["invoiced"] or x["disputes"]}
    one = len(currencies) == 1
    row["currency"] = next(iter(currencies)) if one else None
    requested = sum((x["requested"] for x in inv), Decimal(0))
    row["requested_amount"] = requested if one else None
    row["calculated_amount"] = sum((x["calculated"] for x in calc), Decimal(0)) if one else None
    row["cost_per_intervention"] = (Fraction(requested) / len(inv) if inv else None) if one else None
    row["disputed_amount"] = sum((Decimal(d["disputed_amount"]) for d in ds), Decimal(0)) if one else None
    return row


def invoice_rows(t) -> list[dict]:
    stations = {s["station_id"]: s for s in t.get("stations", [])}
    return [{**v, "country": stations[v["station_id"]]["country"],
             "region": stations[v["station_id"]].get("region") or "", "month": month_of(v["issued_on"])}
            for v in t.get("invoices", [])]


def metric_table(t, f, by=(), scope_manufacturer=None, scope_station=None) -> dict[tuple, dict]:
    """``{key tuple (in KEY_COLUMNS order of the keys asked): metrics}``."""
    keys = [k for k in KEY_COLUMNS if k in by]
    cols = [KEY_COLUMNS[k] for k in keys]
    S = [x for x in facts(t) if _in_period(x["completed_on"], f) and _scoped(x, f, scope_manufacturer, scope_station)]
    with_invoices = "product_category" not in keys and not f.product_categories
    V = [v for v in invoice_rows(t) if _in_period(v["issued_on"], f)
         and _scoped(v, f, scope_manufacturer, scope_station, category=False)] if with_invoices else []
    groups = defaultdict(list)
    inv_groups = defaultdict(list)
    for x in S:
        groups[tuple(x[c] for c in cols)].append(x)
    for v in V:
        inv_groups[tuple(v[c] for c in cols)].append(v)
    all_keys = set(groups) | set(inv_groups) | ({()} if not keys else set())
    return {k: group_metrics(groups.get(k, []), inv_groups.get(k, []) if with_invoices else None)
            for k in all_keys}


def percentile_ranks(values: dict, better: str) -> dict:
    present = {s: v for s, v in values.items() if v is not None}
    n = len(present)
    out = {}
    for s, v in present.items():
        if n == 1:
            out[s] = Fraction(50)
            continue
        worse = sum(1 for t, o in present.items() if t != s and (o < v if better == "higher" else o > v))
        equal = sum(1 for t, o in present.items() if t != s and o == v)
        out[s] = Fraction(100) * (worse + Fraction(equal, 2)) / (n - 1)
    return out


def weights_on(t, manufacturer_id, day) -> dict:
    versions = [v["valid_from"] for v in t.get("policy_versions", [])
                if v["manufacturer_id"] == manufacturer_id and v["valid_from"] <= day]
    if versions:
        vf = max(versions)
        w = {r["item"]: Fraction(r["num_value"]) for r in t.get("policy_values", [])
             if r["manufacturer_id"] == manufacturer_id and r["valid_from"] == vf and r["key"] == "score_weights"}
        if w:
            return w
    return {m: Fraction(1) for m in DEFAULT_WEIGHTS}


def scores(t, f, manufacturer_id) -> dict[str, Fraction | None]:
    """``{station_id: score}`` for the period of ``f`` (no bound: first/last completed_on)."""
    from analytics.core.filters import Filters

    basis = Filters(date_from=f.date_from, date_to=f.date_to, manufacturer_ids=(manufacturer_id,))
    table = metric_table(t, basis, ["station"])
    last = f.date_to or max(x["completed_on"] for x in facts(t) if x["manufacturer_id"] == manufacturer_id
                            and _in_period(x["completed_on"], f))
    w = weights_on(t, manufacturer_id, last)
    scored = {k[0]: row for k, row in table.items() if row["interventions"] >= 20}
    ranks = {m: percentile_ranks({s: r[f"{m}_eur" if m in AMOUNTS else m] for s, r in scored.items()}, BETTER[m])
             for m in w}
    out = {}
    for (s,), row in table.items():
        if s not in scored:
            out[s] = None
            continue
        terms = [(w[m], ranks[m][s]) for m in w if s in ranks[m]]
        total = sum(x for x, _ in terms)
        out[s] = sum(x * r for x, r in terms) / total if total else None
    return out


def month_last_day(month: str) -> dt.date:
    y, m = int(month[:4]), int(month[5:])
    return dt.date(y, m, calendar.monthrange(y, m)[1])
