"""Pages run by AppTest as a served app runs them (``ui/apptest.py``): the scan of the installed packages
for Streamlit components happens once per process, however many AppTests run."""
from __future__ import annotations


def test_the_component_scan_runs_once_however_many_apptests_run(monkeypatch):
    from streamlit.components.v2 import manifest_scanner
    from streamlit.testing.v1 import AppTest

    from ui.apptest import scan_components_once

    scans = []

    def counted_scan(*args, **kwargs):
        scans.append(1)
        return []

    monkeypatch.setattr(manifest_scanner, "scan_component_manifests", counted_scan)  # as installed by Streamlit
    scan_components_once()
    scan_components_once()
    for text in ("one", "two", "three"):
        at = AppTest.from_string(f"import streamlit as st\nst.write({text!r})").run()
        assert at.markdown[0].value == text
    assert len(scans) == 1
