"""What every chart and headline figure shares, so they read the same way on every page: the
incomplete months shaded on a trend, date and percentage axes in the page's language (no repeated
tick labels), and deltas that draw no arrow when nothing changed."""
from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from analytics.catalog import METRICS_BY_NAME
from ui.i18n import date_format, fmt_date, fmt_delta, plot_separators, t

INCOMPLETE_FILL = "#adb5bd"


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(f"{month}-01")
    return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def style_trend(fig: go.Figure, *, rate: bool = False, incomplete: frozenset[str] = frozenset(),
                months=()) -> go.Figure:
    """A monthly trend in the page's language — months as ``2025-01`` / ``01/2025`` (axis and hover),
    rates as percentages with one decimal only where needed (never ``89 %, 89 %, 88 %``) — with each
    month of ``incomplete`` shown in ``months`` shaded and labelled "incomplete"."""
    fig.update_xaxes(tickformat=date_format("month"), hoverformat=date_format("month"),
                     dtick="M1" if len(months) <= 14 else None)
    if rate:
        fig.update_yaxes(tickformat=".1~%", hoverformat=".1%")
    fig.update_layout(separators=plot_separators())
    for month in sorted(set(months) & set(incomplete)):
        first, last = month_bounds(month)
        fig.add_vrect(x0=first - dt.timedelta(days=15), x1=last, fillcolor=INCOMPLETE_FILL, opacity=0.25,
                      line_width=0, annotation_text=t("incomplete"), annotation_position="top left")
    return fig


def style_date_axis(fig: go.Figure, axis: str = "x") -> go.Figure:
    """A date axis in the page's language: months on the ticks, days in the hover (never English
    month names on a French page)."""
    getattr(fig, f"update_{axis}axes")(tickformat=date_format("month"), hoverformat=date_format("day"))
    return fig


def incomplete_caption(incomplete: frozenset[str], last_day: dt.date | None) -> str | None:
    """What the shaded months mean, or None when there is none."""
    if not incomplete:
        return None
    return t("Shaded: a month the data or the period covers only in part (data up to {day}); its figures are "
             "not comparable with whole months.").format(day=fmt_date(last_day))


def metric_delta(name: str, now, before) -> dict:
    """``st.metric`` arguments for the change of metric ``name`` from ``before`` to ``now``: its text,
    colour by the metric's better side, and no arrow nor colour when it rounds to nothing."""
    text = fmt_delta(name, now, before)
    if text is None:
        return {"delta": None}
    better = METRICS_BY_NAME[name].better if name in METRICS_BY_NAME else None
    unchanged = not any(c in "123456789" for c in text)  # "+0.0 pts", "-€0.00": nothing changed
    if unchanged:
        return {"delta": "±" + text.lstrip("+-"), "delta_color": "off", "delta_arrow": "off"}
    return {"delta": text, "delta_color": "inverse" if better == "lower" else ("normal" if better else "off")}
