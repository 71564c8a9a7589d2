"""Cached readers: ``cached(fn, *args)`` runs an ``analytics`` query function once per store version
(:func:`analytics.store.version_of` ``.token``), scope and filters (``st.cache_data``), so a new
import shows at once. One implementation, in :mod:`ui.pagekit`; ``open_store`` gives the cursor."""
from ui.pagekit import cached, open_store  # noqa: F401
