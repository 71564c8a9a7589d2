"""The catalog: every metric and every verification rule, defined once.

Names and definitions follow ``shared/spec/metrics.md`` and ``verification.md``.
The command line, the tooltips and the Definitions page all read this module, so
a figure's definition shown beside it is the one its SQL implements.
French texts live in :data:`FR` (keyed like the English ones); the app picks the
language, this module only holds the words.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    definition: str
    better: str | None      # "higher" | "lower" | None (no direction)
    kind: str               # "count" | "rate" | "days" | "amount" | "rating"
    family: str             # "intervention" | "invoice"
    #: How the figure is computed, in the contract's field names (French: FR "metric.<name>.formula").
    formula: str = ""
    #: The named queries (``queries/<name>.sql``) that compute it, from the one that returns the
    #: figure (``metrics/metric_table``) down to the engine models it reads.
    sql: tuple[str, ...] = ()

    @property
    def value_column(self) -> str:
        """The column of a metric table holding this metric: amounts are compared in euros across
        currencies, so an amount metric's column is ``<name>_eur``."""
        return f"{self.name}_eur" if self.kind == "amount" else self.name


#: The chains of named queries behind the metrics: metric_table reads the engine's rollups, which
#: are sums over the facts (one row per intervention, dispute or invoice).
_CELLS = ("metrics/metric_table", "engine/rollup_intervention_cells", "engine/facts_interventions")
_DAYS = ("metrics/metric_table", "engine/rollup_day_hist")
_INVOICES = ("metrics/metric_table", "engine/rollup_invoice_cells", "engine/facts_invoices")


METRICS: tuple[Metric, ...] = (
    Metric("interventions", "Interventions", "Number of interventions in the selection.", None, "count", "intervention",
           formula="number of interventions completed in the period",
           sql=_CELLS),
    Metric("tat_days_median", "Turnaround (median days)",
           "Median of completed_on − requested_on, in days.", "lower", "days", "intervention",
           formula="median(completed_on − requested_on), in days",
           sql=_DAYS + ("engine/facts_interventions",)),
    Metric("first_time_fix_rate", "First-time fix rate",
           "Share of interventions with a single visit (visits = 1).", "higher", "rate", "intervention",
           formula="interventions with visits = 1 ÷ interventions",
           sql=_CELLS),
    Metric("repeat_rate", "Repeat rate",
           "Share of interventions whose unit came back (same manufacturer and serial number) within 90 days "
           "of completion, whoever did the second repair: it counts against the first station.",
           "lower", "rate", "intervention",
           formula="interventions whose unit came back within 90 days ÷ interventions",
           sql=_CELLS + ("engine/comebacks",)),
    Metric("doc_complete_rate", "Document completeness",
           "Share of interventions (with a policy in force) that had every required document received on or "
           "before submitted_on.", "higher", "rate", "intervention",
           formula="interventions with every required document received_on ≤ submitted_on "
                   "÷ interventions with a policy in force",
           sql=_CELLS + ("engine/required_documents",)),
    Metric("on_time_submission_rate", "On-time submission",
           "Share of interventions (with a policy in force) submitted within the policy's submission deadline "
           "(submitted_on − completed_on ≤ submission_deadline_days).", "higher", "rate", "intervention",
           formula="interventions with submitted_on − completed_on ≤ submission_deadline_days "
                   "÷ interventions with a policy in force",
           sql=_CELLS + ("engine/policy_in_force",)),
    Metric("ready_rate", "Ready to invoice",
           "Share of interventions whose verification status is ready (no finding, or information only).",
           "higher", "rate", "intervention",
           formula="interventions with status ready ÷ interventions",
           sql=_CELLS + ("engine/status",)),
    Metric("requested_amount", "Requested amount",
           "Sum of the invoice line amounts (net of VAT) of the interventions.", None, "amount", "intervention",
           formula="Σ invoice line amount × eur_per_unit of the completed_on month",
           sql=_CELLS),
    Metric("calculated_amount", "Calculated amount",
           "Sum of the amounts the policy in force gives for the invoiced interventions (labour + travel + parts).",
           None, "amount", "intervention",
           formula="Σ over invoiced interventions with a policy of (labour + travel + parts) "
                   "× eur_per_unit of the completed_on month",
           sql=_CELLS + ("engine/amounts",)),
    Metric("cost_per_intervention", "Cost per intervention",
           "Requested amount divided by the number of invoiced interventions.", "lower", "amount", "intervention",
           formula="requested amount ÷ invoiced interventions",
           sql=_CELLS),
    Metric("dispute_rate", "Dispute rate",
           "Share of invoiced interventions with at least one dispute.", "lower", "rate", "intervention",
           formula="invoiced interventions with at least one dispute ÷ invoiced interventions",
           sql=_CELLS),
    Metric("disputed_amount", "Disputed amount",
           "Sum of the disputed amounts of the disputes on the interventions.", "lower", "amount", "intervention",
           formula="Σ disputed_amount × eur_per_unit of the completed_on month",
           sql=_CELLS),
    Metric("dispute_resolution_days_median", "Dispute resolution (median days)",
           "Median of resolved_on − opened_on over resolved disputes (withdrawn ones included).",
           "lower", "days", "intervention",
           formula="median(resolved_on − opened_on) over resolved disputes, in days",
           sql=_DAYS + ("engine/facts_disputes",)),
    Metric("station_upheld_rate", "Station upheld",
           "Share of resolved, not withdrawn, disputes whose outcome is 'station'.", None, "rate", "intervention",
           formula="disputes resolved with outcome station ÷ disputes resolved and not withdrawn",
           sql=_CELLS),
    Metric("customer_rating_avg", "Customer rating",
           "Mean customer rating (1–5) over the interventions that have one.", "higher", "rating", "intervention",
           formula="Σ customer_rating ÷ interventions with a customer_rating",
           sql=_CELLS),
    Metric("days_to_pay_median", "Days to pay (median)",
           "Median of paid_on − issued_on over paid invoices.", "lower", "days", "invoice",
           formula="median(paid_on − issued_on) over paid invoices, in days",
           sql=_DAYS + ("engine/facts_invoices",)),
    Metric("unpaid_share", "Unpaid share",
           "Share of invoices with no payment date.", "lower", "rate", "invoice",
           formula="invoices without paid_on ÷ invoices issued in the period",
           sql=_INVOICES),
)

METRICS_BY_NAME = {m.name: m for m in METRICS}
#: Column of a metric table -> its metric: ``<name>`` and, for an amount, ``<name>_eur`` (euros).
_METRIC_OF_COLUMN = {**{m.name: m for m in METRICS}, **{m.value_column: m for m in METRICS}}


def metric_of_column(column) -> Metric | None:
    """The metric a metric-table column holds (the inverse of :attr:`Metric.value_column`):
    ``requested_amount_eur`` and ``requested_amount`` -> requested_amount; None for another column."""
    return _METRIC_OF_COLUMN.get(str(column))


def in_euros(column) -> bool:
    """Whether ``column`` is an amount metric's column in euros (``<name>_eur``)."""
    metric = metric_of_column(column)
    return metric is not None and metric.kind == "amount" and str(column) == metric.value_column

#: Metrics with a money amount: they exist as ``<name>_eur`` and, for one currency, as ``<name>``.
AMOUNT_METRICS = tuple(m.name for m in METRICS if m.kind == "amount")
#: Metrics that may take part in a score (those with a "better" direction).
SCORABLE_METRICS = tuple(m.name for m in METRICS if m.better)

SCORE_DEFINITION = (
    "Score (0–100) of a station for a manufacturer and a period, among the stations with at least 20 "
    "interventions of that manufacturer in the period: the weighted mean, with the policy's score_weights, of "
    "the station's percentile rank on each weighted metric, 100 × (worse + equal/2) / (N − 1)."
)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str       # "blocked" | "review" | "info"
    label: str
    definition: str
    needs_policy: bool


RULES: tuple[Rule, ...] = (
    Rule("NO_POLICY", "blocked", "No policy in force",
         "No policy version of the manufacturer is in force on the completion day.", False),
    Rule("DOC_MISSING", "blocked", "Document missing",
         "A required document type (policy: required_documents, by coverage, by category) has not been received.",
         True),
    Rule("PURCHASE_DATE_MISSING", "blocked", "Purchase date missing",
         "Coverage is warranty or extended and the purchase date is empty.", False),
    Rule("OUT_OF_WARRANTY", "blocked", "Out of warranty",
         "The request came after purchase date + warranty_months (warranty) or + extended_months (extended), "
         "in calendar months.", True),
    Rule("DUPLICATE_CLAIM", "blocked", "Duplicate claim",
         "The intervention has lines of the same kind on two or more different invoices.", False),
    Rule("REPEAT_REPAIR", "review", "Repeat repair",
         "The unit had an earlier repair completed at most repeat_window_days before this request: "
         "labour is not paid.", True),
    Rule("LATE_SUBMISSION", "review", "Late submission",
         "The report was submitted more than submission_deadline_days after completion.", True),
    Rule("LABOR_OVER_STANDARD", "review", "Labour over standard",
         "Labour minutes exceed the standard time of the repair code plus the labour tolerance.", True),
    Rule("TRAVEL_OVER_CAP", "review", "Travel over cap",
         "Travel distance exceeds the policy's max_travel_km.", True),
    Rule("AMOUNT_MISMATCH", "review", "Amount mismatch",
         "The requested amount differs from the calculated amount by more than amount_tolerance × calculated "
         "+ 0.01.", True),
    Rule("VAT_MISMATCH", "review", "VAT mismatch",
         "An invoice line carries a VAT rate other than the policy's vat_rate.", True),
    Rule("LABOR_OUTLIER", "info", "Labour outlier",
         "Labour minutes above the 95th percentile of the manufacturer's interventions with the same repair "
         "code (at least 20 of them).", False),
    Rule("PARTS_OUTLIER", "info", "Parts outlier",
         "Parts cost above the 95th percentile of the manufacturer's interventions with the same repair code "
         "(at least 20 of them).", False),
)

RULES_BY_CODE = {r.code: r for r in RULES}
STATUSES = ("blocked", "review", "ready")
SEVERITY_ORDER = {"blocked": 0, "review": 1, "info": 2}

STATUS_DEFINITIONS = {
    "blocked": "At least one blocking finding: cannot be invoiced until fixed.",
    "review": "At least one finding to review and none blocking: can be invoiced, a person should look first.",
    "ready": "No finding, or information only: ready to invoice.",
}

#: French texts, keyed "metric.<name>.label", "metric.<name>.definition", "rule.<code>.label", ...
#: Filled by the dashboard's translation work; a missing key falls back to English.
FR: dict[str, str] = {
    "metric.interventions.label": "Interventions",
    "metric.tat_days_median.label": "Délai de réparation (jours, médiane)",
    "metric.first_time_fix_rate.label": "Réparé à la première visite",
    "metric.repeat_rate.label": "Taux de retour",
    "metric.doc_complete_rate.label": "Dossiers complets",
    "metric.on_time_submission_rate.label": "Envoi dans les délais",
    "metric.ready_rate.label": "Prêt à facturer",
    "metric.requested_amount.label": "Montant demandé",
    "metric.calculated_amount.label": "Montant calculé",
    "metric.cost_per_intervention.label": "Coût par intervention",
    "metric.dispute_rate.label": "Taux de litige",
    "metric.disputed_amount.label": "Montant contesté",
    "metric.dispute_resolution_days_median.label": "Résolution des litiges (jours, médiane)",
    "metric.station_upheld_rate.label": "Litiges gagnés par la station",
    "metric.customer_rating_avg.label": "Note client",
    "metric.days_to_pay_median.label": "Délai de paiement (jours, médiane)",
    "metric.unpaid_share.label": "Part impayée",
    "metric.interventions.definition": "Nombre d'interventions de la sélection.",
    "metric.tat_days_median.definition": "Médiane de completed_on − requested_on, en jours.",
    "metric.first_time_fix_rate.definition": "Part des interventions en une seule visite (visits = 1).",
    "metric.repeat_rate.definition": "Part des interventions dont l'appareil (même fabricant, même numéro de série) "
                                     "est revenu dans les 90 jours suivant la fin, quelle que soit la station "
                                     "qui a fait la seconde réparation : elle compte contre la première.",
    "metric.doc_complete_rate.definition": "Part des interventions (avec une politique en vigueur) dont tous les "
                                           "documents exigés ont été reçus au plus tard à submitted_on.",
    "metric.on_time_submission_rate.definition": "Part des interventions (avec une politique en vigueur) envoyées "
                                                 "dans le délai de la politique (submitted_on − completed_on ≤ "
                                                 "submission_deadline_days).",
    "metric.ready_rate.definition": "Part des interventions au statut « prêt » (aucun constat, ou information seule).",
    "metric.requested_amount.definition": "Somme des lignes de facture (hors TVA) des interventions.",
    "metric.calculated_amount.definition": "Somme des montants que donne la politique en vigueur pour les "
                                           "interventions facturées (main-d'œuvre + déplacement + pièces).",
    "metric.cost_per_intervention.definition": "Montant demandé divisé par le nombre d'interventions facturées.",
    "metric.dispute_rate.definition": "Part des interventions facturées avec au moins un litige.",
    "metric.disputed_amount.definition": "Somme des montants contestés des litiges des interventions.",
    "metric.dispute_resolution_days_median.definition": "Médiane de resolved_on − opened_on sur les litiges résolus "
                                                        "(retirés compris).",
    "metric.station_upheld_rate.definition": "Part des litiges résolus, non retirés, tranchés en faveur de la station.",
    "metric.customer_rating_avg.definition": "Note client moyenne (1 à 5) des interventions qui en ont une.",
    "metric.days_to_pay_median.definition": "Médiane de paid_on − issued_on sur les factures payées.",
    "metric.unpaid_share.definition": "Part des factures sans date de paiement.",
    "metric.interventions.formula": "nombre d'interventions terminées sur la période",
    "metric.tat_days_median.formula": "médiane(completed_on − requested_on), en jours",
    "metric.first_time_fix_rate.formula": "interventions avec visits = 1 ÷ interventions",
    "metric.repeat_rate.formula": "interventions dont l'appareil est revenu dans les 90 jours ÷ interventions",
    "metric.doc_complete_rate.formula": "interventions dont chaque document exigé a received_on ≤ submitted_on ÷ "
                                        "interventions avec une politique en vigueur",
    "metric.on_time_submission_rate.formula": "interventions avec submitted_on − completed_on ≤ "
                                              "submission_deadline_days ÷ interventions avec une politique en vigueur",
    "metric.ready_rate.formula": "interventions au statut prêt ÷ interventions",
    "metric.requested_amount.formula": "Σ montant des lignes de facture × eur_per_unit du mois de completed_on",
    "metric.calculated_amount.formula": "Σ sur les interventions facturées avec une politique de (main-d'œuvre + "
                                        "déplacement + pièces) × eur_per_unit du mois de completed_on",
    "metric.cost_per_intervention.formula": "montant demandé ÷ interventions facturées",
    "metric.dispute_rate.formula": "interventions facturées avec au moins un litige ÷ interventions facturées",
    "metric.disputed_amount.formula": "Σ disputed_amount × eur_per_unit du mois de completed_on",
    "metric.dispute_resolution_days_median.formula": "médiane(resolved_on − opened_on) sur les litiges résolus, en "
                                                     "jours",
    "metric.station_upheld_rate.formula": "litiges résolus avec l'issue station ÷ litiges résolus et non retirés",
    "metric.customer_rating_avg.formula": "Σ customer_rating ÷ interventions ayant un customer_rating",
    "metric.days_to_pay_median.formula": "médiane(paid_on − issued_on) sur les factures payées, en jours",
    "metric.unpaid_share.formula": "factures sans paid_on ÷ factures émises sur la période",
    "rule.NO_POLICY.label": "Aucune politique en vigueur",
    "rule.DOC_MISSING.label": "Document manquant",
    "rule.PURCHASE_DATE_MISSING.label": "Date d'achat manquante",
    "rule.OUT_OF_WARRANTY.label": "Hors garantie",
    "rule.DUPLICATE_CLAIM.label": "Demande en double",
    "rule.REPEAT_REPAIR.label": "Réparation répétée",
    "rule.LATE_SUBMISSION.label": "Envoi tardif",
    "rule.LABOR_OVER_STANDARD.label": "Main-d'œuvre au-delà du standard",
    "rule.TRAVEL_OVER_CAP.label": "Déplacement au-delà du plafond",
    "rule.AMOUNT_MISMATCH.label": "Écart de montant",
    "rule.VAT_MISMATCH.label": "Écart de TVA",
    "rule.LABOR_OUTLIER.label": "Main-d'œuvre atypique",
    "rule.PARTS_OUTLIER.label": "Pièces atypiques",
    "status.blocked.label": "Bloqué",
    "status.review.label": "À vérifier",
    "status.ready.label": "Prêt",
    "status.blocked.definition": "Au moins un constat bloquant : ne peut pas être facturé avant correction.",
    "status.review.definition": "Au moins un constat à vérifier et aucun bloquant : facturable, à relire d'abord.",
    "status.ready.definition": "Aucun constat, ou information seule : prêt à facturer.",
    "score.definition": "Score (0–100) d'une station pour un fabricant et une période, parmi les stations ayant au "
                        "moins 20 interventions de ce fabricant sur la période : moyenne pondérée, avec les "
                        "score_weights de la politique, du rang centile de la station sur chaque indicateur "
                        "pondéré, 100 × (moins bons + égaux/2) / (N − 1).",
    "rule.NO_POLICY.definition": "Aucune version de politique du fabricant n'est en vigueur le jour de la fin.",
    "rule.DOC_MISSING.definition": "Un type de document exigé (politique : required_documents, par couverture, par "
                                   "catégorie) n'a pas été reçu.",
    "rule.PURCHASE_DATE_MISSING.definition": "La couverture est garantie ou extension et la date d'achat est vide.",
    "rule.OUT_OF_WARRANTY.definition": "La demande est arrivée après date d'achat + warranty_months (garantie) ou "
                                       "+ extended_months (extension), en mois calendaires.",
    "rule.DUPLICATE_CLAIM.definition": "L'intervention a des lignes de même nature sur deux factures différentes "
                                       "ou plus.",
    "rule.REPEAT_REPAIR.definition": "L'appareil a eu une réparation terminée au plus repeat_window_days avant "
                                     "cette demande : la main-d'œuvre n'est pas payée.",
    "rule.LATE_SUBMISSION.definition": "Le rapport a été envoyé plus de submission_deadline_days après la fin.",
    "rule.LABOR_OVER_STANDARD.definition": "Les minutes de main-d'œuvre dépassent le temps standard du code de "
                                           "réparation plus la tolérance.",
    "rule.TRAVEL_OVER_CAP.definition": "La distance de déplacement dépasse le max_travel_km de la politique.",
    "rule.AMOUNT_MISMATCH.definition": "Le montant demandé s'écarte du montant calculé de plus de "
                                       "amount_tolerance × calculé + 0,01.",
    "rule.VAT_MISMATCH.definition": "Une ligne de facture porte un taux de TVA autre que le vat_rate de la politique.",
    "rule.LABOR_OUTLIER.definition": "Minutes de main-d'œuvre au-dessus du 95e centile des interventions du "
                                     "fabricant de même code de réparation (au moins 20).",
    "rule.PARTS_OUTLIER.definition": "Coût des pièces au-dessus du 95e centile des interventions du fabricant de "
                                     "même code de réparation (au moins 20).",
}
