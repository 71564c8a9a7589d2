"""The outgoing invoice as plain data (EN 16931's semantic model), built from a pre-invoice.

One :class:`Invoice` is rendered in either syntax (``ubl.py``, ``cii.py``) and read back from
either (``reading.py``), so matching compares two values of the same type.

* **Lines**: one per intervention and component of its calculated amount (labour, travel,
  parts), id ``<intervention_id>/<component>`` (BT-126), quantity 1 (``C62``), price = net
  amount; a component of 0 is left out unless the whole intervention is 0 (one ``labour`` line
  of 0, so the intervention is still on the invoice).
* **Performance adjustment**: a document-level charge (bonus) or allowance (malus) with the
  pre-invoice's description as its reason (BT-104 / BT-97).
* **VAT** per category and rate (BG-23): ``S`` at the policy's rate between parties of the same
  country, ``AE`` (reverse charge, 0 %, exemption code ``VATEX-EU-AE``) across borders, ``Z``
  when the policy's rate is 0. Under ``S`` the VAT of a group is the sum of the pre-invoice's
  per-line VAT (both sides agreed on those cents); EN 16931 (BR-CO-17) accepts it as long as it
  is within one unit of the group's rounded taxable × rate. Past that (a month of hundreds of
  lines whose half cents all round up), the group's VAT is the rounded taxable × rate and the
  invoice's note (BT-22) states the difference with the pre-invoice.
* **Reference**: the pre-invoice reference is the purchase order reference (BT-13), so each side
  traces the invoice back to the agreed statement (docs/EINVOICE.md says why BT-13).
* A **credit note** (381) carries the same content as the invoice it cancels and names it
  (BT-25, BT-26).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from analytics.billing import preinvoice
from analytics.billing.parties import Party

CENT = Decimal("0.01")
INVOICE, SELF_BILLED, CREDIT_NOTE = "380", "389", "381"
ISSUERS = ("station", "manufacturer")
COMPONENTS = ("labour", "travel", "parts")
REVERSE_CHARGE_CODE = "VATEX-EU-AE"
REVERSE_CHARGE_TEXT = "Reverse charge"
#: EU member states (ISO 3166-1 alpha-2, Greece as EL in VAT ids but GR as a country).
EU = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())


class InvoiceError(ValueError):
    """An invoice that cannot be made from what is known (names the missing or wrong piece)."""


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class InvoiceLine:
    line_id: str              # BT-126: <intervention_id>/<component>
    intervention_id: str
    component: str            # labour | travel | parts
    net: Decimal              # BT-131 (= BT-146 price, quantity 1)
    vat_category: str         # BT-151: S | AE | Z
    vat_rate: Decimal         # BT-152, percent
    name: str                 # BT-153


@dataclass(frozen=True)
class AllowanceCharge:
    is_charge: bool           # True: charge (BG-21), False: allowance (BG-20)
    amount: Decimal           # positive
    reason: str               # BT-104 / BT-97
    vat_category: str
    vat_rate: Decimal


@dataclass(frozen=True)
class VatGroup:
    category: str             # BT-118
    rate: Decimal             # BT-119, percent
    taxable: Decimal          # BT-116
    tax: Decimal              # BT-117
    exemption_code: str | None = None   # BT-121
    exemption_text: str | None = None   # BT-120


@dataclass(frozen=True)
class Totals:
    lines: Decimal            # BT-106
    allowances: Decimal       # BT-107
    charges: Decimal          # BT-108
    tax_exclusive: Decimal    # BT-109
    tax: Decimal              # BT-110
    tax_inclusive: Decimal    # BT-112
    payable: Decimal          # BT-115


@dataclass(frozen=True)
class Invoice:
    number: str               # BT-1
    type_code: str            # BT-3: 380, 389 (self-billing), 381 (credit note)
    issue_date: dt.date       # BT-2
    currency: str             # BT-5
    preinvoice_reference: str  # BT-13
    period_start: dt.date     # BT-73
    period_end: dt.date       # BT-74
    seller: Party             # BG-4: the station
    buyer: Party              # BG-7: the manufacturer's billing entity
    lines: tuple[InvoiceLine, ...]
    allowances_charges: tuple[AllowanceCharge, ...]
    vat: tuple[VatGroup, ...]
    totals: Totals
    note: str = ""            # BT-22
    preceding_number: str | None = None     # BT-25 (credit note)
    preceding_date: dt.date | None = None   # BT-26
    payment_terms: str = "Payment within 30 days of the issue date."  # BT-20

    @property
    def is_credit_note(self) -> bool:
        return self.type_code == CREDIT_NOTE

    @property
    def interventions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(ln.intervention_id for ln in self.lines))

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict (dates ISO, amounts as decimal strings) for the operational database."""
        def enc(v):
            if isinstance(v, (Decimal, dt.date)):
                return str(v)
            if isinstance(v, (tuple, list)):
                return [enc(x) for x in v]
            if dataclasses.is_dataclass(v):
                return {f.name: enc(getattr(v, f.name)) for f in dataclasses.fields(v)}
            return v
        return enc(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Invoice":
        def dec(d, klass):
            out = {}
            for f in dataclasses.fields(klass):
                v = d.get(f.name)
                t = str(f.type)
                if v is None:
                    out[f.name] = None
                elif "Decimal" in t:
                    out[f.name] = Decimal(v)
                elif "dt.date" in t:
                    out[f.name] = dt.date.fromisoformat(v)
                elif t == "Party":
                    out[f.name] = dec(v, Party)
                elif t == "Totals":
                    out[f.name] = dec(v, Totals)
                elif "InvoiceLine" in t:
                    out[f.name] = tuple(dec(x, InvoiceLine) for x in v)
                elif "AllowanceCharge" in t:
                    out[f.name] = tuple(dec(x, AllowanceCharge) for x in v)
                elif "VatGroup" in t:
                    out[f.name] = tuple(dec(x, VatGroup) for x in v)
                else:
                    out[f.name] = v
            return klass(**out)
        return dec(data, cls)


def percent(share: Decimal) -> Decimal:
    """A policy VAT rate (0.20) as the invoice's percent (20.00)."""
    return (Decimal(share) * 100).quantize(CENT, ROUND_HALF_UP)


def vat_category(seller: Party, buyer: Party, rate_share: Decimal) -> str:
    """``AE`` across EU borders (reverse charge), ``Z`` at a 0 rate, ``S`` otherwise."""
    if seller.country != buyer.country and seller.country in EU and buyer.country in EU:
        return "AE"
    return "Z" if Decimal(rate_share) == 0 else "S"


def _require_parties(seller: Party, buyer: Party, categories: set[str]) -> None:
    missing = []
    for role, party in (("seller (station)", seller), ("buyer (manufacturer's billing entity)", buyer)):
        if not (party.name or "").strip():
            missing.append(f"the {role}'s legal name (BR-06/BR-07)")
        if not (party.country or "").strip():
            missing.append(f"the {role}'s country (BR-09/BR-11)")
    if categories & {"S", "Z"} and not (seller.vat_id or seller.registration_id):
        missing.append("the seller's VAT identifier or tax registration (BR-S-02/BR-Z-02)")
    if "AE" in categories:
        if not seller.vat_id:
            missing.append("the seller's VAT identifier (BR-AE-02, reverse charge)")
        if not buyer.vat_id:
            missing.append("the buyer's VAT identifier (BR-AE-02, reverse charge)")
    if missing:
        raise InvoiceError("cannot make the invoice: missing " + "; ".join(missing)
                           + " — add the parties to the store (data contract, parties)")


def from_preinvoice(doc: preinvoice.PreInvoice, seller: Party, buyer: Party, *, number: str, issue_date: dt.date,
                    type_code: str = INVOICE, require_parties: bool = True) -> Invoice:
    """The invoice of the pre-invoice ``doc``.

    Net amounts, lines and (under ``S``) VAT are the pre-invoice's to the cent; raises
    :class:`InvoiceError` when the pre-invoice has nothing to invoice, mixes currencies, or a
    party lacks what EN 16931 requires (``require_parties=False``: the invoice one expects, for
    matching an incoming one, whatever the store knows of the parties).
    """
    from_first, to_last = preinvoice.month_bounds(doc.month)
    # the invoice carries the parties, not where the store read them from
    seller, buyer = dataclasses.replace(seller, source=None), dataclasses.replace(buyer, source=None)
    if not doc.totals:
        raise InvoiceError(f"{doc.reference}: nothing to invoice (no ready intervention, no adjustment)")
    if len(doc.totals) != 1:
        raise InvoiceError(f"{doc.reference}: the pre-invoice mixes currencies "
                           f"({', '.join(t.currency for t in doc.totals)}); one invoice holds one currency")
    currency = doc.totals[0].currency
    lines: list[InvoiceLine] = []
    groups: dict[tuple[str, Decimal], list[Decimal]] = {}   # (category, rate%) -> [taxable, tax]

    def add(category: str, rate_pct: Decimal, net: Decimal, tax: Decimal):
        g = groups.setdefault((category, rate_pct), [Decimal("0.00"), Decimal("0.00")])
        g[0] += net
        g[1] += tax if category == "S" else Decimal("0.00")

    for ln in doc.lines:
        category = vat_category(seller, buyer, ln.vat_rate)
        rate_pct = percent(ln.vat_rate) if category == "S" else Decimal("0.00")
        parts = [(c, a) for c, a in zip(COMPONENTS, (ln.labor, ln.travel, ln.parts)) if a != 0] or [("labour", ln.labor)]
        for component, amount in parts:
            lines.append(InvoiceLine(f"{ln.intervention_id}/{component}", ln.intervention_id, component, money(amount),
                                     category, rate_pct,
                                     f"{component.capitalize()} - intervention {ln.intervention_id} "
                                     f"({ln.repair_code}, {ln.completed_on.isoformat()})"))
        add(category, rate_pct, ln.net, ln.vat)

    adjustments = []
    for a in doc.adjustments:
        if a.amount is None or a.amount == 0:
            continue
        category = vat_category(seller, buyer, a.vat_rate)
        rate_pct = percent(a.vat_rate) if category == "S" else Decimal("0.00")
        adjustments.append(AllowanceCharge(a.amount > 0, abs(a.amount), a.description, category, rate_pct))
        add(category, rate_pct, a.amount, a.vat)

    if require_parties:
        _require_parties(seller, buyer, {c for c, _ in groups})
    vat, notes = [], []
    for (category, rate_pct), (taxable, tax) in sorted(groups.items()):
        on_group = money(taxable * rate_pct / 100)
        if category == "S" and abs(tax - on_group) >= 1:
            # the per-line cents drifted a whole unit from the group's VAT: EN 16931 (BR-CO-17) wins
            notes.append(f"VAT at {rate_pct} % is computed on the group ({on_group}), {on_group - tax} from the "
                         f"pre-invoice's sum of per-line VAT ({tax}) (EN 16931 BR-CO-17).")
            tax = on_group
        vat.append(VatGroup(category, rate_pct, taxable, tax,
                            REVERSE_CHARGE_CODE if category == "AE" else None,
                            REVERSE_CHARGE_TEXT if category == "AE" else None))
    line_total = sum((ln.net for ln in lines), Decimal("0.00"))
    allowances = sum((x.amount for x in adjustments if not x.is_charge), Decimal("0.00"))
    charges = sum((x.amount for x in adjustments if x.is_charge), Decimal("0.00"))
    exclusive = line_total - allowances + charges
    tax_total = sum((g.tax for g in vat), Decimal("0.00"))
    totals = Totals(line_total, allowances, charges, exclusive, tax_total, exclusive + tax_total, exclusive + tax_total)
    note = " ".join([f"Warranty repairs of {doc.month} for {doc.manufacturer_name}, as agreed on pre-invoice "
                     f"{doc.reference}.", *notes])
    return Invoice(number, type_code, issue_date, currency, doc.reference, from_first, to_last, seller, buyer,
                   tuple(lines), tuple(adjustments), tuple(vat), totals, note)


def credit_note_for(invoice: Invoice, *, number: str, issue_date: dt.date) -> Invoice:
    """The credit note (381) that cancels ``invoice`` in full, naming it (BT-25/BT-26)."""
    if invoice.is_credit_note:
        raise InvoiceError(f"{invoice.number} is a credit note; only an invoice is credited")
    return dataclasses.replace(invoice, number=number, type_code=CREDIT_NOTE, issue_date=issue_date,
                               preceding_number=invoice.number, preceding_date=invoice.issue_date,
                               note=f"Cancels invoice {invoice.number} of {invoice.issue_date.isoformat()} "
                                    f"(pre-invoice {invoice.preinvoice_reference}).",
                               payment_terms="Credited in full: deducted from the next payment.")



def amount_text(value: Decimal) -> str:
    return str(money(value))


def rate_text(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT))
