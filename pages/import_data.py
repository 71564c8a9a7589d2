"""Import (network managers only): upload contract files or a zip, see the validation report with
every problem, a progress bar, the result. Calls :func:`analytics.importer.import_paths`: an
import lands whole or not at all."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.core.config import default_db_path
from ui.i18n import NO_VALUE, fmt_number, header_config, t
from ui.importing import run_import
from ui.pagekit import current_viewer, plain, present, show_table

ACCEPTED = ["csv", "parquet", "xlsx", "zip", "toml"]
RESULT_KEY = "import_data_result"

viewer = current_viewer()
st.title(t("Import data"))
if viewer.role != "manager":
    st.error(t("Only network managers can import data."))
    st.stop()

st.caption(t("Upload the tables of the data contract (one file per table: `interventions.csv`, … as CSV, Parquet "
             "or sheets of an Excel workbook), policy files (`<manufacturer_id>.toml`), or all of them in one zip. "
             "Every problem of every file is listed; a rejected import changes nothing."))

uploads = st.file_uploader(t("Files"), type=ACCEPTED, accept_multiple_files=True, key="import_data_files")


def _step_text(message: str) -> str:
    """An importer step ("read interventions.csv", "checked stations", a fixed message) in the page's
    language; the file or table name is data and stays as it is."""
    for verb in ("read", "checked", "loaded"):
        if message.startswith(verb + " ") and message not in ("read the policy files",):
            return t(verb) + " " + message[len(verb) + 1:]
    return t(message)


def _run_import(files) -> dict:
    bar = st.progress(0.0, text=t("Reading the files…"))

    def progress(done: int, total: int, message: str) -> None:
        bar.progress(min(1.0, done / total) if total else 0.0, text=_step_text(message))

    outcome = run_import(files, default_db_path(), progress)
    if "usage" in outcome:
        bar.empty()
    else:
        bar.progress(1.0, text=t("Done") if outcome["ok"] else t("Rejected: nothing was imported"))
    return outcome


if st.button(t("Import"), type="primary", disabled=not uploads, key="import_data_go"):
    st.session_state[RESULT_KEY] = _run_import(uploads)

outcome = st.session_state.get(RESULT_KEY)
if outcome:
    if "usage" in outcome:
        if outcome.get("duplicates"):
            st.error(plain(t("The same file name was uploaded twice: {names}. Nothing was imported.").format(
                names=", ".join(outcome["duplicates"]))))  # file names are data: plain
        else:
            st.error(plain(t(outcome["usage"])))  # the importer's message (English unless a known fixed text)
    elif outcome["ok"]:
        total = sum(outcome["rows"].values())
        st.success(t("Imported {rows} rows from {files} file(s). Every page now shows the new data.").format(
            rows=fmt_number(total), files=fmt_number(len(outcome["files"]))))
        st.dataframe(present(pd.DataFrame({"table": list(outcome["rows"]), "rows": list(outcome["rows"].values())})),
                     hide_index=True, placeholder=NO_VALUE, key="import_data_rows", column_config=header_config(["table", "rows"]))
    else:
        problems = outcome["problems"]
        st.error(t("Nothing was imported: {count} problem(s) to fix. The store is unchanged.").format(
            count=fmt_number(len(problems))))
        st.subheader(t("Validation report"))
        show_table(problems, "import_report", key="import_data_problems")
    if not outcome.get("usage") and len(outcome["warnings"]):
        st.subheader(t("Warnings"))
        show_table(outcome["warnings"], "import_warnings", key="import_data_warnings")
