"""Small helpers shared by the verification, disputes, territories, policies and import pages."""
from __future__ import annotations

import datetime as dt
import importlib
import io
import math
import re
from decimal import Decimal

import duckdb
import pandas as pd
import streamlit as st

from analytics.access.viewer import Viewer
from analytics.core import store
from analytics.core.config import default_db_path
from analytics.core.filters import Filters
from analytics.page_data import territories
from ui.auth import VIEWER_KEY, require_viewer
from ui.i18n import header_config, labelled, language, language_switch, styler_format, t

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
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
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


def download_buttons(frame, file_stem: str, *, key: str) -> None:
    """CSV (UTF-8, values verbatim) and Excel downloads of ``frame``, made only when clicked.

    ``frame`` is a DataFrame, or a function returning one: then the table itself is read only
    when a button is clicked (a queue of a million rows is not read to draw the page)."""
    def rows() -> pd.DataFrame:
        return frame() if callable(frame) else frame

    left, right, _ = st.columns([1, 1, 4])
    left.download_button("CSV", help=t("The table as CSV (UTF-8), values as stored"),
                         data=lambda: rows().to_csv(index=False).encode("utf-8"), file_name=f"{file_stem}.csv",
                         mime="text/csv",
                         key=f"{key}_csv", icon=":material/download:")
    right.download_button("Excel", help=t("The table as an Excel workbook, values as stored"),
                          data=lambda: to_xlsx(rows()), file_name=f"{file_stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}_xlsx", icon=":material/download:")


def present(frame: pd.DataFrame):
    """``frame`` for display: no value as "—" (never 0 or "None"), rates as %, amounts to the cent.
    Only the display changes: sorting and downloads use the values."""
    if len(frame) > 5000:  # styling is per cell: keep big tables plain
        return frame
    formats = {c: f for c in frame.columns if (f := styler_format(c))}
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
