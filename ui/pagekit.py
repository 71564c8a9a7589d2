"""Small helpers shared by the verification, disputes, territories, policies and import pages."""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import io
import math
import re
from decimal import Decimal

import duckdb
import pandas as pd
import streamlit as st

from analytics.access.viewer import Viewer
from analytics.catalog import METRICS_BY_NAME
from analytics.core import store
from analytics.core.csv_safety import frame_to_csv
from analytics.core.config import default_db_path
from analytics.core.filters import Filters
from analytics.page_data import territories
from ui.auth import VIEWER_KEY, require_viewer
from ui.i18n import header_config, labelled, language, language_switch, t

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
    return fn(store.reader(db), *args, **dict(kwargs))


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


def _cell(value):
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if hasattr(value, "item") and not isinstance(value, (str, dt.date)):
        return value.item()  # numpy scalars
    return value


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """An Excel workbook of ``frame``; text stays text (``=HYPERLINK(...)`` is never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])

    def text_safe(value):
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        return cell

    ws.append([text_safe(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([text_safe(v) if isinstance(v, str) else _cell(v) for v in map(_cell, row)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: session_state key of the files made for this session's download buttons.
_FILES_KEY = "pagekit_download_files"


def _make_file(kind: str, frame: pd.DataFrame) -> bytes:
    return frame_to_csv(frame) if kind == "csv" else to_xlsx(frame)


def _file_bytes(button_key: str, kind: str, frame: pd.DataFrame) -> bytes:
    """The file of a download button, made again only when its table changed. Kept per browser
    session and per button (never shared between viewers; one file per button), keyed by a hash of
    every row (Streamlit's own cache hashes a sample of a large table)."""
    try:
        digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
                                + repr((list(frame.columns), [str(t) for t in frame.dtypes])).encode()).hexdigest()
    except TypeError:  # cells pandas cannot hash (lists): made every run
        return _make_file(kind, frame)
    files = st.session_state.setdefault(_FILES_KEY, {})
    made = files.get((button_key, kind))
    if made is None or made[0] != digest:
        made = files[(button_key, kind)] = (digest, _make_file(kind, frame))
    return made[1]


def _deferred(kind: str, read):
    """The file of a table read only when its button is clicked; a failure gives a short text file
    saying so (never an exception in Streamlit's download request, which would spin forever)."""
    def make() -> bytes:
        try:
            return _make_file(kind, read())
        except Exception as exc:  # noqa: BLE001 - the store changed or closed meanwhile: say so in the file
            return f"The download could not be made ({type(exc).__name__}); please try again.\n".encode()
    return make


def download_buttons(frame, file_stem: str, *, key: str) -> None:
    """CSV (UTF-8) and Excel downloads of ``frame``.

    The CSV is made for people: a text cell a spreadsheet would run as a formula (``=…``, ``+…``,
    ``-…``, ``@…``) is written with a ``'`` in front (:mod:`analytics.core.csv_safety`); numbers
    stay numbers. The Excel file stores text as text (never a formula).

    ``frame`` is a DataFrame (already on the page): its files are made with the page (again only
    when the table changed) and served under an id that stays the same across reruns, so a click
    during a rerun cannot hang. Or a function returning one: then the table is read only when a button is clicked (a
    queue of a million rows is not read to draw the page); clicking does not rerun the page."""
    left, right, _ = st.columns([1, 1, 4])
    if callable(frame):
        csv_data, xlsx_data = _deferred("csv", frame), _deferred("xlsx", frame)
    else:
        csv_data, xlsx_data = _file_bytes(key, "csv", frame), _file_bytes(key, "xlsx", frame)
    left.download_button("CSV", help=t("The table as CSV (UTF-8), safe to open in a spreadsheet"),
                         data=csv_data, file_name=f"{file_stem}.csv", mime="text/csv", on_click="ignore",
                         key=f"{key}_csv", icon=":material/download:")
    right.download_button("Excel", help=t("The table as an Excel workbook, values as stored"),
                          data=xlsx_data, file_name=f"{file_stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          on_click="ignore", key=f"{key}_xlsx", icon=":material/download:")


def _column_format(column: str) -> str | None:
    """Display format of a metric column (``dispute_rate``, ``requested_amount_eur``…), by its kind."""
    if column.endswith("_share") or column.endswith("_rate"):
        return "{:.1%}"
    name = column[:-4] if column.endswith("_eur") else column
    metric = METRICS_BY_NAME.get(name)
    if metric is None:
        return None
    return {"rate": "{:.1%}", "days": "{:.1f}", "amount": "{:,.2f}", "rating": "{:.2f}",
            "count": "{:,.0f}"}.get(metric.kind)


def present(frame: pd.DataFrame):
    """``frame`` for display: no value as "—" (never 0 or "None"), rates as %, amounts to the cent.
    Only the display changes: sorting and downloads use the values."""
    if len(frame) > 5000:  # styling is per cell: keep big tables plain
        return frame
    formats = {c: f for c in frame.columns if (f := _column_format(str(c)))}
    # French: 1 234,56 (narrow no-break space, decimal comma); dates stay ISO in tables
    decimal, thousands = (",", "\u202f") if language() == "fr" else (".", ",")
    return (frame.style.format(na_rep="—", precision=2, thousands=thousands, decimal=decimal)
            .format(formats, na_rep="—", thousands=thousands, decimal=decimal))


def show_table(frame: pd.DataFrame, file_stem: str, *, key: str, table: bool = True,
               height: int | None = None, labels: dict | None = None) -> None:
    """A table (unless ``table=False``) with its CSV and Excel downloads. Headers are shown in the
    page's language (:func:`ui.i18n.header_config`); ``labels`` maps a column to a function giving
    the label shown for each value (a status, an outcome). The downloads keep names and values."""
    if table:
        shown = frame.assign(**{c: labelled(frame[c], f) for c, f in (labels or {}).items() if c in frame.columns})
        st.dataframe(present(shown), hide_index=True, key=key, height=height or "auto",
                     column_config=header_config(frame.columns))
    download_buttons(frame, file_stem, key=key)


#: URL parameter -> Filters field, for the filters kept in the URL (repeated keys for lists).
URL_FILTERS = {"manufacturer": "manufacturer_ids", "country": "countries", "region": "regions",
               "category": "product_categories"}
_CHOICE_KIND = {"manufacturer": "manufacturer", "country": "country", "region": "region",
                "category": "product_category"}
_FILTER_LABELS = {"manufacturer": "Manufacturer", "country": "Country", "region": "Region",
                  "category": "Product category"}


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def current_filters(viewer):
    """The filters of the view (period, brand, country, region, category), kept in the URL.

    Read from the URL (``?from=2025-01-01&to=…&country=FR&country=PL&category=tv``), shown in
    the sidebar, written back to the URL when changed, so a link reproduces the view. Only values
    the viewer has data for are offered; a value in the link outside the viewer's scope is
    refused (dropped, with a notice), never obeyed.
    """
    choices = cached(territories.filter_choices, viewer.scope)
    params = st.query_params
    refused = False
    chosen: dict[str, list[str]] = {}
    with st.sidebar:
        st.markdown(f"**{t('Filters')}**")
        left, right = st.columns(2)
        date_from = left.date_input(t("From"), value=_day(params.get("from")), key="pk_filter_from", format="YYYY-MM-DD")
        date_to = right.date_input(t("To"), value=_day(params.get("to")), key="pk_filter_to", format="YYYY-MM-DD")
        for name, kind in _CHOICE_KIND.items():
            options = choices[kind]
            wanted = [v for v in params.get_all(name) if v]
            refused |= any(v not in options for v in wanted)
            if len(options) > 1 or wanted:
                chosen[name] = st.multiselect(t(_FILTER_LABELS[name]), options,
                                              default=[v for v in wanted if v in options], key=f"pk_filter_{name}")
            else:
                chosen[name] = []
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
    return Filters(date_from=date_from, date_to=date_to,
                   **{URL_FILTERS[name]: tuple(values) for name, values in chosen.items()})
