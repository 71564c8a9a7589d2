"""Every table downloadable as CSV and Excel (openpyxl): one implementation, in :mod:`ui.pagekit`."""
from ui.pagekit import download_buttons, show_table, to_xlsx  # noqa: F401
