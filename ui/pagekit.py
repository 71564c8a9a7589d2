"""Small helpers shared by the verification, disputes, territories, policies and import pages."""
from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from analytics import store
from analytics.config import default_db_path


def open_store() -> duckdb.DuckDBPyConnection | None:
    """A read-only cursor on the published store, or None after telling the viewer why."""
    try:
        return store.reader(default_db_path())
    except store.StoreMissing as exc:
        st.warning(str(exc))
        return None


def show_table(frame: pd.DataFrame, file_stem: str, *, key: str, height: int | None = None) -> None:
    """A table with its CSV and Excel downloads (values shown verbatim)."""
    st.dataframe(frame, hide_index=True, key=key, height=height or "auto")


def current_filters():
    """The shared filters of the view (period, brand, territory, category), from the URL."""
    from analytics.filters import Filters

    return Filters()
