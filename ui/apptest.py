"""Running pages with Streamlit's AppTest (tests, page benchmarks) the way a served app runs them.

A Streamlit server scans the installed packages for components once, when it starts
(``Runtime.__init__``). AppTest does the same scan for every new ``AppTest`` (its first run): about
0.75 s on this machine's ~600 packages, more than many pages take to draw. The installed packages
do not change while a process runs, so :func:`scan_components_once` makes every AppTest of the
process reuse the first scan's result, as the server's sessions do.
"""
from __future__ import annotations

import functools


def scan_components_once() -> None:
    """Scan now, as a server does at start, and make every later AppTest of the process reuse the
    result (idempotent): no page's first run pays the scan."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if not getattr(scan, "cache_info", None):  # not wrapped yet
        # the manager imports the function from its module at each call: the cached one is found
        manifest_scanner.scan_component_manifests = functools.cache(scan)
    manifest_scanner.scan_component_manifests()
