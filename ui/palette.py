"""The one palette of every chart: verification statuses, dispute reasons, pipeline stages."""
from __future__ import annotations

#: blocked / review / ready (red, amber, green; readable by most colour-blind viewers with the labels).
STATUS_COLORS = {"blocked": "#c0392b", "review": "#e0a526", "ready": "#2e8b57"}
#: A qualitative sequence for dispute reasons (and any other categories), in order of first use.
CATEGORY_SEQUENCE = ("#1f5f99", "#e07b39", "#3a9e8f", "#8e5ea2", "#c9a227", "#d1495b", "#6c757d",
                     "#4f9bd9", "#9bc53d", "#5c3c92")
PIPELINE_COLOR = "#1f5f99"


def reason_colors(reasons) -> dict[str, str]:
    """A stable colour per dispute reason: sorted reasons take the sequence in turn."""
    return {r: CATEGORY_SEQUENCE[i % len(CATEGORY_SEQUENCE)] for i, r in enumerate(sorted(set(reasons)))}
