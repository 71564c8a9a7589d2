"""The shared sidebar filters (period, manufacturer, country, region, category) kept in the URL.

One implementation for every page: :func:`ui.pagekit.current_filters` (choices from the viewer's
scope, a link's value outside it refused with a notice, the view written back to
``st.query_params``). This module is the name the performance pages import.
"""
from ui.pagekit import URL_FILTERS, current_filters as sidebar_filters  # noqa: F401
