"""The login boundary of the app: every page asks :func:`require_viewer`.

The whole login sits behind this one function so tests can stand in for it by
putting a :class:`analytics.viewer.Viewer` in ``st.session_state[VIEWER_KEY]``
before running a page (AppTest).

INTERIM: until the access-control work (issue 6) lands, a visitor who is not
logged in is treated as a network manager. Replace, do not extend, this fallback.
"""
from __future__ import annotations

import streamlit as st

from analytics.scope import Scope
from analytics.viewer import Viewer

VIEWER_KEY = "clairvoie_viewer"


def require_viewer() -> Viewer:
    viewer = st.session_state.get(VIEWER_KEY)
    if viewer is None:
        viewer = Viewer("manager", Scope.manager(), is_admin=True)
        st.session_state[VIEWER_KEY] = viewer
    return viewer
