"""A problem found in imported input: where it is and which rule it breaks."""
from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str            # the file's name as given (``interventions.csv``, ``M01.toml``, ``data.xlsx:stations``)
    row: int | None      # 1-based data row, header excluded; None for a file-level problem
    column: str          # the column, or the policy key path (``version[2].territory.FR.vat_rate``); "" if none
    value: str           # the offending value, verbatim ("" if none)
    rule: str            # short rule name (``required``, ``date``, ``unique key``, ``unknown reference``...)
    message: str         # the full sentence a clerk understands
    severity: str = ERROR

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


REPORT_COLUMNS = ("file", "row", "column", "value", "rule", "message")
