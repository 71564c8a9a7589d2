"""Import (network managers only): upload contract files or a zip, see the validation report with
every problem, a progress bar, the result. Calls :func:`analytics.importer.import_paths`: an
import lands whole or not at all."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.config import default_db_path
from ui.importing import run_import
from ui.pagekit import current_viewer, plain, show_table

ACCEPTED = ["csv", "parquet", "xlsx", "zip", "toml"]
RESULT_KEY = "import_data_result"

viewer = current_viewer()
st.title("Import data")
if viewer.role != "manager":
    st.error("Only network managers can import data.")
    st.stop()

st.caption("Upload the tables of the data contract (one file per table: `interventions.csv`, … as CSV, Parquet "
           "or sheets of an Excel workbook), policy files (`<manufacturer_id>.toml`), or all of them in one zip. "
           "Every problem of every file is listed; a rejected import changes nothing.")

uploads = st.file_uploader("Files", type=ACCEPTED, accept_multiple_files=True, key="import_data_files")


def _run_import(files) -> dict:
    bar = st.progress(0.0, text="Reading the files…")

    def progress(done: int, total: int, message: str) -> None:
        bar.progress(min(1.0, done / total) if total else 0.0, text=message)

    outcome = run_import(files, default_db_path(), progress)
    if "usage" in outcome:
        bar.empty()
    else:
        bar.progress(1.0, text="Done" if outcome["ok"] else "Rejected: nothing was imported")
    return outcome


if st.button("Import", type="primary", disabled=not uploads, key="import_data_go"):
    st.session_state[RESULT_KEY] = _run_import(uploads)

outcome = st.session_state.get(RESULT_KEY)
if outcome:
    if "usage" in outcome:
        st.error(plain(outcome["usage"]))
    elif outcome["ok"]:
        total = sum(outcome["rows"].values())
        st.success(f"Imported {total:,} rows from {len(outcome['files'])} file(s). Every page now shows the new data.")
        st.dataframe(pd.DataFrame({"table": list(outcome["rows"]), "rows": list(outcome["rows"].values())}),
                     hide_index=True, key="import_data_rows")
    else:
        problems = outcome["problems"]
        st.error(f"Nothing was imported: {len(problems):,} problem(s) to fix. The store is unchanged.")
        st.subheader("Validation report")
        show_table(problems, "import_report", key="import_data_problems")
    if not outcome.get("usage") and len(outcome["warnings"]):
        st.subheader("Warnings")
        show_table(outcome["warnings"], "import_warnings", key="import_data_warnings")
