"""The errors an import raises before touching the store (exit code 2 on the command line)."""
from __future__ import annotations


class UsageError(ValueError):
    """The import was asked for something that cannot be an import (exit code 2)."""


class LimitExceeded(UsageError):
    """An input beyond one of the import limits (:mod:`analytics.contract.importer.limits`): a zip,
    workbook, Parquet or TOML bomb. Nothing was written; the message names the file and the limit."""
