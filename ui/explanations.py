"""The engine's English texts about an intervention — a finding's explanation, where a required
document comes from, the policy levels applied — shown in the page's language.

The engine writes each finding's explanation once, in English, from a fixed sentence per rule
(``queries/engine/findings.sql``); the store, the CLI, the API and the downloads keep it as written.
On a French page each sentence is matched against its English pattern and rewritten in French,
with its dates as ``29/11/2026`` and its decimals with a comma (:func:`explanation`). A sentence that
matches no pattern (an engine newer than this list) is shown as written: data is never lost.
"""
from __future__ import annotations

import re

from ui.i18n import language, rule_label, status_label

_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DECIMAL = re.compile(r"(?<![\w.])(\d+)\.(\d+)(?![\w.])")

#: Coverage, line kinds and the parts of a policy label or a document requirement, in French.
_WORDS_FR = {"warranty": "garantie", "extended": "extension de garantie", "goodwill": "geste commercial",
             "labor": "main-d'œuvre", "labour": "main-d'œuvre", "parts": "pièces", "travel": "déplacement"}


def _word(text: str) -> str:
    return _WORDS_FR.get(text, text)


def french_figures(text: str) -> str:
    """``text`` with ISO dates as ``dd/mm/yyyy`` and decimal points as commas (ids keep theirs)."""
    text = _DATE.sub(r"\3/\2/\1", text)
    return _DECIMAL.sub(r"\1,\2", text)


def _policy(label: str) -> str:
    """``policy M02 2023-01-01, DK R1, station S0001`` → ``politique M02 01/01/2023, DK R1, station S0001``."""
    return re.sub(r"^policy\b", "politique", label)


def required_by(text: str) -> str:
    """Where a required document comes from (``all interventions``, ``coverage warranty``,
    ``category tv``), in the page's language."""
    if language() != "fr" or not isinstance(text, str):
        return text
    if text == "all interventions":
        return "toutes les interventions"
    if text.startswith("coverage "):
        return "couverture " + _word(text[len("coverage "):])
    if text.startswith("category "):
        return "catégorie " + text[len("category "):]
    return text


def levels_applied(text: str) -> str:
    """The levels of a policy applied (``base; country DE; region R1; station S0001``) in the page's language."""
    if language() != "fr" or not isinstance(text, str):
        return text
    names = {"country": "pays", "region": "région", "station": "station", "base": "base"}
    return "; ".join(" ".join([names.get(part.split(" ", 1)[0], part.split(" ", 1)[0]), *part.split(" ", 1)[1:]])
                     for part in text.split("; "))


def _duplicates(m: re.Match) -> str:
    parts = re.sub(r"(\w+) lines on (\d+) invoices \(([^)]*)\)",
                   lambda p: f"lignes {_word(p[1])} sur {p[2]} factures ({p[3]})", m["parts"])
    return f"Facturée plus d'une fois : {parts}."


def _vat(m: re.Match) -> str:
    evidence = re.sub(r"invoice (\S+) line (\d+) has VAT (\S+)", r"facture \1 ligne \2 : TVA \3", m["evidence"])
    return f"La TVA diffère de celle de la politique ({m['rate']}) : {evidence} ({_policy(m['policy'])})."


def _repeat(m: re.Match) -> str:
    where = f"dans l'intervention {m['first']}" if m["first"] else "dans une autre station,"
    return (f"Même appareil (série {m['serial']}) réparé {where} terminée le {m['done']} ; cette demande est arrivée "
            f"le {m['asked']}, {m['gap']} jours plus tard, dans la fenêtre de retour de {m['window']} jours "
            f"({_policy(m['policy'])}) : la main-d'œuvre n'est pas payée.")


#: (English pattern, French text or function of the match), one per sentence of findings.sql.
_SENTENCES: list[tuple[re.Pattern, object]] = [(re.compile(p + r"$", re.S), fr) for p, fr in [
    (r"No policy of manufacturer (?P<m>\S+) is in the store, so the intervention completed on (?P<d>\S+) cannot "
     r"be verified\.",
     lambda m: f"Aucune politique du fabricant {m['m']} dans la base : l'intervention terminée le {m['d']} ne peut "
               f"pas être vérifiée."),
    (r"No policy of manufacturer (?P<m>\S+) is in force on the completion day (?P<d>\S+): its first version starts "
     r"(?P<f>\S+)\.",
     lambda m: f"Aucune politique du fabricant {m['m']} n'est en vigueur le jour de fin d'intervention ({m['d']}) : "
               f"sa première version commence le {m['f']}."),
    (r"Document (?P<doc>\S+) is required \((?P<by>[^()]*)\) but has not been received \((?P<policy>.*)\)\.",
     lambda m: f"Le document {m['doc']} est exigé ({required_by(m['by'])}) mais n'a pas été reçu "
               f"({_policy(m['policy'])})."),
    (r"Coverage is (?P<c>\S+) but the purchase date is empty, so the (?P=c) period cannot be checked\.",
     lambda m: f"La couverture est « {_word(m['c'])} » mais la date d'achat est vide : la période de couverture ne "
               f"peut pas être contrôlée."),
    (r"Requested on (?P<r>\S+), after the end of the (?P<c>\S+) period: purchase (?P<p>\S+) \+ (?P<n>\d+) months = "
     r"(?P<e>\S+) \((?P<policy>.*)\)\.",
     lambda m: f"Demandée le {m['r']}, après la fin de la période de {_word(m['c'])} : achat le {m['p']} + {m['n']} "
               f"mois = {m['e']} ({_policy(m['policy'])})."),
    (r"Billed more than once: (?P<parts>.*)\.", _duplicates),
    (r"Same unit \(serial (?P<serial>.*?)\) was repaired (?:in intervention (?P<first>\S+)|at another station,) "
     r"completed (?P<done>\S+); this request came (?P<asked>\S+), (?P<gap>-?\d+) days later, within the repeat "
     r"window of (?P<window>\d+) days \((?P<policy>.*)\): labour is not paid\.", _repeat),
    (r"Submitted (?P<s>\S+), (?P<n>-?\d+) days after completion on (?P<c>\S+) > deadline of (?P<d>\d+) days "
     r"\((?P<policy>.*)\)\.",
     lambda m: f"Soumise le {m['s']}, {m['n']} jours après la fin d'intervention le {m['c']} > délai de {m['d']} jours "
               f"({_policy(m['policy'])})."),
    (r"Labour (?P<m>\S+) min > standard (?P<s>\S+) min \+ (?P<t>\S+) % tolerance = (?P<l>\S+) min for repair code "
     r"(?P<r>.*?) \((?P<policy>.*)\)\.",
     lambda m: f"Main-d'œuvre {m['m']} min > standard {m['s']} min + tolérance {m['t']} % = {m['l']} min pour le "
               f"code de réparation {m['r']} ({_policy(m['policy'])})."),
    (r"Travel (?P<k>\S+) km > cap of (?P<c>\S+) km \((?P<policy>.*)\); km beyond the cap are not paid\.",
     lambda m: f"Déplacement {m['k']} km > plafond de {m['c']} km ({_policy(m['policy'])}) ; les km au-delà du "
               f"plafond ne sont pas payés."),
    (r"Requested (?P<r>\S+) (?P<cur>\w*) ?vs calculated (?P<c>\S+) ?\w*: gap (?P<g>\S+) > tolerance (?P<t>\S+) % of "
     r"(?P<c2>\S+) \+ 0\.01 = (?P<l>\S+) \((?P<policy>.*)\)\.",
     lambda m: f"Demandé {m['r']} {m['cur']} contre calculé {m['c']} {m['cur']} : écart {m['g']} > tolérance "
               f"{m['t']} % de {m['c2']} + 0.01 = {m['l']} ({_policy(m['policy'])}).".replace("  ", " ")),
    (r"VAT differs from the policy's (?P<rate>\S+): (?P<evidence>.*) \((?P<policy>[^()]*)\)\.", _vat),
    (r"Labour (?P<m>\S+) min is above the 95th percentile \((?P<q>\S+) min\) of the (?P<n>\d+) interventions of "
     r"(?P<man>\S+) with repair code (?P<r>.*)\.",
     lambda m: f"Main-d'œuvre {m['m']} min au-dessus du 95e centile ({m['q']} min) des {m['n']} interventions de "
               f"{m['man']} avec le code de réparation {m['r']}."),
    (r"Parts cost (?P<c>\S+) is above the 95th percentile \((?P<q>\S+)\) of the (?P<n>\d+) interventions of "
     r"(?P<man>\S+) with repair code (?P<r>.*)\.",
     lambda m: f"Coût des pièces {m['c']} au-dessus du 95e centile ({m['q']}) des {m['n']} interventions de "
               f"{m['man']} avec le code de réparation {m['r']}."),
]]


def explanation_fr(text: str) -> str:
    """One finding's explanation in French (as written when it matches no known sentence)."""
    for pattern, french in _SENTENCES:
        m = pattern.match(text)
        if m:
            return french_figures(french(m))
    return text


def explanation(text):
    """A finding's explanation in the page's language; also a list of them, one per line, each as
    ``CODE: explanation`` (the verification queue's ``explanations``; in French the rule's label
    replaces its code). Missing values stay missing."""
    if language() != "fr" or not isinstance(text, str):
        return text
    lines = []
    for line in text.split("\n"):
        code, sep, rest = line.partition(": ")
        lines.append(f"{rule_label(code)} : {explanation_fr(rest)}" if sep and re.fullmatch(r"[A-Z_]+", code)
                     else explanation_fr(line))
    return "\n".join(lines)


def policy_label(text):
    """A policy's label (``policy M02 2023-01-01, DK``) in the page's language."""
    if language() != "fr" or not isinstance(text, str):
        return text
    return french_figures(_policy(text))


#: The words of an amount line's formula (``analytics.verification.queue``), in French, in order.
_FORMULA_FR = [
    (re.compile(r"^0\.00: this request is a repeat within the repeat window of (\d+) days \(REPEAT_REPAIR\), "
                r"labour is not paid$"),
     r"0.00 : cette demande est un retour dans la fenêtre de retour de \1 jours (REPEAT_REPAIR), la main-d'œuvre "
     r"n'est pas payée"),
    (re.compile(r"^no_fault_found_fee (.*) \(outcome no_fault_found\)$"),
     r"forfait sans panne constatée \1 (issue no_fault_found)"),
    (re.compile(r"^no travel \(travel_km = 0\)$"), r"pas de déplacement (travel_km = 0)"),
    (re.compile(r"\(standard time of ([^)]*)\)"), r"(temps standard de \1)"),
    (re.compile(r"\(labour minutes reported\)"), r"(minutes de main-d'œuvre déclarées)"),
    (re.compile(r"^flat fee "), r"forfait "),
    (re.compile(r"max\(0, min\(([^,]*), "), r"max(0 ; min(\1 ; "),
    (re.compile(r" free km\)"), r" km gratuits)"),
    (re.compile(r"^parts (\S+) × \(1 \+ (\S+) markup\)"), r"pièces \1 × (1 + majoration \2)"),
]


def formula(text):
    """How an amount line was computed (labour, travel, parts), in the page's language."""
    if language() != "fr" or not isinstance(text, str):
        return text
    for pattern, french in _FORMULA_FR:
        text = pattern.sub(french, text)
    return french_figures(text)


_LEFT_OUT = re.compile(r"^(?P<severity>\w+) (?P<code>[A-Z_]+)(?P<doc> \([^)]*\))?: (?P<explanation>.*)$", re.S)


def left_out_reason(text):
    """Why an intervention is left out of a pre-invoice (``analytics.billing.preinvoice``: ``blocked
    DOC_MISSING (photo): explanation``, ``status review``…) in the page's language: in French the
    severity and the rule by their labels and the explanation in French."""
    if language() != "fr" or not isinstance(text, str):
        return text
    m = _LEFT_OUT.match(text)
    if m:
        return f"{status_label(m['severity'])} — {rule_label(m['code'])}{m['doc'] or ''} : {explanation_fr(m['explanation'])}"
    if text.startswith("status "):
        return "statut " + status_label(text[len("status "):])
    return {"no calculated amount (no policy)": "pas de montant calculé (aucune politique)"}.get(text, text)
