"""Small helpers shared by the verification, disputes, territories, policies and import pages."""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import os
import re
from typing import Callable, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from analytics.access.viewer import Viewer
from analytics.core import store
from analytics.core.csv_safety import frame_to_csv
from analytics.core.config import default_db_path
from analytics.core.filters import Filters
from analytics.engine import journal
from analytics.page_data import territories
from ui.auth import VIEWER_KEY, require_viewer
from ui.xlsx import write_xlsx
from ui.i18n import (NO_VALUE, cell_formats, date_input_format, fmt_number, header_config, labelled, labels_of,
                     language, language_switch, t, with_label_columns)

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text) -> str:
    """``text`` escaped for ``st.markdown``: data is shown verbatim, never rendered as markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


def open_store() -> duckdb.DuckDBPyConnection | None:
    """A read-only cursor on the published store, or None after telling the viewer why."""
    try:
        return store.reader(default_db_path())
    except store.StoreMissing as exc:
        st.warning(str(exc))
        return None


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_call(qualname: str, db: str, version: str, args: tuple, kwargs: tuple):
    module, name = qualname.rsplit(".", 1)
    fn = getattr(importlib.import_module(module), name)
    kwargs = dict(kwargs)
    kwargs.pop("journal_state", None)  # only a part of the cache key (cached_live)
    return fn(store.reader(db), *args, **kwargs)


def cached(fn, *args, **kwargs):
    """``fn(con, *args, **kwargs)`` for an ``analytics`` query function, cached per store version.

    The key holds the function, the store's path and version (a new import shows at once), and
    every argument — the viewer's scope and filters included, so one viewer never gets another's
    result. Arguments must be hashable by ``st.cache_data`` (Scope and Filters are).
    """
    db = str(default_db_path())
    version = store.version_of(db)
    if version is None:
        raise store.StoreMissing(f"no store at {db}")
    return _cached_call(f"{fn.__module__}.{fn.__qualname__}", db, version.token, args,
                        tuple(sorted(kwargs.items())))


def cached_live(fn, *args, **kwargs):
    """:func:`cached` for a read that counts the finding entries not yet published (its ``path``
    argument, :mod:`analytics.engine.live`): the key also holds the journal's state, so an entry
    written a moment ago shows at the next view."""
    db = default_db_path()
    return cached(fn, *args, path=str(db), journal_state=_journal_state(db), **kwargs)


def _journal_state(db) -> str:
    """What changes when a finding entry is written and not yet published (:mod:`analytics.engine.journal`)."""
    try:
        written = os.stat(journal.journal_path(db))
    except FileNotFoundError:
        return ""
    return f"{written.st_ino}-{written.st_mtime_ns}-{written.st_size}"


#: The widget ``ui.auth.require_viewer`` draws once it has accepted the viewer (its logout button).
_LOGOUT_KEY = "clairvoie_logout"


def _viewer_accepted_this_run() -> bool:
    """Whether ``require_viewer`` already accepted the viewer in this script run (app.py asks it
    before running the page). Read from Streamlit's record of this run's widget keys; when that
    cannot be read, False (the page then asks again)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return ctx is not None and _LOGOUT_KEY in ctx.shared.widget_user_keys_this_run
    except Exception:  # noqa: BLE001 - a Streamlit internal: fall back to asking again
        return False


def current_viewer():
    """The logged-in viewer (or the login page): ``ui.auth.require_viewer``, asked once per run.

    ``app.py`` asks before running the page; a page run on its own (AppTest, a URL outside the
    navigation) asks itself. Asking twice in one run would draw the sidebar's logout button twice
    (a duplicate-key error on every page).
    """
    language_switch()  # every page (and the login page) has the EN/FR switch; drawn once per run
    viewer = st.session_state.get(VIEWER_KEY)
    if isinstance(viewer, Viewer) and _viewer_accepted_this_run():
        return viewer
    return require_viewer()


def start_page(title: str, caption: str | None = None):
    """The opening of a data page: the logged-in viewer (or the login page), the title, an optional
    caption and a read-only cursor on the store; stops the page when there is no store yet."""
    viewer = current_viewer()
    st.title(title)
    if caption:
        st.caption(caption)
    con = open_store()
    if con is None:
        st.stop()
    return viewer, con


def to_xlsx(frame: pd.DataFrame, sheet: str = "data", progress=None) -> bytes:
    """An Excel workbook of ``frame``, written streamed (:func:`ui.xlsx.write_xlsx`): text stays text
    (``=HYPERLINK(...)`` is never a formula), rates shown as percentages, amounts to the cent."""
    return write_xlsx(frame, sheet, progress)


#: session_state key of the files made for this session's download buttons.
_FILES_KEY = "pagekit_download_files"


def _make_file(kind: str, frame: pd.DataFrame) -> bytes:
    return frame_to_csv(frame) if kind == "csv" else to_xlsx(frame)


File = TypeVar("File")


def kept_file(button_key: str, signature: str, make: Callable[[], File]) -> File:
    """The bytes (or files) of a download button, made by ``make()`` again only when ``signature``
    changes. Kept per browser session and per button (never shared between viewers; one file per button).

    A download's bytes are served under an id made from their content: the same bytes on every run
    keep the same id, so a click during a rerun (the browser still showing the previous run's
    button) finds its file. A deferred download (a function as ``data``) gets a new id each run and
    the old one is dropped when the run ends: such a click spun forever."""
    files = st.session_state.setdefault(_FILES_KEY, {})
    made = files.get(button_key)
    if made is None or made[0] != signature:
        made = files[button_key] = (signature, make())
    return made[1]


def _file_bytes(button_key: str, kind: str, frame: pd.DataFrame) -> bytes:
    """The file of a table already on the page, made again only when the table changed (a hash of
    every row: Streamlit's own cache hashes a sample of a large table)."""
    try:
        digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
                                + repr((list(frame.columns), [str(t) for t in frame.dtypes])).encode()).hexdigest()
    except TypeError:  # cells pandas cannot hash (lists): made every run
        return _make_file(kind, frame)
    return kept_file(f"{button_key}_{kind}", digest, lambda: _make_file(kind, frame))


_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _prepared_files(read, key: str, inputs, place) -> tuple[bytes, bytes] | None:
    """The CSV and Excel files of a table read only on request: a "Prepare" button reads it and
    writes both files in the page's run, its progress shown (reading, then the Excel rows a chunk at
    a time); the files are then kept like those of a table on the page while the ``inputs``, the
    store's version and its unpublished finding entries stay the same. None until prepared."""
    db = default_db_path()
    version = store.version_of(db)
    # the language too: the files carry labels in the page's language beside the codes
    state = (inputs, version.token if version else "", _journal_state(db), language())
    signature = hashlib.sha256(repr(state).encode()).hexdigest()
    files = st.session_state.setdefault(_FILES_KEY, {})
    made = files.get(f"{key}_prepared")
    if made is not None and made[0] == signature:
        return made[1]
    files.pop(f"{key}_prepared", None)  # prepared for other filters or an older store: not offered
    if not place.button(t("Prepare the download"), key=f"{key}_prepare", icon=":material/download:",
                        help=t("Reads the whole table (it can take a moment), then offers it as CSV and Excel")):
        return None
    bar = st.progress(0.0, text=t("Reading the rows…"))
    try:
        frame = read()
    except Exception as exc:  # noqa: BLE001 - the store changed or closed meanwhile: say so
        bar.empty()
        st.warning(t("The download could not be prepared ({error}); please try again.").format(
            error=type(exc).__name__))
        return None

    def told(done: int, rows: int) -> None:
        bar.progress(done / rows if rows else 1.0, text=t("Writing the Excel workbook: {done} of {total} rows").format(
            done=fmt_number(done), total=fmt_number(rows)))

    made_now = kept_file(f"{key}_prepared", signature,
                         lambda: (_make_file("csv", frame), to_xlsx(frame, progress=told)))
    bar.empty()
    return made_now


def download_buttons(frame, file_stem: str, *, key: str, inputs=()) -> None:
    """CSV (UTF-8) and Excel downloads of ``frame``.

    The CSV is made for people: a text cell a spreadsheet would run as a formula (``=…``, ``+…``,
    ``-…``, ``@…``) is written with a ``'`` in front (:mod:`analytics.core.csv_safety`); numbers
    stay numbers. The Excel file stores text as text (never a formula).

    ``frame`` is a DataFrame (already on the page): its files are made with the page (again only
    when the table changed). Or a function returning one, for a table too large to read to draw
    the page (a queue of a million rows): a "Prepare" button reads it and makes both files with
    their progress shown, and they are then kept while ``inputs`` (what the table depends on:
    scope, filters, choices) and the store stay the same. Either way the buttons hold the files'
    bytes (:func:`kept_file`), never a function, so a click during a rerun cannot hang."""
    # side by side, each button as wide as its label (columns would cut "Excel" to "E…" in a narrow column)
    left = right = st.container(horizontal=True, gap="small")
    if callable(frame):
        prepared = _prepared_files(frame, key, inputs, left)
        if prepared is None:
            return
        csv_data, xlsx_data = prepared
    else:
        csv_data, xlsx_data = _file_bytes(key, "csv", frame), _file_bytes(key, "xlsx", frame)
    left.download_button("CSV", help=t("The table as CSV (UTF-8), safe to open in a spreadsheet"),
                         data=csv_data, file_name=f"{file_stem}.csv", mime="text/csv", on_click="ignore",
                         key=f"{key}_csv", icon=":material/download:")
    right.download_button("Excel", help=t("The table as an Excel workbook, values as stored"),
                          data=xlsx_data, file_name=f"{file_stem}.xlsx", mime=_XLSX_MIME,
                          on_click="ignore", key=f"{key}_xlsx", icon=":material/download:")


def present(frame: pd.DataFrame, decimals: dict | None = None):
    """``frame`` for display in the page's language (:func:`ui.i18n.cell_formats`): no value as "—"
    (never 0 or "None"), rates as %, amounts to the cent, ``1 234,56`` and ``29/11/2026`` in French;
    ``decimals`` for other numeric columns. Only the display changes: sorting and downloads use the
    values. Pass the table's ``column_config`` through :func:`ui.i18n.column_config` /
    :func:`ui.i18n.number_column`: a column_config format would take precedence over these."""
    if len(frame) > 5000:  # styling is per cell: keep big tables plain
        return frame
    return frame.style.format(cell_formats(frame, decimals), na_rep="—")


def show_table(frame: pd.DataFrame, file_stem: str, *, key: str, table: bool = True,
               height: int | None = None, labels: dict | None = None, codes: tuple[str, ...] = (),
               texts: dict | None = None) -> None:
    """A table (unless ``table=False``) with its CSV and Excel downloads. Headers are shown in the
    page's language (:func:`ui.i18n.header_config`); ``labels`` maps a column to a function giving
    the label shown for each value (a status, an outcome). ``codes`` are raw code columns shown
    beside their label column: hidden on screen, kept in the downloads for machines. The downloads
    keep names and values; beside each column of ``labels`` they carry its labels (``<column>_label``,
    :func:`ui.i18n.with_label_columns`). ``texts`` maps a column to a function writing each value
    for the screen only (a number kept as text, in the page's language)."""
    if table and frame.empty:
        st.caption(t("No row in this selection."))
    elif table:
        shown = frame.assign(**{c: labelled(frame[c], f) for c, f in {**(labels or {}), **(texts or {})}.items()
                                if c in frame.columns})
        st.dataframe(present(shown), hide_index=True, key=key, height=height or "auto", placeholder=NO_VALUE,
                     column_config={**header_config(frame.columns), **{c: None for c in codes if c in frame.columns}})
    download_buttons(with_label_columns(frame, labels or {}), file_stem, key=key)


#: URL parameter -> Filters field, for the filters kept in the URL (repeated keys for lists).
URL_FILTERS = {"manufacturer": "manufacturer_ids", "stations": "station_ids", "country": "countries",
               "region": "regions", "category": "product_categories"}
_CHOICE_KIND = {"manufacturer": "manufacturer", "country": "country", "region": "region",
                "category": "product_category"}
_FILTER_LABELS = {"manufacturer": "Manufacturer", "stations": "Station", "country": "Country", "region": "Region",
                  "category": "Product category"}
#: URL parameter of the invoiced-while-blocked filter, and its values -> ``Filters.invoiced_blocked``.
BLOCKED_PARAM = "invoiced_blocked"
BLOCKED_CHOICES = {"yes": True, "no": False}
_BLOCKED_LABELS = {"": "All", "yes": "Only these", "no": "Leave them out"}
#: Page-level selections kept with the filters (a dispute reason chosen by a click on the Pareto).
EXTRA_VIEW_PARAMS = ("reason",)
#: Every URL parameter that belongs to the view: kept from page to page.
VIEW_PARAMS = ("from", "to", *URL_FILTERS, BLOCKED_PARAM, *EXTRA_VIEW_PARAMS)
_VIEW_KEY = "clairvoie_view"
_VIEW_PAGE_KEY = "clairvoie_view_page"


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _page_id() -> str:
    """The page this run draws (its script hash), "" when it cannot be read."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return str(ctx.page_script_hash) if ctx is not None else ""
    except Exception:  # noqa: BLE001 - a Streamlit internal: every run counts as an arrival
        return ""


def _arrived() -> bool:
    """Whether this run opens a page (another page than the session's last run, or its first)."""
    page = _page_id()
    arrived = st.session_state.get(_VIEW_PAGE_KEY) != page or not page
    st.session_state[_VIEW_PAGE_KEY] = page
    return arrived


def _restore_view() -> None:
    """On arriving at a page whose URL names no view parameter (the sidebar's page links carry
    none), put back the view of the page the user came from, so filters follow from page to page;
    a URL naming any of them (a shared link) is obeyed as it is."""
    params = st.query_params
    if any(k in params for k in VIEW_PARAMS):
        return
    for key, values in st.session_state.get(_VIEW_KEY, {}).items():
        params[key] = values


def _remember_view() -> None:
    params = st.query_params
    st.session_state[_VIEW_KEY] = {k: params.get_all(k) for k in VIEW_PARAMS if params.get_all(k)}


def set_view_param(key: str, values) -> None:
    """Set (or with no value remove) one view parameter of the URL — a chart's click filters the
    page — and remember it for the next pages. The widgets follow at the next run."""
    values = [v for v in ([values] if isinstance(values, str) else values or []) if v]
    if values:
        st.query_params[key] = values
    elif key in st.query_params:
        del st.query_params[key]
    st.session_state.pop(_VIEW_PAGE_KEY, None)  # the next run re-reads the URL into the widgets
    _remember_view()


def current_filters(viewer):
    """The filters of the view (period, brand, station, country, region, category, invoiced while
    blocked), kept in the URL and from page to page.

    Read from the URL (``?from=2025-01-01&to=…&country=FR&country=PL&category=tv``), shown in the
    sidebar, written back to the URL when changed, so a link reproduces the view; a page opened
    from the sidebar (no filter in its URL) gets the filters of the page before. Only values the
    viewer has data for are offered; a value in the link outside the viewer's scope is refused
    (dropped, with a notice), never obeyed.
    """
    choices = {**cached(territories.filter_choices, viewer.scope)}
    station_names = cached(territories.station_choices, viewer.scope)
    choices["stations"] = list(station_names)
    arrived = _arrived()
    if arrived:
        _restore_view()
    params = st.query_params
    refused = False
    if arrived:  # the URL sets the widgets (on later runs of the page the widgets hold the view)
        st.session_state["pk_filter_from"] = _day(params.get("from"))
        st.session_state["pk_filter_to"] = _day(params.get("to"))
    chosen: dict[str, list[str]] = {}
    with st.sidebar:
        st.markdown(f"**{t('Filters')}**")
        left, right = st.container(), st.container()  # one under the other: side by side cut the day at 1366 px
        day_format = date_input_format()
        date_from = left.date_input(t("From"), value=None, key="pk_filter_from", format=day_format)
        date_to = right.date_input(t("To"), value=None, key="pk_filter_to", format=day_format)
        for name in URL_FILTERS:
            options = choices[_CHOICE_KIND.get(name, name)]
            wanted = [v for v in params.get_all(name) if v]
            refused |= any(v not in options for v in wanted)
            key = f"pk_filter_{name}"
            if arrived or key not in st.session_state:
                st.session_state[key] = [v for v in wanted if v in options]
            if len(options) > 1 or wanted:
                label = (lambda s: f"{s} — {station_names.get(s, '')}") if name == "stations" else str
                chosen[name] = st.multiselect(t(_FILTER_LABELS[name]), options, key=key,
                                              format_func=labels_of(options, label),
                                              placeholder=t("All"))
            else:
                chosen[name] = []
        blocked = _blocked_filter(params.get(BLOCKED_PARAM), arrived)
        if refused:
            st.warning(t("Some filter values of the link are outside your view: they were ignored."))
    if date_from and date_to and date_from > date_to:
        st.sidebar.error(t("The period starts after it ends: the period filter is ignored."))
        date_from = date_to = None
    # write the view back to the URL (other parameters — the language ``lang``, a selected
    # intervention — are kept: only the filters' own keys are set or removed)
    for key, value in (("from", date_from), ("to", date_to)):
        if value:
            params[key] = value.isoformat()
        elif key in params:
            del params[key]
    for name, values in chosen.items():
        if values:
            params[name] = values
        elif name in params:
            del params[name]
    if blocked:
        params[BLOCKED_PARAM] = blocked
    elif BLOCKED_PARAM in params:
        del params[BLOCKED_PARAM]
    _remember_view()
    return Filters(date_from=date_from, date_to=date_to, invoiced_blocked=BLOCKED_CHOICES.get(blocked),
                   **{URL_FILTERS[name]: tuple(values) for name, values in chosen.items()})


def _blocked_filter(wanted: str | None, arrived: bool) -> str:
    """The sidebar's "Invoiced while blocked" choice ("", "yes", "no"), set from the URL on arriving
    (an unknown value in a link is ignored); drawn inside the sidebar by :func:`current_filters`."""
    key = "pk_filter_invoiced_blocked"
    if arrived or key not in st.session_state:
        st.session_state[key] = wanted if wanted in BLOCKED_CHOICES else ""
    blocked = st.selectbox(t("Invoiced while blocked"), list(_BLOCKED_LABELS), key=key,
                           format_func=labels_of(list(_BLOCKED_LABELS), lambda v: t(_BLOCKED_LABELS[v])),
                           help=t("Interventions invoiced although verification blocks them. Applies to the "
                                  "disputes analysis, the verification list and the work queues."))
    if blocked:
        st.caption(t("Rates and totals read from the monthly figures (headline figures, trends, scores, maps) "
                     "count every intervention of the other filters."))
    return blocked


def kept_params() -> dict:
    """The URL's parameters a link to another page keeps (the filters, the language…)."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def page_link(stem: str, label: str, *, icon: str | None = None, query: dict | None = None, where=None) -> None:
    """A link to ``pages/<stem>.py`` keeping the session (``st.page_link``), with ``query`` as its URL
    parameters. A page run outside the app's navigation (AppTest, a page run alone) has no other
    page to link to: the link is then shown as text, disabled."""
    where = where or st
    try:
        where.page_link(f"pages/{stem}.py", label=label, icon=icon, query_params=query)
    except st.errors.StreamlitAPIException:
        where.button(label, icon=icon, disabled=True, key=f"pk_link_{stem}_{hash(label)}_{hash(str(query))}")


def chart_pick(event) -> str | None:
    """The value a click on a chart picked: the first selected point's ``customdata`` (its first
    item when a list), else its x label; None when nothing is selected."""
    points = (getattr(event, "selection", None) or {}).get("points", []) if event else []
    if not points:
        return None
    point = points[0]
    data = point.get("customdata")
    if isinstance(data, (list, tuple)):
        data = data[0] if data else None
    value = data if data is not None else point.get("x")
    return None if value is None else str(value)
