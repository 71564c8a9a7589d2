"""The data contract (``shared/spec/data-contract.md``) as data.

One declaration of every table, column, type and rule. The store's DDL, the
importer's checks, the exporter and the demo generator all read it, so the
contract is written down once in code.
"""
from __future__ import annotations

from dataclasses import dataclass, field

CONTRACT_VERSION = 1
MAX_TEXT_LENGTH = 1000


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "text" | "date" | "int" | "decimal"
    required: bool = False
    #: decimals allowed for a ``decimal`` column (money: 2, rates: 6)
    scale: int = 2
    #: allowed values for an enumerated ``text`` column
    choices: tuple[str, ...] = ()
    #: inclusive lower bound for numbers
    minimum: float | None = None
    #: exclusive upper bound for numbers
    below: float | None = None
    #: inclusive upper bound for numbers
    maximum: float | None = None
    #: the rule in words, as the contract states it (used in problem messages)
    rule: str = ""
    #: an identifier checked by :mod:`analytics.contract.identifiers` (``country``,
    #: ``vat_id``, ``iban``, ``bic``): format and check digits
    identifier: str = ""

    @property
    def sql_type(self) -> str:
        return {
            "text": "VARCHAR",
            "date": "DATE",
            "int": "BIGINT",
            "decimal": f"DECIMAL(18,{self.scale})",
        }[self.type]


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    target: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    references: tuple[ForeignKey, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _t(name, required=False, **kw):
    return Column(name, "text", required, **kw)


def _d(name, required=False, **kw):
    return Column(name, "date", required, **kw)


def _i(name, required=False, **kw):
    return Column(name, "int", required, **kw)


def _n(name, required=False, scale=2, **kw):
    return Column(name, "decimal", required, scale=scale, **kw)


COVERAGES = ("warranty", "extended", "goodwill")
OUTCOMES = ("repaired", "replaced", "no_fault_found", "not_repairable")
LINE_KINDS = ("labor", "travel", "parts", "fee")
OPENED_BY = ("manufacturer", "station")
DISPUTE_OUTCOMES = ("station", "manufacturer", "split", "withdrawn")

TABLES: tuple[Table, ...] = (
    Table(
        "manufacturers",
        "a brand that pays for repairs",
        (_t("manufacturer_id", True), _t("name", True)),
        ("manufacturer_id",),
    ),
    Table(
        "stations",
        "a repair station (service centre)",
        (
            _t("station_id", True),
            _t("name", True),
            _t("country", True, rule="an ISO 3166-1 alpha-2 country code such as FR or DE"),
            _t("region"),
            _t("city"),
        ),
        ("station_id",),
    ),
    Table(
        "interventions",
        "one repair intervention report",
        (
            _t("intervention_id", True),
            _t("manufacturer_id", True),
            _t("station_id", True),
            _t("product_category", True),
            _t("product_model"),
            _t("serial_number", True),
            _d("purchase_date"),
            _t("coverage", True, choices=COVERAGES),
            _t("repair_code", True),
            _d("requested_on", True),
            _d("completed_on", True, rule="on or after requested_on"),
            _d("submitted_on", True, rule="on or after completed_on"),
            _i("visits", True, minimum=1),
            _i("labor_minutes", True, minimum=0),
            _n("travel_km", scale=6, minimum=0),
            _n("parts_cost", minimum=0),
            _t("outcome", True, choices=OUTCOMES),
            _i("customer_rating", minimum=1, maximum=5),
        ),
        ("intervention_id",),
        (
            ForeignKey("manufacturer_id", "manufacturers", "manufacturer_id"),
            ForeignKey("station_id", "stations", "station_id"),
        ),
    ),
    Table(
        "documents",
        "one supporting document received for an intervention",
        (_t("intervention_id", True), _t("doc_type", True), _d("received_on", True)),
        ("intervention_id", "doc_type"),
        (ForeignKey("intervention_id", "interventions", "intervention_id"),),
    ),
    Table(
        "invoices",
        "one invoice from a station to a manufacturer",
        (
            _t("invoice_id", True),
            _t("manufacturer_id", True),
            _t("station_id", True),
            _d("issued_on", True),
            _t("currency", True, rule="an ISO 4217 currency code such as EUR or PLN"),
            _d("paid_on", rule="on or after issued_on"),
            _n("paid_amount", minimum=0),
        ),
        ("invoice_id",),
        (
            ForeignKey("manufacturer_id", "manufacturers", "manufacturer_id"),
            ForeignKey("station_id", "stations", "station_id"),
        ),
    ),
    Table(
        "invoice_lines",
        "one requested amount of an invoice, for one intervention",
        (
            _t("invoice_id", True),
            _i("line_no", True),
            _t("intervention_id", True, rule="same manufacturer and station as the invoice"),
            _t("kind", True, choices=LINE_KINDS),
            _n("amount", True, minimum=0),
            _n("vat_rate", True, scale=6, minimum=0, below=1),
        ),
        ("invoice_id", "line_no"),
        (
            ForeignKey("invoice_id", "invoices", "invoice_id"),
            ForeignKey("intervention_id", "interventions", "intervention_id"),
        ),
    ),
    Table(
        "disputes",
        "one contestation of an invoiced intervention",
        (
            _t("dispute_id", True),
            _t("invoice_id", True),
            _t("intervention_id", True, rule="must be on that invoice"),
            _d("opened_on", True, rule="on or after the invoice's issued_on"),
            _t("opened_by", True, choices=OPENED_BY),
            _t("reason", True, rule="a rule code or OTHER, written [A-Z][A-Z0-9_]*"),
            _n("disputed_amount", True, minimum=0),
            _d("resolved_on", rule="on or after opened_on"),
            _t("outcome", choices=DISPUTE_OUTCOMES, rule="required when resolved"),
            _n("settled_amount", minimum=0),
        ),
        ("dispute_id",),
        (
            ForeignKey("invoice_id", "invoices", "invoice_id"),
            ForeignKey("intervention_id", "interventions", "intervention_id"),
        ),
    ),
    Table(
        "fx_rates",
        "a monthly reference rate of a currency to the euro",
        (
            _t("currency", True, rule="an ISO 4217 currency code"),
            _t("month", True, rule="a month written YYYY-MM"),
            _n("eur_per_unit", True, scale=6, minimum=0, rule="greater than 0"),
        ),
        ("currency", "month"),
    ),
)

#: The legal identity of an invoice's party (EN 16931 seller and buyer): the same columns
#: for a station, a brand and a brand's billing entity in a country.
PARTY_COLUMNS: tuple[Column, ...] = (
    _t("legal_name", True, rule="the registered name of the legal entity"),
    _t("street"),
    _t("city"),
    _t("postcode"),
    _t("address_country", True, identifier="country", rule="an ISO 3166-1 alpha-2 country code"),
    _t("vat_id", identifier="vat_id", rule="a VAT identifier with its country prefix, check digits verified"),
    _t("registration_id"),
    _t("iban", identifier="iban", rule="an IBAN (ISO 13616), check digits verified"),
    _t("bic", identifier="bic", rule="a BIC (ISO 9362), 8 or 11 characters"),
)

#: The invoice parties (docs/CONTRACT-ADDITIONS.md): optional tables, so an import
#: without them is accepted and a feed of stations never erases the legal data.
PARTY_TABLES: tuple[Table, ...] = (
    Table(
        "station_legal",
        "the legal entity of a station (seller and payee of its invoices)",
        (_t("station_id", True),) + PARTY_COLUMNS,
        ("station_id",),
        (ForeignKey("station_id", "stations", "station_id"),),
    ),
    Table(
        "manufacturer_legal",
        "the head legal entity of a brand (buyer where it has no billing entity in the country)",
        (_t("manufacturer_id", True),) + PARTY_COLUMNS,
        ("manufacturer_id",),
        (ForeignKey("manufacturer_id", "manufacturers", "manufacturer_id"),),
    ),
    Table(
        "billing_entities",
        "the legal entity through which a brand is invoiced in a country",
        (_t("manufacturer_id", True),
         _t("country", True, identifier="country", rule="an ISO 3166-1 alpha-2 country code; the territory served"))
        + PARTY_COLUMNS,
        ("manufacturer_id", "country"),
        (ForeignKey("manufacturer_id", "manufacturers", "manufacturer_id"),),
    ),
)
TABLES = TABLES + PARTY_TABLES
#: The store's schema version that brought the party tables (migration 003_invoice_parties):
#: a store published before it has none until its next write.
PARTY_TABLES_SCHEMA = 3

TABLES_BY_NAME = {t.name: t for t in TABLES}
#: Import order: parents before children (referential checks read the staged parents).
TABLE_ORDER = tuple(t.name for t in TABLES)
