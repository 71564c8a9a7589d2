"""Where a report subcommand's text goes: ``--output FILE`` or standard output."""
from __future__ import annotations

import sys


def write_text(text: str, output: str | None) -> None:
    """Write ``text`` verbatim (UTF-8, no newline translation) to ``output``, or to stdout."""
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
