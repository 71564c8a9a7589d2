"""Language (EN/FR) of every page, and numbers formatted for it (``€1,234.56`` in English,
``1 234,56 €`` in French).

* :func:`language_switch` — the sidebar's EN/FR choice, kept in the URL (``?lang=fr``), drawn once
  per run whoever asks (``app.py``, the login page, ``ui.pagekit.current_viewer``);
* :func:`t` — a page label in the current language (English is the key; a missing French text
  falls back to English); :data:`FR` holds the French texts, grouped by page;
* :func:`metric_label` / :func:`metric_definition` / :func:`metric_formula` / :func:`rule_label` / :func:`status_definition`
  — the catalog's words (``analytics.catalog.FR`` for French); :func:`status_label` /
  :func:`outcome_label` — status and dispute outcome words (data: raw in downloads);
* :func:`fmt_value`, :func:`fmt_number`, :func:`fmt_amount`, :func:`fmt_percent`, :func:`fmt_date`
  — numbers, amounts, shares and prose dates; "—" for no value (never 0);
* :func:`header_config` / :func:`column_config` — table headers in the page's language (display
  only); :func:`labels_of` — a widget's ``format_func``; :func:`plot_separators` — charts' numbers.
"""
from __future__ import annotations

import contextlib
import math
import re
from contextvars import ContextVar

import pandas as pd
import streamlit as st

from analytics.catalog import FR as CATALOG_FR
from analytics.catalog import (METRICS_BY_NAME, RULES_BY_CODE, SCORE_DEFINITION, STATUS_DEFINITIONS, in_euros,
                               metric_of_column)
from analytics.conversation.threads import WAIVER_NOTE

LANG_KEY = "clairvoie_lang"
_RADIO_KEY = "i18n_lang_radio"
LANGUAGES = {"en": "English", "fr": "Français"}
NO_VALUE = "—"

#: French page labels, keyed by the English text, grouped by page (a comment heads each group; the
#: first group is the shell and the Overview, Stations, Scorecard and Definitions pages). Texts
#: with ``{name}`` fields are formatted after translation. Words of the catalog (metrics, rules)
#: are in ``analytics.catalog.FR``; table headers in :data:`COLUMN_FR`.
FR: dict[str, str] = {
    "Overview": "Vue d'ensemble",
    "Stations": "Stations",
    "Scorecard": "Fiche station",
    "Definitions": "Définitions",
    "Language": "Langue",
    "Headline figures": "Chiffres clés",
    "Monthly trends": "Tendances mensuelles",
    "Pipeline": "Parcours",
    "Metric": "Indicateur",
    "Interventions reaching each stage": "Interventions à chaque étape",
    "Change vs the previous period of the same length.": "Évolution par rapport à la période précédente de même durée.",
    "Choose a period (From and To) to compare with the previous one.":
        "Choisissez une période (début et fin) pour la comparer à la précédente.",
    "League table": "Classement",
    "Search a station (id, name, country)": "Chercher une station (code, nom, pays)",
    "Manufacturer": "Fabricant",
    "Station": "Station",
    "First-time fix vs repeat rate": "Réparé à la première visite / taux de retour",
    "Select a row or a point to open its scorecard.": "Sélectionnez une ligne ou un point pour ouvrir sa fiche.",
    "Open the scorecard": "Ouvrir la fiche",
    "Score": "Score",
    "Rank": "Rang",
    "Bonus/malus tier": "Palier bonus/malus",
    "Why this score": "Pourquoi ce score",
    "Compared with comparable stations": "Comparaison avec les stations comparables",
    "Trend": "Tendance",
    "Amounts": "Montants",
    "What to fix now": "À corriger maintenant",
    "Open findings": "Constats ouverts",
    "Open disputes": "Litiges ouverts",
    "Which improvement would raise the score most": "Quelle amélioration ferait le plus monter le score",
    "Not enough data for a score (fewer than 20 interventions).":
        "Pas assez de données pour un score (moins de 20 interventions).",
    "Withheld: fewer than 5 comparable stations.": "Masqué : moins de 5 stations comparables.",
    "No station in your selection.": "Aucune station dans votre sélection.",
    "Nothing open.": "Rien en cours.",
    "Metrics": "Indicateurs",
    "Verification rules": "Règles de vérification",
    "Paid": "Payé",
    "No value": "Pas de valeur",
    "Reported": "Signalées",
    "Ready": "Prêtes",
    "Invoiced": "Facturées",
    "Disputed": "Contestées",
    "Dispute resolved": "Litige résolu",
    "The league table is for network managers and manufacturers: see your own scorecard.":
        "Le classement est réservé aux gestionnaires de réseau et aux fabricants : consultez votre propre fiche.",
    "The station or brand of the link is outside your view or your filters: it was ignored.":
        "La station ou la marque du lien est hors de votre périmètre ou de vos filtres : elle a été ignorée.",
    "Rank by score among the scored stations of this brand in the period (1 = best).":
        "Rang par score parmi les stations notées de cette marque sur la période (1 = la meilleure).",
    "The tier of the policy's bonus_tiers the month's score falls in, and its labour adjustment.":
        "Le palier des bonus_tiers de la politique où tombe le score du mois, et son ajustement de main-d'œuvre.",
    "No monthly score: the station has fewer than 20 interventions of this brand in every month.":
        "Pas de score mensuel : la station a moins de 20 interventions de cette marque chaque mois.",
    "Sum of the paid amounts of the invoices issued in the period.":
        "Somme des montants payés des factures émises sur la période.",
    "Same brand ({brand}), same country ({country}): median and quartiles of the stations with a value; "
    "withheld below 5 stations.":
        "Même marque ({brand}), même pays ({country}) : médiane et quartiles des stations ayant une valeur ; "
        "masqués en dessous de 5 stations.",
    "{metric} at the network median ({median}): +{gain} points":
        "{metric} à la médiane du réseau ({median}) : +{gain} points",
    # definitions: the catalog's kinds and directions, how each figure is computed
    "How each figure is computed": "Comment chaque chiffre est calculé",
    "The definition, the formula, and the SQL that computes the figure, as it runs.":
        "La définition, la formule, et le SQL qui calcule le chiffre, tel qu'il s'exécute.",
    "Formula": "Formule",
    "The SQL that computes it": "Le SQL qui le calcule",
    "higher": "plus haut", "lower": "plus bas",
    "rate": "taux", "days": "jours", "amount": "montant", "count": "nombre", "rating": "note",

    # ------------------------------------------------ app shell (app.py) and navigation
    "Performance": "Performance",
    "Invoices": "Factures",
    "Network": "Réseau",
    "Data": "Données",
    "Verification": "Vérification",
    "Pre-invoices": "Pré-factures",
    "Disputes": "Litiges",
    "Territories": "Territoires",
    "Policies": "Politiques",
    "Import": "Importer",
    "Starting…": "Démarrage…",
    "Building…": "Construction…",
    "Done": "Terminé",
    "First start: building the demo store ({count} interventions). This takes a few minutes, once.":
        "Premier démarrage : construction de la base de démonstration ({count} interventions). "
        "Cela prend quelques minutes, une seule fois.",
    "Updating the store's figures to this version of Clairvoie…":
        "Mise à jour des chiffres de la base pour cette version de Clairvoie…",
    "No store at {path} and the demo generator is not available ({error}). "
    "Import data with `python -m analytics import …` first.":
        "Aucune base à {path} et le générateur de démonstration n'est pas disponible ({error}). "
        "Importez d'abord des données avec `python -m analytics import …`.",

    # ------------------------------------------------ login (ui/auth.py)
    "Log in": "Connexion",
    "Log out": "Se déconnecter",
    "Username": "Identifiant",
    "Password": "Mot de passe",
    "Log in with your company account": "Se connecter avec le compte de l'entreprise",
    "Log out of the company account": "Se déconnecter du compte de l'entreprise",
    "The company login is not available: {error}": "La connexion d'entreprise n'est pas disponible : {error}",
    "Login failed: the username or the password is not right.":
        "Échec de la connexion : l'identifiant ou le mot de passe est incorrect.",
    "Too many failed logins: please wait about {minutes} minute(s) before trying again.":
        "Trop d'échecs de connexion : patientez environ {minutes} minute(s) avant de réessayer.",
    "Your session ended after a long time without activity. Please log in again.":
        "Votre session a pris fin après une longue inactivité. Veuillez vous reconnecter.",
    "Your session has expired. Please log in again.": "Votre session a expiré. Veuillez vous reconnecter.",
    "Your account was changed or removed. Please log in again.":
        "Votre compte a été modifié ou supprimé. Veuillez vous reconnecter.",
    "You were logged out. Please log in again.": "Vous avez été déconnecté. Veuillez vous reconnecter.",
    "Your company account's e-mail is not verified.": "L'adresse e-mail de votre compte d'entreprise n'est pas vérifiée.",
    "No Clairvoie user has the e-mail of your company account. "
    "Ask a network manager to add it (python -m analytics users add … --email …).":
        "Aucun utilisateur Clairvoie n'a l'adresse e-mail de votre compte d'entreprise. "
        "Demandez à un gestionnaire de réseau de l'ajouter (python -m analytics users add … --email …).",
    "network manager": "gestionnaire de réseau",
    "manufacturer": "fabricant",
    "station": "station",

    # ------------------------------------------------ filters and downloads (ui/pagekit.py)
    "Filters": "Filtres",
    "From": "Du",
    "To": "Au",
    "Country": "Pays",
    "Region": "Région",
    "Product category": "Catégorie de produit",
    "Some filter values of the link are outside your view: they were ignored.":
        "Certaines valeurs de filtre du lien sont hors de votre périmètre : elles ont été ignorées.",
    "The period starts after it ends: the period filter is ignored.":
        "La période commence après sa fin : le filtre de période est ignoré.",
    "The table as CSV (UTF-8), values as stored": "Le tableau en CSV (UTF-8), valeurs telles qu'enregistrées",
    "The table as CSV (UTF-8), safe to open in a spreadsheet":
        "Le tableau en CSV (UTF-8), sans risque à ouvrir dans un tableur",
    "The table as an Excel workbook, values as stored": "Le tableau en classeur Excel, valeurs telles qu'enregistrées",

    # ------------------------------------------------ disputes (pages/disputes.py)
    "Preventable by verification": "Évitables par la vérification",
    "Share of disputes whose intervention carries a finding with the same code as the dispute's reason: "
    "verification before invoicing would have flagged it.":
        "Part des litiges dont l'intervention porte un constat de même code que le motif du litige : "
        "la vérification avant facturation l'aurait signalé.",
    "Reasons (Pareto)": "Motifs (Pareto)",
    "No dispute in this selection.": "Aucun litige dans cette sélection.",
    "Cumulative %": "% cumulé",
    "Other reason": "Autre motif",
    "Breakdown": "Répartition",
    "By": "Par",
    "Month": "Mois",
    "d": "j",
    "Resolution times and outcomes": "Délais de résolution et issues",
    "Days from opening to resolution": "Jours entre l'ouverture et la résolution",
    "Resolved disputes": "Litiges résolus",
    "Outcome": "Issue",
    "Outcome “station”: the station's claim stands; “manufacturer”: the claim is cut; “open”: not resolved yet.":
        "Issue « station » : la demande de la station est maintenue ; « fabricant » : la demande est réduite ; "
        "« en cours » : pas encore résolu.",
    "Select a dispute in the list to see it and the findings that predicted it.":
        "Sélectionnez un litige dans la liste pour le voir, avec les constats qui l'annonçaient.",
    "Dispute {dispute} on intervention {intervention} (invoice {invoice})":
        "Litige {dispute} sur l'intervention {intervention} (facture {invoice})",
    "open": "en cours",
    "resolved {day} — outcome {outcome}": "résolu le {day} — issue : {outcome}",
    "Reason {reason} · opened {day} · {resolution} · disputed {amount}":
        "Motif {reason} · ouvert le {day} · {resolution} · montant contesté {amount}",
    "No finding on this intervention: verification would not have flagged it.":
        "Aucun constat sur cette intervention : la vérification ne l'aurait pas signalée.",
    "Verification flagged this reason before invoicing. Findings on the intervention:":
        "La vérification avait signalé ce motif avant facturation. Constats sur l'intervention :",
    "Verification did not flag this reason. Findings on the intervention:":
        "La vérification n'avait pas signalé ce motif. Constats sur l'intervention :",

    # ------------------------------------------------ territories (pages/territories.py)
    "Colour the map by": "Colorer la carte selon",
    "Amounts in euros.": "Montants en euros.",
    "No country has a value for “{metric}” in this selection: the map stays grey.":
        "Aucun pays n'a de valeur pour « {metric} » dans cette sélection : la carte reste grise.",
    "Not on the map (no shape for these codes):": "Absents de la carte (aucun contour pour ces codes) :",
    "Countries": "Pays",
    "Regions": "Régions",
    "Policy parameters by territory": "Paramètres de politique par territoire",
    "The values of the policy version in force today for each territory: base values, replaced by the country's "
    "and then the region's overrides where they exist (“overridden” names them).":
        "Les valeurs de la version de politique en vigueur aujourd'hui pour chaque territoire : les valeurs de base, "
        "remplacées par les dérogations du pays puis de la région lorsqu'elles existent (« dérogé » les nomme).",

    # ------------------------------------------------ policies (pages/policies.py)
    "Each manufacturer defines one European base policy, then overrides what differs per country, per region "
    "and, by agreement, per station. Each version applies to interventions completed on or after its start day.":
        "Chaque fabricant définit une politique de base européenne, puis déroge à ce qui diffère par pays, par "
        "région et, par accord, par station. Chaque version s'applique aux interventions terminées à partir de "
        "son jour de début.",
    "In force on": "En vigueur le",
    "No policy is visible to you yet: policies arrive with an import (one TOML file per manufacturer).":
        "Aucune politique ne vous est encore visible : les politiques arrivent avec un import (un fichier TOML "
        "par fabricant).",
    "Versions": "Versions",
    "Version": "Version",
    "Status": "Statut",
    "in force": "en vigueur",
    "not in force": "pas en vigueur",
    "Version (start day)": "Version (jour de début)",
    "Base values (European policy)": "Valeurs de base (politique européenne)",
    "Overrides": "Dérogations",
    "This version has no override you can see: the base applies everywhere.":
        "Cette version n'a aucune dérogation visible pour vous : la base s'applique partout.",
    "Policy in force for a territory": "Politique en vigueur pour un territoire",
    "Territory": "Territoire",
    "base": "base",
    "country": "pays",
    "region": "région",
    "station {station}": "station {station}",
    "base (no override)": "base (sans dérogation)",
    "“from” names where each value comes from: the base, or the override that replaces it. A station override "
    "applies on top of the station's country and region overrides.":
        "« origine » indique d'où vient chaque valeur : la base, ou la dérogation qui la remplace. Une dérogation "
        "de station s'applique par-dessus celles du pays et de la région de la station.",
    "Performance bonus and malus": "Bonus et malus de performance",
    "What each version changed": "Ce que chaque version a changé",

    # ------------------------------------------------ import (pages/import_data.py, ui/importing.py)
    "Import data": "Importer des données",
    "Only network managers can import data.": "Seuls les gestionnaires de réseau peuvent importer des données.",
    "Upload the tables of the data contract (one file per table: `interventions.csv`, … as CSV, Parquet or sheets "
    "of an Excel workbook), policy files (`<manufacturer_id>.toml`), or all of them in one zip. Every problem of "
    "every file is listed; a rejected import changes nothing.":
        "Déposez les tables du contrat de données (un fichier par table : `interventions.csv`, … en CSV, Parquet "
        "ou feuilles d'un classeur Excel), les fichiers de politique (`<manufacturer_id>.toml`), ou le tout dans "
        "un zip. Chaque problème de chaque fichier est listé ; un import refusé ne change rien.",
    "Files": "Fichiers",
    "Reading the files…": "Lecture des fichiers…",
    "read": "lu :",
    "checked": "contrôlé :",
    "loaded": "chargé :",
    "read the policy files": "lecture des fichiers de politique",
    "no policy file": "aucun fichier de politique",
    "checked invoice currencies": "devises des factures contrôlées",
    "refreshing the derived tables and publishing": "mise à jour des tables dérivées et publication",
    "done": "terminé",
    "Rejected: nothing was imported": "Refusé : rien n'a été importé",
    "Imported {rows} rows from {files} file(s). Every page now shows the new data.":
        "{rows} lignes importées depuis {files} fichier(s). Toutes les pages affichent désormais les nouvelles données.",
    "Nothing was imported: {count} problem(s) to fix. The store is unchanged.":
        "Rien n'a été importé : {count} problème(s) à corriger. La base est inchangée.",
    "Validation report": "Rapport de validation",
    "Warnings": "Avertissements",
    "The same file name was uploaded twice: {names}. Nothing was imported.":
        "Le même nom de fichier a été déposé deux fois : {names}. Rien n'a été importé.",

    # ------------------------------------------------ pre-invoices (pages/preinvoices.py)
    "Each month, every station receives from the verification step a pre-invoice per brand: the interventions "
    "completed that month whose status is ready, at the amount the billing policy calculates, with a reference the "
    "final invoice quotes. The same month and content always give the same reference; the station and the "
    "manufacturer download the same file.":
        "Chaque mois, chaque station agréée reçoit de l'étape de vérification une pré-facture par marque : les "
        "interventions terminées ce mois-là au statut « prêt », au montant que calcule la politique de facturation, "
        "avec une référence que la facture définitive reprend. Le même mois et le même contenu donnent toujours la "
        "même référence ; la station et le fabricant téléchargent le même fichier.",
    "No intervention in your view yet.": "Aucune intervention dans votre périmètre pour l'instant.",
    "Station · brand": "Station · marque",
    "Preparing the pre-invoice…": "Préparation de la pré-facture…",
    "Station {station} — {station_name} · Manufacturer {manufacturer} — {manufacturer_name} · {month}":
        "Station {station} — {station_name} · Fabricant {manufacturer} — {manufacturer_name} · {month}",
    "Total": "Total",
    "nothing to invoice": "rien à facturer",
    "Total {currency} (gross)": "Total {currency} (TTC)",
    "net {net} + VAT {vat}": "HT {net} + TVA {vat}",
    "net {net} · VAT {vat} · gross {gross}": "HT {net} · TVA {vat} · TTC {gross}",
    "Download PDF": "Télécharger le PDF",
    "Download CSV": "Télécharger le CSV",
    "Interventions ready to invoice ({count})": "Interventions prêtes à facturer ({count})",
    "None this month.": "Aucune ce mois-ci.",
    "Left out ({count})": "Écartées ({count})",
    "Answer or settle their findings on the verification page; the pre-invoice (and its reference) follows.":
        "Répondez à leurs constats ou réglez-les sur la page de vérification ; la pré-facture (et sa référence) suit.",
    "Nothing: every intervention of the month is ready.": "Rien : toutes les interventions du mois sont prêtes.",
    "no score": "pas de score",
    "score {score}": "score {score}",
    "Performance adjustment: none ({score}, no matching tier)":
        "Ajustement de performance : aucun ({score}, aucun palier correspondant)",
    "Performance adjustment: {score}, tier {tier}: {percent} of the month's calculated labour {labour}: "
    "{amount} net":
        "Ajustement de performance : {score}, palier {tier} : {percent} de la main-d'œuvre calculée du mois "
        "({labour}) : {amount} HT",
    WAIVER_NOTE:
        "Les constats réglés dans l'échange — levés par le fabricant, ou un document manquant que la station a "
        "envoyé — ne comptent plus pour le statut d'une intervention : ready_rate compte ces interventions comme "
        "prêtes, et la prévention des litiges ne compte pas un constat réglé comme évitant le litige.",
    "Here: {findings} settled finding(s) on {interventions} intervention(s).":
        "Ici : {findings} constat(s) réglé(s) sur {interventions} intervention(s).",
    "{disputes} dispute(s) had a matching finding that was settled.":
        "{disputes} litige(s) avaient un constat correspondant qui a été réglé.",

    # ------------------------------------------------ verification (pages/verification.py)
    "Pre-invoice verification": "Vérification avant facturation",
    "Every intervention report goes through the same checks before it is invoiced, for the station and for the "
    "manufacturer alike. Its status is the worst severity among its findings.":
        "Chaque rapport d'intervention passe par les mêmes contrôles avant d'être facturé, pour la station comme "
        "pour le fabricant. Son statut est la gravité la plus forte parmi ses constats.",
    "{share} of the interventions": "{share} des interventions",
    "all": "tous",
    "Find an intervention (id contains)": "Chercher une intervention (le code contient)",
    "Queue — {count} interventions": "File — {count} interventions",
    "The newest {shown} are shown; the export holds all {total}.":
        "Les {shown} plus récents sont affichés ; l'export les contient tous ({total}).",
    "The first {shown} are shown (worst status first, then the most recent); the export holds all {count}.":
        "Les {shown} premières sont affichées (statut le plus grave d'abord, puis les plus récentes) ; l'export "
        "contient les {count}.",
    "Intervention detail": "Détail de l'intervention",
    "Intervention id": "Code de l'intervention",
    "Or select a row of the queue.": "Ou sélectionnez une ligne de la file.",
    "No intervention with this id in your view.": "Aucune intervention avec ce code dans votre périmètre.",
    "Findings": "Constats",
    "No finding: ready to invoice.": "Aucun constat : prête à facturer.",
    "Report": "Rapport",
    "Documents": "Documents",
    "None required, none received.": "Aucun exigé, aucun reçu.",
    "missing": "manquant",
    "received": "reçu",
    "Calculated amount": "Montant calculé",
    "Not calculated: no policy version of the manufacturer is in force on the completion day.":
        "Non calculé : aucune version de politique du fabricant n'est en vigueur le jour de fin d'intervention.",
    "labour": "main-d'œuvre",
    "travel": "déplacement",
    "parts": "pièces",
    "total": "total",
    "labour + travel + parts": "main-d'œuvre + déplacement + pièces",
    "Calculated": "Calculé",
    "Requested": "Demandé",
    "Requested − calculated": "Demandé − calculé",
    "Policy applied": "Politique appliquée",
    "No policy in force on the completion day.": "Aucune politique en vigueur le jour de fin d'intervention.",
    "{policy} — version valid from {day}; levels applied: {levels}":
        "{policy} — version en vigueur depuis le {day} ; niveaux appliqués : {levels}",
    "Invoice lines": "Lignes de facture",

    # ------------------------------------------------ conversation under a finding (ui/threads.py)
    "Awaiting the station's answer": "En attente de la réponse de la station",
    "Awaiting the manufacturer's decision": "En attente de la décision du fabricant",
    "Settled in conversation": "Réglés dans l'échange",
    "Confirmed": "Confirmés",
    "Current blocked or review findings nobody has answered or decided yet.":
        "Constats bloquants ou à vérifier actuels auxquels personne n'a encore répondu ni statué.",
    "Findings whose latest station answer (justification or document) is newer than the latest decision.":
        "Constats dont la dernière réponse de la station (justification ou document) est plus récente que la "
        "dernière décision.",
    "Waived by the manufacturer, or a missing document the station has sent: they no longer count toward the status.":
        "Levés par le fabricant, ou document manquant envoyé par la station : ils ne comptent plus pour le statut.",
    "Findings the manufacturer confirmed: they still count.": "Constats confirmés par le fabricant : ils comptent toujours.",
    "Settled in conversation, no longer counted in the status:": "Réglés dans l'échange, plus comptés dans le statut :",
    "Finding resolved": "Constat résolu",
    "no longer fires on the current data; its conversation is kept.":
        "ne se déclenche plus sur les données actuelles ; son échange est conservé.",
    "Conversation:": "Échange :",
    "{document} sent on {day}": "{document} envoyé le {day}",
    "saved; being added to the figures": "enregistré ; en cours d'ajout aux chiffres",
    "pending (an import is running: it will count when the import ends)":
        "en attente (un import est en cours : l'entrée comptera à la fin de l'import)",
    "Action": "Action",
    "Reason or message": "Motif ou message",
    "Stored and shown exactly as written. Waiving or confirming needs a reason.":
        "Enregistré et affiché tel qu'écrit. Lever ou confirmer un constat demande un motif.",
    "Date the document was sent (for 'document sent')": "Date d'envoi du document (pour « document envoyé »)",
    "Add to the conversation": "Ajouter à l'échange",
    "Saved.": "Enregistré.",
    "Saved. An import is updating the store right now: your entry is kept and will count as soon as the import has "
    "finished.":
        "Enregistré. Un import met à jour la base en ce moment : votre entrée est conservée et comptera dès la fin "
        "de l'import.",
    # states of a conversation (ui.threads.STATE_LABELS)
    "open — awaiting the station's answer": "ouvert — en attente de la réponse de la station",
    "answered — awaiting the manufacturer's decision": "répondu — en attente de la décision du fabricant",
    "waived — no longer counts toward the status": "levé — ne compte plus pour le statut",
    "confirmed by the manufacturer — still counts": "confirmé par le fabricant — compte toujours",
    "document sent — counts as received": "document envoyé — compte comme reçu",
    # actions (ui.threads.ACTION_LABELS) and entry kinds (analytics.conversation.KIND_LABELS)
    "justify": "justifier",
    "document sent": "document envoyé",
    "comment": "commentaire",
    "accept and waive": "accepter et lever",
    "confirm the finding": "confirmer le constat",
    "justification": "justification",
    "waived (justification accepted)": "levé (justification acceptée)",
    "confirmed": "confirmé",
    # E-invoices (ui/invoices.py, the pre-invoices page)
    "E-invoice": "Facture électronique",
    "EN 16931 e-invoice of this pre-invoice: UBL 2.1 (Peppol BIS Billing 3.0) and Factur-X (PDF with the CII XML). "
    "Issued by the {issuer} ({kind}, policy key invoice_issuer); it quotes the pre-invoice reference, and every invoice "
    "received is checked line by line against it.":
        "Facture électronique EN 16931 de cette préfacture : UBL 2.1 (Peppol BIS Billing 3.0) et Factur-X (PDF avec "
        "le XML CII). Émise par le côté {issuer} ({kind}, clé de politique invoice_issuer) ; elle cite la référence de la "
        "préfacture, et chaque facture reçue est contrôlée ligne par ligne par rapport à elle.",
    "self-billing": "autofacturation",
    "type 380": "type 380",
    "Not issued yet: the {issuer} issues this invoice.": "Pas encore émise : c'est le côté {issuer} qui émet cette facture.",
    "Issue the invoice": "Émettre la facture",
    "Invoice {number} quotes pre-invoice {old}; the pre-invoice is now {new}. An issued invoice is never edited: a "
    "correction is a credit note and a new invoice.":
        "La facture {number} cite la préfacture {old} ; la préfacture est désormais {new}. Une facture émise n'est "
        "jamais modifiée : une correction est un avoir et une nouvelle facture.",
    "Issue the correction (credit note and new invoice)": "Émettre la correction (avoir et nouvelle facture)",
    "Issuing…": "Émission…",
    "Issued: {numbers}.": "Émise(s) : {numbers}.",
    "Download Factur-X PDF": "Télécharger le PDF Factur-X",
    "Download UBL XML": "Télécharger le XML UBL",
    "Download CII XML": "Télécharger le XML CII",
    "Check an invoice (UBL or CII XML, or Factur-X PDF)": "Contrôler une facture (XML UBL ou CII, ou PDF Factur-X)",
    "At most 5 MB; read without DTD or entities.": "5 Mo au plus ; lue sans DTD ni entités.",
    "Check the invoice": "Contrôler la facture",
    "(nothing was stored)": "(rien n'a été enregistré)",
    "{file}: {status}.": "{file} : {status}.",
    "Invoices received ({count})": "Factures reçues ({count})",
    "Invoices issued ({count})": "Factures émises ({count})",
    "None yet.": "Aucune pour l'instant.",
    "credited by {number}": "annulée par l'avoir {number}",
    "current": "en vigueur",
    "outdated": "dépassée",
    "pre-invoice": "préfacture",
    "cancels": "annule",
    "invoice": "facture",
    "self-billed invoice": "facture en autofacturation",
    "credit note": "avoir",
    "document": "document",
    "upload": "déposée",
    "issued": "émise",
    "command line": "ligne de commande",
    "matched": "conforme",
    "differences": "écarts",
    "unknown reference": "référence inconnue",
    "invalid": "invalide",
    "kind": "nature",
    "subject": "objet",
    "expected": "attendu",
    "invoiced": "facturé",
    "message": "message",
}


#: A language set for a moment by :func:`in_language` (a widget's labels in every language).
_FORCED_LANGUAGE: ContextVar[str | None] = ContextVar("clairvoie_forced_language", default=None)


@contextlib.contextmanager
def in_language(code: str):
    """Within the block, :func:`language` is ``code`` (this thread only)."""
    token = _FORCED_LANGUAGE.set(code)
    try:
        yield
    finally:
        _FORCED_LANGUAGE.reset(token)


def language() -> str:
    """The current language code (``en`` or ``fr``): the switch's value when it was touched in this
    session (so a page's title, computed before the switch is drawn, already follows a click), else
    the session's language, else the URL's ``?lang=``."""
    forced = _FORCED_LANGUAGE.get()
    if forced is not None:
        return forced
    lang = (st.session_state.get(_RADIO_KEY) or st.session_state.get(LANG_KEY)
            or st.query_params.get("lang", "en"))
    return lang if lang in LANGUAGES else "en"


#: Short alias of :func:`language`.
lang = language


def _drawn_this_run() -> bool:
    """Whether the switch was already drawn in this script run (``app.py`` draws it before the
    navigation, then the page's ``start_page`` asks again): read from Streamlit's record of this
    run's widget keys; False when that cannot be read."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return ctx is not None and _RADIO_KEY in ctx.shared.widget_user_keys_this_run
    except Exception:  # noqa: BLE001 - a Streamlit internal: draw it (a page run alone)
        return False


def language_switch() -> str:
    """The EN/FR choice in the sidebar, drawn once per run whoever asks (``app.py``, the login page,
    ``ui.pagekit.current_viewer``); kept in the URL as ``?lang=fr`` (no parameter for English) so a
    shared link opens in its language. Returns the language code."""
    current = language()
    if _drawn_this_run():
        return current
    choice = st.sidebar.radio("Language / Langue", list(LANGUAGES), index=list(LANGUAGES).index(current),
                              format_func=LANGUAGES.get, horizontal=True, key=_RADIO_KEY)
    st.session_state[LANG_KEY] = choice
    if choice == "en":
        if "lang" in st.query_params:
            del st.query_params["lang"]
    elif st.query_params.get("lang") != choice:
        st.query_params["lang"] = choice
    return choice


def t(text: str) -> str:
    """``text`` (an English page label) in the current language."""
    return FR.get(text, text) if language() == "fr" else text


def _catalog(key: str, english: str, lang_code: str | None = None) -> str:
    return CATALOG_FR.get(key, english) if (lang_code or language()) == "fr" else english


def metric_label(name: str, lang_code: str | None = None) -> str:
    """The catalog's label of metric ``name`` (or "Score") in ``lang_code`` (default: the current language)."""
    if name == "score":
        return FR["Score"] if (lang_code or language()) == "fr" else "Score"
    m = METRICS_BY_NAME.get(name)
    return _catalog(f"metric.{name}.label", m.label, lang_code) if m else name


def metric_definition(name: str, lang_code: str | None = None) -> str:
    """The catalog's definition of metric ``name`` (or of the score), for tooltips."""
    if name == "score":
        return _catalog("score.definition", SCORE_DEFINITION, lang_code)
    m = METRICS_BY_NAME.get(name)
    return _catalog(f"metric.{name}.definition", m.definition, lang_code) if m else ""


def metric_formula(name: str, lang_code: str | None = None) -> str:
    """The catalog's formula of metric ``name`` (how the figure is computed), for the Definitions page."""
    m = METRICS_BY_NAME.get(name)
    return _catalog(f"metric.{name}.formula", m.formula, lang_code) if m else ""


def rule_label(code: str, lang_code: str | None = None) -> str:
    r = RULES_BY_CODE.get(code)
    return _catalog(f"rule.{code}.label", r.label, lang_code) if r else code


def status_definition(status: str, lang_code: str | None = None) -> str:
    """The catalog's definition of a verification status (blocked/review/ready)."""
    return _catalog(f"status.{status}.definition", STATUS_DEFINITIONS.get(status, ""), lang_code)


def rule_labels(codes) -> str:
    """Finding codes joined by ``;`` (``DOC_MISSING;REPEAT_REPAIR``) as their rules' labels, ``; ``-joined."""
    if not isinstance(codes, str) or not codes:
        return codes
    return "; ".join(rule_label(code.strip()) for code in codes.split(";"))


def reason_label(code) -> str:
    """A dispute's reason — a verification rule's code (its label), anything else "Other reason" — in
    the current language."""
    return rule_label(code) if code in RULES_BY_CODE else t("Other reason")


def rule_definition(code: str, lang_code: str | None = None) -> str:
    r = RULES_BY_CODE.get(code)
    return _catalog(f"rule.{code}.definition", r.definition, lang_code) if r else ""


def _missing(value) -> bool:
    try:
        return value is None or (isinstance(value, float) and math.isnan(value)) or bool(value != value)
    except (TypeError, ValueError):
        return False


def number_marks(lang: str | None = None) -> tuple[str, str]:
    """The decimal mark and the thousands separator of a language: ``.`` and ``,`` in English, ``,``
    and a narrow no-break space in French — the one choice for pages, tables and charts."""
    return (",", "\u202f") if (lang or language()) == "fr" else (".", ",")


def _number_text(value, decimals: int, lang: str) -> str:
    decimal, thousands = number_marks(lang)
    return f"{float(value):,.{decimals}f}".replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def fmt_number(value, decimals: int = 0) -> str:
    """``1,234.56`` (en) or ``1 234,56`` (fr, narrow no-break space as thousands separator)."""
    if _missing(value):
        return NO_VALUE
    return _number_text(value, decimals, language())


def fmt_amount(value, currency: str | None = "EUR", compact: bool = False) -> str:
    """``€1,234.56`` (en) or ``1 234,56 €`` (fr); other currencies by their code. ``compact``:
    a million or more as ``€2.67 M`` / ``2,67 M €`` (headline cards)."""
    if _missing(value):
        return NO_VALUE
    if compact and abs(float(value)) >= 1_000_000:
        number = fmt_number(abs(float(value)) / 1_000_000, 2) + "\u00a0M"
    else:
        number = fmt_number(abs(float(value)), 2)
    sign = "-" if float(value) < 0 else ""
    symbol = {"EUR": "€"}.get(currency or "", currency or "")
    if language() == "fr":
        return f"{sign}{number} {symbol}".strip()
    return f"{sign}{symbol}{number}" if symbol == "€" else f"{sign}{number} {symbol}".strip()


def fmt_value(name: str, value, currency: str | None = "EUR", compact: bool = False) -> str:
    """A metric value for display by its kind (rate as %, days and ratings to one decimal, amounts
    with their currency, counts whole); "—" for no value."""
    if _missing(value):
        return NO_VALUE
    if name == "score":
        return fmt_number(value, 1)
    kind = METRICS_BY_NAME[name].kind if name in METRICS_BY_NAME else None
    if kind == "rate":
        return fmt_number(100 * float(value), 1) + ("\u202f%" if language() == "fr" else "%")
    if kind in ("days", "rating"):
        return fmt_number(value, 1)
    if kind == "amount":
        return fmt_amount(value, currency, compact)
    return fmt_number(value, 0)


def fmt_delta(name: str, now, before) -> str | None:
    """The change from ``before`` to ``now`` for ``st.metric`` (points for rates), None if either is missing."""
    if _missing(now) or _missing(before):
        return None
    diff = float(now) - float(before)
    kind = METRICS_BY_NAME[name].kind if name in METRICS_BY_NAME else None
    if kind == "rate":
        return ("+" if diff >= 0 else "") + fmt_number(100 * diff, 1) + " pts"
    text = fmt_value(name, abs(diff))
    return ("+" if diff >= 0 else "-") + text


#: How a metric column is shown, by the metric's kind: ``(pandas Styler format, st.column_config
#: NumberColumn format)`` — rates as %, days to one decimal, ratings and amounts to two, counts whole.
#: The one number-format map of the app (:func:`styler_format`, :func:`column_config`).
KIND_FORMATS: dict[str, tuple[str, str]] = {
    "rate": ("{:.1%}", "percent"),
    "days": ("{:.1f}", "%.1f"),
    "rating": ("{:.2f}", "%.2f"),
    "amount": ("{:,.2f}", "%.2f"),
    "count": ("{:,.0f}", "%d"),
}


def _kind_of_column(column) -> str | None:
    """The kind whose format ``column`` takes: a share (``*_share``, ``*_rate``) is a rate; a metric
    column (``<name>`` or ``<name>_eur``) its metric's kind; None otherwise."""
    if str(column).endswith(("_share", "_rate")) or column == "growth":
        return "rate"
    metric = metric_of_column(column)
    return metric.kind if metric is not None else None


def styler_format(column) -> str | None:
    """The pandas Styler format of a metric or share column (``dispute_rate``, ``requested_amount_eur``…)."""
    kind = _kind_of_column(column)
    return KIND_FORMATS[kind][0] if kind else None


#: Decimals of each kind in a table (the Styler of :func:`cell_formats`; the same as :data:`KIND_FORMATS`).
KIND_DECIMALS = {"rate": 1, "days": 1, "rating": 2, "amount": 2, "count": 0}


def number_column(label, number_format: str, help: str | None = None):
    """A ``NumberColumn`` with its printf ``number_format`` in English. In French none: a column_config
    format takes precedence over the table's Styler and cannot write a decimal comma, so the
    Styler of :func:`cell_formats` (``ui.pagekit.present``) writes the number."""
    return st.column_config.NumberColumn(label, format=None if language() == "fr" else number_format, help=help)


def _first_value(values: pd.Series):
    present = values.dropna()
    return present.iloc[0] if len(present) else None


def cell_formats(frame: pd.DataFrame, decimals: dict | None = None) -> dict:
    """A pandas Styler formatter per column of ``frame``, in the page's language (display only:
    sorting and downloads keep the values): metric and share columns by their kind (rates as
    ``12.5%`` / ``12,5 %``), ``decimals`` (column -> decimals) for other numeric columns the caller
    names, other decimals to 2, whole numbers with thousands separators, dates as ``2026-11-29`` /
    ``29/11/2026`` and months (``2026-11``) as ``2026-11`` / ``11/2026``; no value as "—"."""
    import datetime as dt
    from decimal import Decimal

    lang = language()
    fr = lang == "fr"

    def number(places):
        return lambda v: NO_VALUE if _missing(v) else _number_text(v, places, lang)

    def percent(v):
        return NO_VALUE if _missing(v) else _number_text(100 * float(v), 1, lang) + ("\u202f%" if fr else "%")

    def day(v):
        if _missing(v) or not isinstance(v, (dt.date, pd.Timestamp)):
            return NO_VALUE if _missing(v) else str(v)
        stamp = pd.Timestamp(v)
        text = stamp.strftime(DATE_FORMATS[lang]["day"])
        return text + stamp.strftime(" %H:%M") if isinstance(v, dt.datetime) and stamp.time() != dt.time() else text

    def month(v):
        return fmt_month(v) if isinstance(v, str) else v

    out = {}
    for col in frame.columns:
        values = frame[col]
        kind = _kind_of_column(col)
        first = _first_value(values)
        if decimals and col in decimals:
            out[col] = number(decimals[col])
        elif str(col) == "score":
            out[col] = number(1)
        elif kind == "rate":
            out[col] = percent
        elif kind is not None:
            out[col] = number(KIND_DECIMALS[kind])
        elif pd.api.types.is_bool_dtype(values) or isinstance(first, bool):
            continue
        elif pd.api.types.is_datetime64_any_dtype(values) or isinstance(first, dt.date):
            out[col] = day
        elif str(col) == "month" or str(col).endswith("_month"):
            out[col] = month
        elif pd.api.types.is_float_dtype(values) or isinstance(first, (float, Decimal)):
            out[col] = number(2)
        elif pd.api.types.is_integer_dtype(values) or isinstance(first, int):
            out[col] = number(0)
    return out


def column_config(columns) -> dict:
    """``st.dataframe`` column formats for metric columns, by the metric's kind (``<name>_eur`` too,
    :data:`KIND_FORMATS`; in French written by the table's Styler, :func:`number_column`), and the headers of the other columns in the page's language
    (:func:`header_label`); the score to one decimal. Header tooltips carry the catalog's
    definitions. The values themselves are unchanged."""
    import streamlit as st

    out = {}
    for col in columns:
        metric = metric_of_column(col)
        if str(col) == "score":
            out[col] = number_column(metric_label("score"), "%.1f", help=metric_definition("score"))
        elif metric is not None:
            out[col] = number_column(header_label(col), KIND_FORMATS[metric.kind][1],
                                     help=metric_definition(metric.name))
        elif _kind_of_column(col) == "rate":
            out[col] = number_column(header_label(col), KIND_FORMATS["rate"][1])
        else:  # the other columns: their header in the page's language
            out[col] = st.column_config.Column(header_label(col))
    return out


#: The one way each language writes a day and a month (strftime directives, which plotly's date
#: axes read too): ISO in English, ``29/11/2026`` and ``11/2026`` in French.
DATE_FORMATS = {"en": {"day": "%Y-%m-%d", "month": "%Y-%m"}, "fr": {"day": "%d/%m/%Y", "month": "%m/%Y"}}


def date_format(unit: str = "day", lang: str | None = None) -> str:
    """The strftime (and plotly ``tickformat``) pattern of a ``day`` or a ``month`` in the language."""
    return DATE_FORMATS[lang or language()][unit]


def date_input_format() -> str:
    """``st.date_input``'s ``format`` in the language (:data:`DATE_FORMATS`'s day, in its own notation)."""
    return "DD/MM/YYYY" if language() == "fr" else "YYYY-MM-DD"


def fmt_month(value) -> str:
    """A month key (``2026-11``) as the language writes it: ``2026-11`` / ``11/2026``; other values verbatim."""
    if _missing(value):
        return NO_VALUE
    text = str(value)
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        return date_format("month").replace("%Y", text[:4]).replace("%m", text[5:])
    return text


def fmt_date(value) -> str:
    """A date: ISO ``2026-11-29`` in English, ``29/11/2026`` in French; "—" for none (tables too,
    :func:`cell_formats`; downloads keep ISO)."""
    if _missing(value) or value is None:
        return NO_VALUE
    import datetime as dt

    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    if isinstance(day, dt.datetime):
        day = day.date()
    return day.strftime(date_format("day"))


_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def decimal_text(text):
    """A number written as text (a policy value: ``0.02``, ``47.84``) with the language's decimal
    mark, its digits as written; any other text verbatim."""
    if language() == "fr" and isinstance(text, str) and _PLAIN_NUMBER.fullmatch(text):
        return text.replace(".", ",")
    return text


def fmt_percent(fraction, decimals: int = 1) -> str:
    """A share as a percentage with a space before the sign: ``12.5 %`` / ``12,5 %``."""
    if _missing(fraction):
        return NO_VALUE
    return fmt_number(100 * float(fraction), decimals) + ("\u202f%" if language() == "fr" else " %")


#: Verification statuses and dispute outcomes are data (kept raw in tables' downloads and in
#: English); French shows these words instead.
STATUS_FR = {"blocked": "bloqué", "review": "à vérifier", "ready": "prêt", "info": "information"}
OUTCOME_FR = {"station": "station", "manufacturer": "fabricant", "split": "partagé", "withdrawn": "retiré",
              "open": "en cours"}


def status_label(status) -> str:
    """A verification status (blocked/review/ready) or a rule's severity (blocked/review/info) in the
    current language; other values verbatim."""
    return STATUS_FR.get(status, status) if language() == "fr" else status


def outcome_label(outcome) -> str:
    """A dispute outcome (station/manufacturer/split/withdrawn, or open) in the current language."""
    return OUTCOME_FR.get(outcome, outcome) if language() == "fr" else outcome


#: French table headers of the columns the pages show, keyed by the column's (data) name. English
#: keeps the data contract's names (``station_id``): they are the names of the CSV/Excel columns.
COLUMN_FR: dict[str, str] = {
    # ids and territories
    "station_id": "station", "manufacturer_id": "fabricant", "manufacturer_name": "nom du fabricant",
    "intervention_id": "intervention", "invoice_id": "facture", "dispute_id": "litige", "name": "nom",
    "country": "pays", "region": "région", "product_category": "catégorie de produit", "month": "mois",
    "station": "station", "manufacturer": "fabricant", "territory": "territoire", "level": "niveau",
    # verification and disputes
    "code": "code", "label": "libellé", "severity": "gravité", "explanation": "explication",
    "explanations": "explications", "status": "statut", "reason": "motif", "reason_given": "motif indiqué",
    "opened_on": "ouvert le", "resolved_on": "résolu le", "outcome": "issue", "disputed_amount": "montant contesté",
    "currency": "devise", "prevented": "évitable", "prevented_share": "part évitable", "disputes": "litiges",
    "cumulative_share": "part cumulée", "matches_reason": "même motif", "findings": "constats",
    "stage": "étape", "definition": "définition", "field": "champ", "doc_type": "document",
    "required": "exigé", "required_by": "exigé par", "received_on": "reçu le", "missing": "manquant", "state": "état",
    "component": "composante", "amount": "montant", "formula": "calcul", "requested_amount": "montant demandé",
    "calculated_amount": "montant calculé", "line_no": "ligne", "vat_rate": "taux de TVA", "issued_on": "émise le",
    "paid_on": "payée le", "better": "meilleur si", "kind": "nature", "metric": "indicateur",
    # policies
    "key": "paramètre", "item": "élément", "value": "valeur", "value_text": "valeur", "base value": "valeur de base",
    "from": "origine", "valid_from": "début", "valid_to": "fin", "in_force": "en vigueur", "version": "version",
    "tier_no": "palier", "min_score": "score min.", "max_score": "score max.", "labor_adjustment": "ajustement main-d'œuvre",
    "overridden": "dérogé", "change": "changement", "before": "avant", "after": "après",
    "country_overrides": "dérogations pays", "region_overrides": "dérogations région",
    "station_overrides": "dérogations station",
    # import report
    "file": "fichier", "row": "ligne", "column": "colonne", "rule": "règle", "message": "message",
    "table": "table", "rows": "lignes",
    # pre-invoices
    "completed_on": "terminé le", "repair_code": "code réparation", "labour": "main-d'œuvre", "travel": "déplacement",
    "parts": "pièces", "net": "HT", "VAT rate": "taux de TVA", "VAT": "TVA", "gross": "TTC",
    "settled in conversation": "réglé dans l'échange", "why": "pourquoi", "ready": "prêtes", "left_out": "écartées",
    "ready (on the pre-invoice)": "prêtes (sur la pré-facture)", "left out": "écartées",
    "interventions": "interventions", "invoiced": "facturées",
    # scorecard
    "median": "médiane", "q1": "1er quartile", "q3": "3e quartile", "percentile_rank": "rang centile",
    "ranked_stations": "stations classées", "weight": "poids", "contribution": "contribution", "score_if": "score si",
    "gain": "gain", "withheld": "masqué", "peers": "stations comparables", "rank": "rang", "scored": "noté",
}


def header_label(column) -> str:
    """The header shown for ``column``: a metric's catalog label (``<name>_eur`` with "(€)"), the
    score, in French the other known columns (:data:`COLUMN_FR`), in English the column's name as
    words (:data:`COLUMN_EN` where the name alone would not read well); capitalised. The data and
    the downloads keep the column's name."""
    text = str(column)
    metric = metric_of_column(text)
    if metric is not None:
        return metric_label(metric.name) + (" (€)" if in_euros(text) else "")
    if text == "score":
        return metric_label("score")
    if language() == "fr" and text in COLUMN_FR:
        return COLUMN_FR[text][:1].upper() + COLUMN_FR[text][1:]
    # English (and a column French has no word for yet): its name as words, never snake_case
    words = COLUMN_EN.get(text) or text.replace("_", " ")
    return words[:1].upper() + words[1:]


#: English table headers of the columns whose name, its "_" read as spaces, would not say it well.
COLUMN_EN: dict[str, str] = {
    "station_id": "station", "manufacturer_id": "manufacturer", "intervention_id": "intervention",
    "invoice_id": "invoice", "dispute_id": "dispute", "name": "name", "q1": "1st quartile", "q3": "3rd quartile",
    "tier_no": "tier", "line_no": "line", "doc_type": "document", "value_text": "value", "vat_rate": "VAT rate",
    "labor_adjustment": "labour adjustment", "labor_rate_per_hour": "labour rate per hour", "key": "parameter",
    "from": "from (level)", "left_out": "left out", "matches_reason": "same reason as the dispute",
    "reason_label": "reason", "reason_given": "reason as given", "cumulative_share": "cumulative share",
    "prevented_amount_eur": "prevented amount (€)", "max_score": "max. score", "min_score": "min. score",
    "max_travel_km": "max. travel (km)", "travel_free_km": "free travel (km)", "travel_rate_per_km": "travel rate per km",
    "score_if": "score if at the median", "ranked_stations": "ranked stations", "base value": "base value",
    "VAT": "VAT", "VAT rate": "VAT rate", "net": "net", "gross": "gross",
}


def header_config(columns) -> dict:
    """``st.dataframe`` header labels (display only: the data and downloads keep their column names),
    by :func:`header_label`, with the catalog's definition as the tooltip of a metric column."""
    out = {}
    for col in columns:
        metric = metric_of_column(col)
        name = metric.name if metric is not None else str(col)
        out[col] = st.column_config.Column(header_label(col), help=metric_definition(name) or None)
    return out


def labelled(values, label):
    """``values`` (a pandas Series) with each value replaced by ``label(value)``, computed once per
    distinct value: reading the language costs a session-state look-up, too much once per row of a
    long table. Missing values stay missing."""
    return values.map({v: label(v) for v in values.dropna().unique()})


class OptionLabels:
    """A widget's ``format_func``: each option's label in this run's language, computed now
    (Streamlit may call a ``format_func`` outside the script run, as AppTest does, where the
    language cannot be read).

    The browser sends a choice back as its label. After a language switch it may still hold the
    label of the other language (or Streamlit may read it with the other run's labels), so the
    widget returns that label instead of the option: :meth:`option` turns any language's label
    back into its option, and the label of either language is shown as this language's label, so
    the choice survives the switch."""

    def __init__(self, options, label=None):
        label = label or t
        self.options = list(options)
        self.shown = {option: label(option) for option in self.options}
        by_label: dict = {}
        for code in LANGUAGES:
            with in_language(code):
                for option in self.options:
                    by_label.setdefault(label(option), option)
        by_label.update({text: option for option, text in self.shown.items()})
        self.by_label = by_label

    def _known(self, value) -> bool:
        try:
            return value in self.shown
        except TypeError:  # an unhashable value: not an option
            return False

    def option(self, value):
        """The option ``value`` stands for (``value`` itself when it is one, or an option's label)."""
        if value is None or self._known(value):
            return value
        return self.by_label.get(value, value) if isinstance(value, str) else value

    def __call__(self, value) -> str:
        option = self.option(value)
        return self.shown[option] if self._known(option) else str(value)


def with_label_columns(table, labels: dict):
    """``table`` for a download made for people: beside each coded column named in ``labels``
    (column -> label function: a status, a reason, an outcome) a ``<column>_label`` column in the
    page's language; the codes stay, in their own columns, for machines (the same columns in both
    languages). ``table`` is a DataFrame or a function returning one, read when the file is made —
    maybe outside the script run: the language is the page's, read now."""
    if not labels:
        return table
    lang = language()

    def add(frame):
        if not any(col in frame.columns for col in labels):
            return frame
        with in_language(lang):
            out = frame.copy()
            for col, label in labels.items():
                if col in out.columns and f"{col}_label" not in out.columns:
                    out.insert(out.columns.get_loc(col) + 1, f"{col}_label", labelled(out[col], label))
            return out

    return (lambda: add(table())) if callable(table) else add(table)


def labels_of(options, label=None) -> OptionLabels:
    """A ``format_func`` for a widget's ``options`` (``label`` defaults to :func:`t`): :class:`OptionLabels`.
    Pass the widget's value through its :meth:`OptionLabels.option` (or use :func:`choose`)."""
    return OptionLabels(options, label)


#: session_state key: widget key -> the language a :func:`choose` widget was last drawn in.
_CHOICE_LANGUAGES_KEY = "i18n_choice_languages"


def choose(widget, label: str, options, option_label=None, **kwargs):
    """``widget(label, options, format_func=…, **kwargs)`` (``st.selectbox``, ``st.radio``, a column's
    ``selectbox``…) with the options' labels in the page's language; returns the chosen option,
    never a label, also in the run that follows a language switch."""
    labels = labels_of(options, option_label)
    key = kwargs.get("key")
    if key is not None:
        drawn_in = st.session_state.setdefault(_CHOICE_LANGUAGES_KEY, {})
        if drawn_in.get(key, language()) != language() and key in st.session_state:
            # the browser still shows the other language's label: the choice is set again, so that
            # Streamlit sends it with this language's label (the state decides, not ``index``)
            value = labels.option(st.session_state[key])
            if labels._known(value):
                st.session_state[key] = value
                kwargs.pop("index", None)
        drawn_in[key] = language()
    return labels.option(widget(label, options, format_func=labels, **kwargs))


def plot_separators() -> str:
    """Plotly's ``layout.separators`` (decimal mark, then thousands separator) for the current
    language: ``.,`` in English, ``,`` and a narrow no-break space in French (hover and axis
    numbers), as :func:`number_marks`."""
    return "".join(number_marks())


# ---------------------------------------------------------------- work queues, drill-down, empty states
# (pages/queues.py, the filters kept across pages, chart selections, trends' incomplete period)
FR.update({
    "Work": "Travail",
    "Work queues": "Files de travail",
    "What waits for an answer or a decision, oldest first. Select a row to act on it.":
        "Ce qui attend une réponse ou une décision, le plus ancien d'abord. Sélectionnez une ligne pour agir.",
    "Disputes open longest": "Litiges ouverts depuis le plus longtemps",
    "Current blocked or review findings nobody has answered or decided yet, oldest report first.":
        "Constats bloquants ou à vérifier sans réponse ni décision, le rapport le plus ancien d'abord.",
    "Findings whose latest station answer is newer than the latest decision, oldest answer first.":
        "Constats dont la dernière réponse de la station est postérieure à la dernière décision, la réponse la "
        "plus ancienne d'abord.",
    "Disputes not resolved yet, opened longest ago first.": "Litiges non résolus, les plus anciens d'abord.",
    "Nothing waits here in your selection: widen the period or the filters in the sidebar to see older items.":
        "Rien n'attend ici dans votre sélection : élargissez la période ou les filtres du panneau latéral pour "
        "voir des éléments plus anciens.",
    "The oldest {shown} are shown; the export holds all {total}.":
        "Les {shown} plus anciens sont affichés ; l'export contient les {total}.",
    "Select a row of the list to answer, decide or open it here.":
        "Sélectionnez une ligne de la liste pour y répondre, décider ou l'ouvrir ici.",
    "Opened {day}, reason {reason}.": "Ouvert le {day}, motif {reason}.",
    "Open the intervention, its findings and their conversation":
        "Ouvrir l'intervention, ses constats et leur échange",
    "Open the whole intervention": "Ouvrir toute l'intervention",
    "Open the list": "Ouvrir la liste",
})
COLUMN_FR.update({
    "waiting_since": "en attente depuis", "days_waiting": "jours d'attente", "days_open": "jours ouvert",
    "answered_by": "répondu par", "answer_body": "réponse", "answer_kind": "type de réponse",
    "finding_codes": "codes des constats",
})
FR.update({
    "All": "Tous",
})
FR.update({
    "lower is better": "plus bas = mieux",
    "higher is better": "plus haut = mieux",
    "Darker is worse ({better}). Click a country to see its regions.":
        "Plus foncé = moins bien ({better}). Cliquez sur un pays pour voir ses régions.",
    "Darker is more. Click a country to see its regions.":
        "Plus foncé = plus élevé. Cliquez sur un pays pour voir ses régions.",
    "Europe": "Europe",
    "No value of “{metric}” here in this selection.": "Aucune valeur de « {metric} » ici dans cette sélection.",
    "Regions of {country}": "Régions : {country}",
    "Stations of {region}": "Stations de {region}",
    "Worst first. Click a region to see its stations.":
        "Les moins bonnes d'abord. Cliquez sur une région pour voir ses stations.",
    "Worst first. Click a station to open its scorecard.":
        "Les moins bonnes d'abord. Cliquez sur une station pour ouvrir sa fiche.",
    "No dispute in this selection: no invoiced intervention of these filters was disputed.":
        "Aucun litige dans cette sélection : aucune intervention facturée de ces filtres n'a été contestée.",
    "Click a bar to see that reason's disputes by territory, station and month, and its list.":
        "Cliquez sur une barre pour voir les litiges de ce motif par territoire, station et mois, et leur liste.",
    "Reason: {reason}": "Motif : {reason}",
    "Remove this filter": "Retirer ce filtre",
    "Reasons growing fastest": "Motifs en plus forte hausse",
    "No dispute in this selection: no growth to measure.":
        "Aucun litige dans cette sélection : pas d'évolution à mesurer.",
    "Disputes by reason from {start} to {end} against the {days} days before ({before_start} to {before_end}). "
    "Select a row to see the territories behind a reason.":
        "Litiges par motif du {start} au {end} comparés aux {days} jours précédents ({before_start} au "
        "{before_end}). Sélectionnez une ligne pour voir les territoires derrière un motif.",
    "Most disputes first. Click a bar to filter the page by it.":
        "Le plus de litiges d'abord. Cliquez sur une barre pour filtrer la page.",
    "Click a bar to set the period to that month.": "Cliquez sur une barre pour choisir ce mois comme période.",
    "Dispute rate and resolution by {key}": "Taux de litige et résolution par {key}",
    "no region": "sans région",
})
COLUMN_FR.update({
    "disputes_before": "litiges avant", "growth": "évolution", "open_disputes": "litiges ouverts",
    "reason_label": "motif (libellé)", "days_open": "jours ouvert",
})
FR.update({
    "No station matches “{search}” (searched in ids, names and countries): clear the search to see all the stations.":
        "Aucune station ne correspond à « {search} » (recherche dans les codes, noms et pays) : videz la recherche "
        "pour voir toutes les stations.",
    "Stations by disputes": "Stations par litiges",
    "Most disputes first, named; click a bar to keep that station in the filters of every page.":
        "Le plus de litiges d'abord ; cliquez sur une barre pour garder cette station dans les filtres de toutes "
        "les pages.",
    "No dispute on these stations in this selection.": "Aucun litige sur ces stations dans cette sélection.",
    "incomplete": "incomplet",
    "Shaded: a month the data or the period covers only in part (data up to {day}); its figures are not comparable "
    "with whole months.":
        "Grisé : un mois que les données ou la période ne couvrent qu'en partie (données jusqu'au {day}) ; ses "
        "chiffres ne sont pas comparables à ceux des mois complets.",
    "No intervention in this selection: no trend to draw.": "Aucune intervention dans cette sélection : pas de tendance.",
    "Ready and invoiced": "Prêtes et facturées",
    "Ready, invoiced and paid": "Prêtes, facturées et payées",
    "Invoiced while blocked": "Facturées alors que bloquées",
    "Each stage counts the interventions of the stage before that went on: of the interventions reported, those "
    "ready; of those, the invoiced; of those, the paid.":
        "Chaque étape compte les interventions de l'étape précédente qui ont avancé : des interventions déclarées, "
        "les prêtes ; parmi elles, les facturées ; parmi elles, les payées.",
    "Of the ready and invoiced interventions, those with at least one dispute.":
        "Parmi les interventions prêtes et facturées, celles qui ont au moins un litige.",
    "Of the disputed ones, those whose every dispute is resolved.":
        "Parmi les contestées, celles dont tous les litiges sont résolus.",
    "Interventions invoiced although verification blocks them: outside the funnel, to be checked first. The "
    "verification page lists them (status blocked).":
        "Interventions facturées alors que la vérification les bloque : hors du parcours, à vérifier d'abord. La "
        "page de vérification les liste (statut bloqué).",
    "See the blocked interventions": "Voir les interventions bloquées",
    "— : this brand's policy has no bonus/malus tiers, or the station has no month in the selection.":
        "— : la politique de cette marque n'a pas de paliers bonus/malus, ou la station n'a aucun mois dans la "
        "sélection.",
    "— : no score for {month} alone (fewer than 20 interventions that month); the score beside is the whole period's.":
        "— : pas de score pour {month} seul (moins de 20 interventions ce mois-là) ; le score à côté est celui de "
        "toute la période.",
    "— : the score of {month} ({score}) falls in none of the policy's tiers.":
        "— : le score de {month} ({score}) n'entre dans aucun palier de la politique.",
    "From the score of {month} alone ({score}).": "D'après le score de {month} seul ({score}).",
    "No score, so no improvement to compute: the station needs at least 20 interventions of this brand in the period.":
        "Pas de score, donc pas d'amélioration à calculer : il faut au moins 20 interventions de cette marque sur "
        "la période.",
    "No metric below the network median: bringing any metric to the median would not raise the score.":
        "Aucun indicateur sous la médiane du réseau : ramener un indicateur à la médiane n'augmenterait pas le score.",
})
FR.update({
    "Comparison with other stations withheld for {brands}: fewer than 5 comparable stations (same brand, same "
    "country).":
        "Comparaison avec les autres stations masquée pour {brands} : moins de 5 stations comparables (même "
        "marque, même pays).",
})
COLUMN_FR.update({
    "prevented_amount": "montant évitable", "prevented_amount_eur": "montant évitable (€)",
    "prevented_amount_share": "part du montant évitable", "labor_rate_per_hour": "taux horaire main-d'œuvre",
    "max_travel_km": "déplacement max. (km)", "no_fault_found_fee": "forfait sans panne constatée",
    "travel_flat_fee": "forfait déplacement", "travel_free_km": "km de déplacement gratuits",
    "travel_rate_per_km": "tarif au km",
})
# The invoiced-while-blocked filter (sidebar) and its disputes analysis (Disputes page).
FR.update({
    "Only these": "Seulement celles-ci",
    "Leave them out": "Les exclure",
    "Interventions invoiced although verification blocks them. Applies to the disputes analysis, the verification "
    "list and the work queues.":
        "Interventions facturées alors que la vérification les bloque. S'applique à l'analyse des litiges, à la "
        "liste de vérification et aux files de travail.",
    "Rates and totals read from the monthly figures (headline figures, trends, scores, maps) count every "
    "intervention of the other filters.":
        "Les taux et totaux tirés des chiffres mensuels (chiffres clés, tendances, scores, cartes) comptent toutes "
        "les interventions des autres filtres.",
    "The first four figures count the disputes of every intervention of the other filters; the “invoiced while "
    "blocked” filter applies to the share preventable and to everything below.":
        "Les quatre premiers chiffres comptent les litiges de toutes les interventions des autres filtres ; le "
        "filtre « facturées alors que bloquées » s'applique à la part évitable et à tout ce qui suit.",
    "Disputes on interventions invoiced while blocked": "Litiges sur des interventions facturées alors que bloquées",
    "Share of disputes": "Part des litiges",
    "Disputes on interventions invoiced although verification blocks them, of all the disputes of the selection: "
    "invoicing only what verification lets through would have avoided them.":
        "Litiges sur des interventions facturées alors que la vérification les bloque, parmi tous les litiges de la "
        "sélection : ne facturer que ce que la vérification laisse passer les aurait évités.",
    "{on_blocked} of {disputes} disputes": "{on_blocked} litiges sur {disputes}",
    "Only these disputes": "Seulement ces litiges",
    "See their disputes": "Voir leurs litiges",
    "Share of disputes (%)": "Part des litiges (%)",
    "By reason: the share of each reason's disputes that are on interventions invoiced while blocked. Click a bar "
    "to filter the page by that reason; the breakdown above gives the same share by territory, station and month.":
        "Par motif : la part des litiges de chaque motif qui portent sur des interventions facturées alors que "
        "bloquées. Cliquez sur une barre pour filtrer la page sur ce motif ; la répartition ci-dessus donne la même "
        "part par territoire, station et mois.",
})
COLUMN_FR.update({
    "invoiced_blocked_disputes": "litiges facturés alors que bloqués",
    "invoiced_blocked_share": "part facturée alors que bloquée",
})
# Excel files of long tables made on the page, with their progress.
FR.update({
    "Reading the rows…": "Lecture des lignes…",
    "Writing the Excel workbook: {done} of {total} rows": "Écriture du classeur Excel : {done} lignes sur {total}",
})
# The Territories page's map of a country's regions.
FR.update({
    "Darker is worse ({better}). Click a region to see its stations, another country to go there.":
        "Plus foncé = moins bien ({better}). Cliquez sur une région pour voir ses stations, sur un autre pays pour "
        "y aller.",
    "Darker is more. Click a region to see its stations, another country to go there.":
        "Plus foncé = davantage. Cliquez sur une région pour voir ses stations, sur un autre pays pour y aller.",
    "Region shapes are schematic (each region drawn as the part of its country nearest its centre), not official "
    "borders.":
        "Les contours des régions sont schématiques (chaque région est la partie de son pays la plus proche de son "
        "centre), pas les frontières officielles.",
})
FR.update({  # downloads of tables read on request (ui.pagekit.download_buttons)
    "Prepare the download": "Préparer le téléchargement",
    "Reads the whole table (it can take a moment), then offers it as CSV and Excel":
        "Lit le tableau entier (cela peut prendre un moment), puis le propose en CSV et en Excel",
    "Preparing the download…": "Préparation du téléchargement…",
    "The download could not be prepared ({error}); please try again.":
        "Le téléchargement n'a pas pu être préparé ({error}) ; veuillez réessayer.",
})
# ---------------------------------------------------------------- readable output (tables, exports)
FR.update({
    "No row in this selection.": "Aucune ligne dans cette sélection.",
})
COLUMN_FR.update({
    "oldest_opened_on": "plus ancien ouvert le", "status_label": "statut (libellé)", "outcome_label": "issue (libellé)",
})
